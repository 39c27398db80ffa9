import { ascii, u32le } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { PILLOW_9_5, pillowHeader } from './pillow-layout.js';

/** DOS EPS binary header (Adobe TN 5002 §"Encapsulated PostScript Files", preview sections). */
const DOS_EPS_MAGIC = 0xc6d3d0c5;
/** How much of the PostScript is scanned for the header comments and %ImageData. */
const MAX_SCAN = 256 * 1024;
/** How much of the end is read for a `%%BoundingBox: (atend)` given in the trailer. */
const MAX_TRAILER = 64 * 1024;
/** Pillow's longest comment line. */
const MAX_LINE = 255;

export function sniffEps(h: Uint8Array): boolean {
  return ascii(h, 0, 4) === '%!PS' || (h.length >= 12 && u32le(h, 0) === DOS_EPS_MAGIC);
}

/** What the DSC comments give (Adobe TN 5001, Document Structuring Conventions 3.0). */
interface Comments {
  psAdobe: boolean;
  bboxSeen: boolean;
  atEnd: boolean;
  bbox: number[] | null;
  imageData: [number, number, string] | null;
  reachedEnd: boolean;
  /** A later header %%BoundingBox that differs from the first (which current Pillow takes). */
  lastBox: number[] | null;
}

/**
 * EPS, as Pillow's EpsImagePlugin opens it: the size of `%ImageData: columns rows depth mode`
 * when given, else of `%%BoundingBox` in points (Pillow renders 72 dpi: one pixel a point; in
 * the trailer for `(atend)`); the header must carry `%!PS-Adobe` and `%%BoundingBox`. Loading
 * needs Ghostscript, which renders RGB whatever %ImageData says, so RGB is the mode counted.
 */
export function readEpsHeader(src: ByteSource): Header {
  const head = src.need(0, 4, 'the EPS signature');
  const offset = ascii(head, 0, 4) === '%!PS' ? 0 : u32le(src.need(0, 12, 'the DOS EPS header'), 4);
  const c = scan(ascii(src.read(offset, MAX_SCAN), 0, MAX_SCAN), src.size - offset <= MAX_SCAN);
  if (c.atEnd && !c.bbox && !c.reachedEnd) trailerBox(src, c);
  if (!c.psAdobe || !c.bboxSeen) throw fail('eps', 'E_BAD_HEADER', 'the header lacks %!PS-Adobe or %%BoundingBox');
  if (!c.bbox && !c.imageData) throw fail('eps', 'E_BAD_HEADER', 'no bounding box Pillow can read');
  const notes = ['loading needs Ghostscript; rendered at 72 dpi (load(scale=n) multiplies each side by n)'];
  if (c.imageData && c.imageData[2] !== 'RGB') {
    notes.push(`Image.open reports ${c.imageData[2]} from %ImageData; Ghostscript renders RGB when it loads`);
  }
  if (c.atEnd) notes.push('%%BoundingBox (atend): Pillow 9 does not open it');
  if (c.lastBox) notes.push(`Pillow 9 takes the last %%BoundingBox, ${c.lastBox.join(' ')}`);
  const [width, height] = c.imageData ?? [c.bbox![2]! - c.bbox![0]!, c.bbox![3]! - c.bbox![1]!];
  const since = c.atEnd ? PILLOW_9_5 : undefined;
  return pillowHeader('eps', { width: width!, height: height!, mode: 'RGB', since, notes });
}

/** Walks the lines as Pillow does: header comments, then the body up to %%EOF. */
function scan(text: string, whole: boolean): Comments {
  const c: Comments = {
    psAdobe: false,
    bboxSeen: false,
    atEnd: false,
    bbox: null,
    imageData: null,
    reachedEnd: whole,
    lastBox: null,
  };
  let inHeader = true;
  let trailer = false;
  // Pillow keeps the line that ended the header and glues the next one to it, so that next line
  // is never read (an %ImageData right after %%EndComments is not seen).
  let glued = false;
  const lines = text.split(/[\r\n]+/);
  if (!whole) lines.pop(); // cut by the scan bound
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    if (line.length > MAX_LINE) {
      if (line.startsWith('%')) throw fail('eps', 'E_BAD_HEADER', `a comment line is longer than ${MAX_LINE} bytes`);
      inHeader = false;
      continue;
    }
    if (glued) {
      glued = false;
      continue;
    }
    if (inHeader) {
      if (!line.startsWith('%') || line.startsWith('%%EndComments')) {
        inHeader = false;
        glued = true;
      } else if (!comment(line, c, false)) {
        const m = /^%[%!\w]([^:]*)[ \t]*$/.exec(line);
        if (m?.[1]?.startsWith('PS-Adobe')) c.psAdobe = true;
      }
    } else if (line.startsWith('%ImageData:')) {
      if (!imageData(line, c)) break;
    } else if (line.startsWith('%%EOF')) {
      c.reachedEnd = true;
      break;
    } else if (trailer && c.atEnd) comment(line, c, true);
    else if (line.startsWith('%%Trailer')) trailer = true;
  }
  return c;
}

/** A `%%Key: value` comment; a %%BoundingBox sets the box (the first one, or the trailer's). */
function comment(line: string, c: Comments, inTrailer: boolean): boolean {
  const m = /^%%([^:]*):[ \t]*(.*?)[ \t]*$/.exec(line);
  if (!m) return false;
  if (m[1] !== 'BoundingBox') return true;
  c.bboxSeen = true;
  if (m[2] === '(atend)') c.atEnd = true;
  else {
    const values = m[2]!.split(/\s+/).map(Number);
    if (values.length < 4 || !values.every(Number.isFinite)) return true;
    if (!c.bbox || inTrailer) c.bbox = values.map(Math.trunc);
    else if (values.map(Math.trunc).join() !== c.bbox.join()) c.lastBox = values.map(Math.trunc);
  }
  return true;
}

/** `%ImageData: columns rows depth mode ...`; false where Pillow stops reading (a depth it does not map). */
function imageData(line: string, c: Comments): boolean {
  if (c.imageData) return true;
  const v = line.slice(11).trim().split(/\s+/);
  if (v.length < 4 || !v.slice(0, 4).every((n) => /^[+-]?\d+$/.test(n))) {
    throw fail('eps', 'E_BAD_HEADER', `%ImageData is not four whole numbers: ${JSON.stringify(line.slice(0, 60))}`);
  }
  const [columns, rows, depth, mode] = v.map(Number) as [number, number, number, number];
  const modes: Record<number, string> = { 1: 'L', 2: 'LAB', 3: 'RGB', 4: 'CMYK' };
  if (depth === 1) c.imageData = [columns, rows, '1'];
  else if (depth === 8 && modes[mode]) c.imageData = [columns, rows, modes[mode]!];
  else if (depth === 8)
    throw fail('eps', 'E_UNSUPPORTED_FEATURE', `%ImageData mode ${mode}, which Pillow does not open`);
  else return false;
  return true;
}

/** The trailer's %%BoundingBox, for `(atend)` in a file longer than the scan. */
function trailerBox(src: ByteSource, c: Comments): void {
  const start = Math.max(0, src.size - MAX_TRAILER);
  const tail = ascii(src.read(start, MAX_TRAILER), 0, MAX_TRAILER);
  const at = tail.lastIndexOf('%%Trailer');
  if (at < 0) return;
  for (const line of tail.slice(at).split(/[\r\n]+/)) {
    if (line.startsWith('%%EOF')) break;
    comment(line, c, true);
  }
}
