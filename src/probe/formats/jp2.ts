import { ascii, startsWith, u16be, u32be, u64be } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { PILLOW_9_0, PILLOW_9_5, PILLOW_12_0, pillowHeader } from './pillow-layout.js';

/** The JP2 signature box (ISO/IEC 15444-1 Annex I.5.1): length 12, type 'jP  ', 0D0A870A. */
const JP2_SIGNATURE = [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a];
/** A raw codestream starts with SOC (FF4F) then the SIZ marker (FF51), ISO/IEC 15444-1 A.4.1 and A.5.1. */
const SOC_SIZ = [0xff, 0x4f, 0xff, 0x51];
/** Most boxes walked at the top level and inside jp2h; real files have a handful. */
const MAX_BOXES = 512;

export function sniffJp2(h: Uint8Array): boolean {
  return startsWith(h, JP2_SIGNATURE) || startsWith(h, SOC_SIZ);
}

/**
 * JPEG 2000: a JP2 file (boxes) or a raw codestream. Pillow (Jpeg2KImagePlugin) sizes it at full
 * resolution: its `reduce` and `layers` both default to 0 (all resolution levels, all layers).
 */
export function readJp2Header(src: ByteSource): Header {
  const head = src.need(0, 4, 'the JPEG 2000 signature');
  return startsWith(head, SOC_SIZ) ? readCodestream(src) : readBoxes(src);
}

/**
 * SIZ (A.5.1): Lsiz Rsiz Xsiz Ysiz XOsiz YOsiz XTsiz YTsiz XTOsiz YTOsiz Csiz, then per component
 * Ssiz (depth - 1, bit 7 = signed) XRsiz YRsiz. The image is Xsiz-XOsiz by Ysiz-YOsiz. Pillow maps
 * 1 component to L (I;16 above 8 bits), 2 to LA, 3 to RGB, 4 to RGBA. Pillow 9 reads the
 * component's fields two bytes early and takes I;16 above 9 bits, so 9-bit grey opens as L there.
 */
function readCodestream(src: ByteSource): Header {
  const siz = src.need(4, 38, 'the SIZ marker segment');
  if (u16be(siz, 0) < 38) throw fail('jp2', 'E_BAD_HEADER', `SIZ is ${u16be(siz, 0)} bytes, less than 38`);
  const width = u32be(siz, 4) - u32be(siz, 12);
  const height = u32be(siz, 8) - u32be(siz, 16);
  const components = u16be(siz, 36);
  let mode = componentMode(components);
  let mode9 = mode;
  if (components === 1) {
    const c = src.need(42, 3, 'the SIZ component');
    mode = (c[0]! & 0x7f) + 1 > 8 ? 'I;16' : 'L';
    mode9 = (c[0]! & 0x7f) > 8 ? 'I;16' : 'L';
  }
  if (mode === null) throw fail('jp2', 'E_UNSUPPORTED_FEATURE', `${components} components, which Pillow does not open`);
  // 11.3 reads the depth right; 9.5 is taken as the first (I;16 is the larger mode).
  const history: [number, string][] = [
    [PILLOW_9_0, mode9 ?? mode],
    [PILLOW_9_5, mode],
  ];
  return pillowHeader('jp2', { width, height, mode, history });
}

function componentMode(n: number): string | null {
  return n === 1 ? 'L' : n === 2 ? 'LA' : n === 3 ? 'RGB' : n === 4 ? 'RGBA' : null;
}

interface Box {
  type: string;
  /** Where the box's contents start and end. */
  start: number;
  end: number;
}

/** The box at `at` (I.4: LBox, TBox, XLBox when LBox is 1); Pillow refuses LBox 0 (to the end) here. */
function boxAt(src: ByteSource, at: number, end: number): Box {
  const b = src.need(at, 8, 'a JP2 box header');
  let length = u32be(b, 0);
  let headerBytes = 8;
  if (length === 1) {
    length = u64be(src.need(at + 8, 8, 'a JP2 box length'), 0);
    headerBytes = 16;
  }
  if (length < headerBytes || at + length > end) {
    throw fail('jp2', 'E_BAD_HEADER', `box '${ascii(b, 4, 8)}' at byte ${at} has an invalid length ${length}`);
  }
  return { type: ascii(b, 4, 8), start: at + headerBytes, end: at + length };
}

/**
 * JP2 (I.5.3): the jp2h superbox holds ihdr (HEIGHT WIDTH NC BPC), then colr and pclr. Current
 * Pillow also reads colr (enumerated CMYK with 4 components: CMYK) and pclr (a palette of entries
 * of at most 8 bits turns L into P and LA into PA, unless colr said greyscale or bilevel); Pillow 9
 * reads ihdr only; 11.x takes a pclr palette even after a greyscale colr.
 */
function readBoxes(src: ByteSource): Header {
  let at = 0;
  let jp2h: Box | null = null;
  for (let i = 0; i < MAX_BOXES && jp2h === null; i++) {
    const box = boxAt(src, at, Number.MAX_SAFE_INTEGER);
    if (box.type === 'jp2h') jp2h = box;
    at = box.end;
  }
  if (jp2h === null) throw fail('jp2', 'E_STRUCTURE_LOOP', `no jp2h box in the first ${MAX_BOXES} boxes`);

  let size: [number, number] | null = null;
  let mode: string | null = null;
  let mode9: string | null = null;
  let mode11: string | null = null;
  let components = 0;
  let colour: string | null = null;
  at = jp2h.start;
  for (let i = 0; i < MAX_BOXES && at < jp2h.end; i++) {
    const box = boxAt(src, at, jp2h.end);
    if (box.type === 'ihdr') {
      const b = src.need(box.start, 11, 'the ihdr box');
      if (box.end - box.start < 11) throw fail('jp2', 'E_BAD_HEADER', 'the ihdr box is too short');
      size = [u32be(b, 4), u32be(b, 0)];
      components = u16be(b, 8);
      mode = components === 1 && (b[10]! & 0x7f) > 8 ? 'I;16' : componentMode(components);
      mode9 = mode11 = mode;
    } else if (box.type === 'colr' && box.end - box.start >= 7) {
      const b = src.need(box.start, 7, 'the colr box');
      const enumerated = u32be(b, 3);
      if (b[0] === 1) {
        if (enumerated === 0 || enumerated === 15) colour = '1';
        else if (enumerated === 17) colour = 'L';
        else if (enumerated === 12) {
          colour = 'CMYK';
          if (components === 4) mode = mode11 = 'CMYK';
        }
      }
    } else if (box.type === 'pclr' && (mode11 === 'L' || mode11 === 'LA')) {
      const b = src.need(box.start, 3, 'the pclr box');
      const depths = src.need(box.start + 3, b[2]!, 'the pclr depths');
      if (depths.every((d) => d <= 8)) {
        const palette: string = mode11 === 'L' ? 'P' : 'PA';
        // 11.x takes the palette whatever colr said; 12.x not after a greyscale or bilevel colr.
        if (mode === mode11 && colour !== '1' && colour !== 'L') mode = palette;
        mode11 = palette;
      }
    }
    at = box.end;
  }
  if (size === null || mode === null) throw fail('jp2', 'E_BAD_HEADER', 'no ihdr box Pillow can read in jp2h');
  // colr and pclr are read since some release after 9.4 (9.5 taken: CMYK, P and PA are no smaller).
  const history: [number, string][] = [
    [PILLOW_9_0, mode9 ?? mode],
    [PILLOW_9_5, mode11 ?? mode],
    [PILLOW_12_0, mode],
  ];
  return pillowHeader('jp2', { width: size[0], height: size[1], mode, history });
}
