import { startsWith, u16le, u32be, u32le } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { dibHeader, readDib } from './bmp.js';
import { PNG_GREY16_MODES, PNG_SIGNATURE, pngPillowMode } from './png.js';

/**
 * ICO and CUR (Microsoft ICONDIR: reserved 0, type 1 icon / 2 cursor, a count, then 16-byte
 * ICONDIRENTRY records: width, height (0 = 256), colours, reserved, planes or hotspot x, bit count
 * or hotspot y, size, offset). Each entry is a PNG or a DIB whose height counts the AND mask.
 *
 * Which entry Pillow opens, and its mode:
 * - ICO (IcoImagePlugin): the largest by the directory's width × height, the fewest colours among
 *   equals, sized by the entry's own header; a PNG entry keeps its PNG mode, a DIB entry is
 *   combined with its mask into RGBA.
 * - CUR (CurImagePlugin): the first entry, replaced by each later one larger in both directory
 *   dimensions (0 counts as 0 here); its DIB mode, except 1 and L, which Pillow 12 opens as LA.
 */

export function sniffIcon(h: Uint8Array, type: 1 | 2): boolean {
  if (!startsWith(h, [0, 0, type, 0])) return false;
  const count = u16le(h, 4);
  if (count < 1 || count > 255 || h.length < 22) return false;
  const planes = u16le(h, 10);
  const offset = u32le(h, 18);
  return h[9] === 0 && (type === 2 || planes <= 1) && offset >= 6 + 16 * count;
}

/** The ICONDIR entries (16 bytes each). */
function entries(src: ByteSource, fmt: 'ico' | 'cur'): Uint8Array[] {
  const count = u16le(src.need(0, 6, 'the icon directory'), 4);
  if (count === 0) throw fail(fmt, 'E_BAD_HEADER', 'the icon directory has no entries');
  const dir = src.need(6, 16 * count, () => `the icon directory of ${count} entries`);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) out.push(dir.subarray(16 * i, 16 * i + 16));
  return out;
}

/** An entry's colour depth as Pillow ranks it: the bit count, else log2 of the colours, else 256. */
function colourDepth(e: Uint8Array): number {
  const bpp = u16le(e, 6);
  if (bpp) return bpp;
  return e[2] ? Math.ceil(Math.log2(e[2])) || 256 : 256;
}

export function readIcoHeader(src: ByteSource): Header {
  let best: Uint8Array | null = null;
  let bestArea = -1;
  let bestDepth = 0;
  for (const e of entries(src, 'ico')) {
    const area = (e[0] || 256) * (e[1] || 256);
    const depth = colourDepth(e);
    if (area > bestArea || (area === bestArea && depth < bestDepth)) {
      best = e;
      bestArea = area;
      bestDepth = depth;
    }
  }
  const offset = u32le(best!, 12);
  const head = src.need(offset, 8, 'the icon image');
  if (startsWith(head, PNG_SIGNATURE)) {
    const ihdr = src.need(offset, 26, "the icon's PNG header");
    const width = u32be(ihdr, 16);
    const height = u32be(ihdr, 20);
    if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff)
      throw fail('ico', 'E_DIMENSIONS', `invalid dimensions ${width}x${height}`);
    const depth = ihdr[24]!;
    const colourType = ihdr[25]!;
    const mode = pngPillowMode(colourType, depth);
    return {
      format: 'ico',
      width,
      height,
      channels: colourType === 0 ? 1 : colourType === 4 ? 2 : colourType === 2 || colourType === 3 ? 3 : 4,
      bitsPerSample: depth === 16 ? 16 : 8,
      frames: 1,
      pillowMode: mode,
      ...(colourType === 0 && depth === 16 ? { pillowModeSince: PNG_GREY16_MODES } : {}),
    };
  }
  const dib = readDib(src, offset, 'ico');
  return dibHeader('ico', dib, halfHeight(dib.height, 'ico'), 'RGBA');
}

export function readCurHeader(src: ByteSource): Header {
  let chosen: Uint8Array | null = null;
  for (const e of entries(src, 'cur')) if (chosen === null || (e[0]! > chosen[0]! && e[1]! > chosen[1]!)) chosen = e;
  const offset = u32le(chosen!, 12);
  const dib = readDib(src, offset, 'cur', offset === 22);
  const header = dibHeader('cur', dib, halfHeight(dib.height, 'cur'));
  if (dib.mode === '1' || dib.mode === 'L') {
    header.pillowMode = 'LA';
    header.channels = 2;
    header.pillowModeSince = CUR_MASKED_SINCE(dib.mode);
  }
  return header;
}

/**
 * A 1-bit or grey cursor: its own mode before Pillow 12, LA (the mask as alpha) since: measured
 * '1'/'L' in 9.4 and 11.3, LA in 12.3.
 */
const CUR_MASKED_SINCE = (mode: string): [number, string][] => [
  [900, mode],
  [1200, 'LA'],
];

/** The image's height: the DIB's less the AND mask, as Pillow halves it (rounding down). */
function halfHeight(height: number, fmt: 'ico' | 'cur'): number {
  const half = Math.floor(height / 2);
  if (half === 0) throw fail(fmt, 'E_DIMENSIONS', `invalid icon height ${height} (image and mask)`);
  return half;
}
