import { ascii } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { isPillowMode, PILLOW_9_0, PILLOW_11_3, pillowHeader } from './pillow-layout.js';

/** Pillow's writer pads the header to 512 bytes; the end-of-header mark is looked for this far. */
const MAX_HEADER = 64 * 1024;
const END_OF_HEADER = '\x1a';
/** The keys Pillow (ImImagePlugin `TAGS`) counts; a header needs one of them. */
const TAGS = [
  'Comment',
  'Date',
  'Digitalization equipment',
  'File size (no of images)',
  'Lut',
  'Name',
  'Scale (x,y)',
  'Image size (x*y)',
  'Image type',
];

/** "Image type" → [mode now, mode in Pillow 9] (ImImagePlugin `OPEN`; Pillow 9 kept RGBX). */
const IMAGE_TYPES: Record<string, [string, string]> = {
  '0 1': ['1', '1'],
  'L 1': ['1', '1'],
  Greyscale: ['L', 'L'],
  Grayscale: ['L', 'L'],
  RGB: ['RGB', 'RGB'],
  RLB: ['RGB', 'RGB'],
  RYB: ['RGB', 'RGB'],
  B1: ['1', '1'],
  B2: ['P', 'P'],
  B4: ['P', 'P'],
  'X 24': ['RGB', 'RGB'],
  'L 32 S': ['I', 'I'],
  'L 32 F': ['F', 'F'],
  RGB3: ['RGB', 'RGB'],
  RYB3: ['RGB', 'RGB'],
  LA: ['LA', 'LA'],
  PA: ['LA', 'LA'],
  RGBA: ['RGBA', 'RGBA'],
  RGBX: ['RGB', 'RGBX'],
  CMYK: ['CMYK', 'CMYK'],
  YCC: ['YCbCr', 'YCbCr'],
};
for (const d of ['8', '8S', '16', '16S', '32', '32F']) IMAGE_TYPES[`L ${d}`] = IMAGE_TYPES[`L*${d}`] = ['F', 'F'];
for (let d = 2; d < 33; d++) IMAGE_TYPES[`L*${d}`] = ['F', 'F'];
for (const d of ['16', '16L', '16B']) IMAGE_TYPES[`L ${d}`] = IMAGE_TYPES[`L*${d}`] = [`I;${d}`, `I;${d}`];
IMAGE_TYPES['L 32S'] = IMAGE_TYPES['L*32S'] = ['I', 'I'];

/** A header starts with one of the image keys Pillow's writer puts first (not Name/Date/Comment, common in text). */
export function sniffIm(h: Uint8Array): boolean {
  return /^(Image type|Image size \(x\*y\)|File size \(no of images\)|Lut|Scale \(x,y\)):[ \t]*\S/.test(
    ascii(h, 0, h.length),
  );
}

/**
 * IFUNC Image Memory (IM), as Pillow's ImImagePlugin reads it: "Key: value" lines of at most 100
 * bytes (CRLF or LF) up to a NUL or 0x1A, then 0x1A; defaults L, 512x512, one frame. "Image size
 * (x*y)" is W*H, "File size (no of images)" the frames, "Image type" the mode; with a "Lut" the
 * 768-byte palette after the header turns L into P and LA into PA unless it is grey.
 */
export function readImHeader(src: ByteSource): Header {
  const text = ascii(src.read(0, MAX_HEADER), 0, MAX_HEADER);
  const info = new Map<string, string>();
  let at = 0;
  while (at < text.length && text[at] !== '\0' && text[at] !== END_OF_HEADER) {
    if (text[at] === '\r') {
      at++;
      continue;
    }
    const eol = text.indexOf('\n', at);
    const next = eol < 0 ? text.length : eol + 1;
    const line = text.slice(at, next).replace(/\r?\n$/, '');
    if (next - at > 100) throw fail('im', 'E_BAD_HEADER', 'a header line is longer than 100 bytes');
    const m = /^([A-Za-z][^:]*):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!m) throw fail('im', 'E_BAD_HEADER', `a header line is not "Key: value": ${JSON.stringify(line.slice(0, 40))}`);
    info.set(m[1]!, m[2]!);
    at = next;
  }
  if (!TAGS.some((t) => info.has(t))) throw fail('im', 'E_BAD_HEADER', 'no IM header keys');
  const end = text.indexOf(END_OF_HEADER, at);
  if (end < 0) throw fail('im', 'E_TRUNCATED', `no end-of-header mark (0x1A) in the first ${MAX_HEADER} bytes`);

  const [width, height] = numbers(info.get('Image size (x*y)') ?? '512*512');
  const frames = numbers(info.get('File size (no of images)') ?? '1')[0]!;
  const type = info.get('Image type') ?? 'Greyscale image';
  const known = type.endsWith(' image') ? IMAGE_TYPES[type.slice(0, -' image'.length)] : undefined;
  // A type Pillow does not know is taken as the mode's own name (only mode names then open).
  const modes = known ?? (isPillowMode(type) ? [type, type] : undefined);
  if (!modes)
    throw fail('im', 'E_UNSUPPORTED_FEATURE', `image type ${JSON.stringify(type)}, which Pillow does not open`);
  let [mode, mode9] = modes;
  if (info.has('Lut') && (mode === 'L' || mode === 'LA') && !greyPalette(src, end + 1)) {
    mode = mode9 = mode === 'L' ? 'P' : 'PA';
  }
  const history: [number, string][] = [
    [PILLOW_9_0, mode9],
    [PILLOW_11_3, mode],
  ];
  return pillowHeader('im', { width: width ?? 0, height: height ?? 0, mode, history, frames: Math.max(1, frames) });
}

/** "W*H" or "W,H" as whole numbers (Pillow's writer uses W*H); anything else is refused. */
function numbers(v: string): number[] {
  const parts = v.replace(/\*/g, ',').split(',');
  if (!parts.every((p) => /^\s*\d+\s*$/.test(p)))
    throw fail('im', 'E_BAD_HEADER', `not whole numbers: ${JSON.stringify(v)}`);
  return parts.map(Number);
}

/** Whether the 768-byte palette (R, G, B planes of 256) after the header is grey. */
function greyPalette(src: ByteSource, at: number): boolean {
  const p = src.need(at, 768, 'the IM palette');
  for (let i = 0; i < 256; i++) if (p[i] !== p[i + 256] || p[i] !== p[i + 512]) return false;
  return true;
}
