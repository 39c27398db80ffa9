import { ascii, u16le, u32le } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';

/**
 * BMP and DIB (Microsoft "Bitmap Storage": BITMAPFILEHEADER, then a BITMAPCOREHEADER (12 bytes) or
 * BITMAPINFOHEADER (40) and its V2/V3/V4/V5 extensions (52, 56, 108, 124) or OS/2 2.x (64)).
 * Sized and moded as Pillow's BmpImagePlugin reads them: 1/4/8-bit (palette, RLE4/RLE8) open as P,
 * or L / 1 when the palette is a grey ramp; 16/24/32-bit as RGB, RGBA where a bitfield or the
 * icon's 32-bit layout carries alpha. libvips has no BMP loader, so only Pillow decodes these.
 */

export function sniffBmp(h: Uint8Array): boolean {
  return ascii(h, 0, 2) === 'BM' && DIB_SIZES.has(u32le(h, 14)) && u32le(h, 10) >= 26;
}

/** DIB header sizes Pillow reads (BmpImagePlugin `_bitmap`); 16 (short OS/2 2.x) it refuses. */
const PILLOW_DIB_SIZES = new Set([12, 40, 52, 56, 64, 108, 124]);
const DIB_SIZES = new Set([16, ...PILLOW_DIB_SIZES]);

/** biCompression values. */
const RAW = 0;
const RLE8 = 1;
const RLE4 = 2;
const BITFIELDS = 3;

/** Bitfield masks Pillow decodes, as "bits:r,g,b[,a]" → whether the layout carries alpha. */
const MASKS = new Map<string, boolean>([
  ['32:ff0000,ff00,ff,0', false],
  ['32:ff000000,ff0000,ff00,0', false],
  ['32:ff000000,ff00,ff,0', false],
  ['32:ff000000,ff0000,ff00,ff', true],
  ['32:ff,ff00,ff0000,ff000000', true],
  ['32:ff0000,ff00,ff,ff000000', true],
  ['32:ff000000,ff00,ff,ff0000', true],
  ['32:0,0,0,0', true],
  ['24:ff0000,ff00,ff', false],
  ['16:f800,7e0,1f', false],
  ['16:7c00,3e0,1f', false],
]);

/** A device-independent bitmap's header, as Pillow reads it. */
export interface Dib {
  width: number;
  /** The stored height (an icon's DIB counts the AND mask too: twice the image). */
  height: number;
  bits: number;
  /** Pillow's mode: 1, L, P, RGB or RGBA; null with `refusal` when Pillow cannot open it. */
  mode: string;
  /** Why Pillow refuses this DIB (a bitfield layout or depth it has no unpacker for). */
  refusal?: string;
  /** The first Pillow release that reads this DIB header, where later than 9.0. */
  since?: number;
}

/**
 * Reads the DIB header at `at`. `iconAt22` is Pillow's 32-bit cursor rule: a DIB read from offset
 * 22 of a CUR file keeps its fourth byte as alpha.
 */
export function readDib(src: ByteSource, at: number, fmt: 'bmp' | 'ico' | 'cur', iconAt22 = false): Dib {
  const size = u32le(src.need(at, 4, 'the DIB header size'), 0);
  if (!DIB_SIZES.has(size)) throw fail(fmt, 'E_BAD_HEADER', `unknown DIB header size ${size}`);
  const h = src.need(at, size, () => `the ${size}-byte DIB header`);
  let width: number;
  let height: number;
  let bits: number;
  let compression = RAW;
  let colours = 0;
  if (size === 12) {
    width = u16le(h, 4);
    height = u16le(h, 6);
    bits = u16le(h, 10);
  } else {
    width = u32le(h, 4);
    // A top-down bitmap stores a negative height; Pillow reads it as such only when the top byte is 0xFF.
    height = h[11] === 0xff ? 0x100000000 - u32le(h, 8) : u32le(h, 8);
    bits = u16le(h, 14);
    compression = u32le(h, 16);
    colours = u32le(h, 32);
  }
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) {
    throw fail(fmt, 'E_DIMENSIONS', `invalid dimensions ${width}x${height}`);
  }
  // Pillow 9.4 reads neither V2 (52) nor V3 (56) headers; 11.3 and 12.3 do: taken from 9.5.
  const since = size === 52 || size === 56 ? 905 : undefined;
  const dib = (mode: string, refusal?: string): Dib => ({
    width,
    height,
    bits,
    mode,
    ...(refusal ? { refusal } : {}),
    ...(since ? { since } : {}),
  });
  if (!PILLOW_DIB_SIZES.has(size)) return dib('RGB', `Pillow does not read ${size}-byte DIB headers`);
  const base = BASE_MODES[bits];
  if (base === undefined) return dib('RGB', `Pillow does not read ${bits}-bit bitmaps`);
  let mode = base;
  if (compression === BITFIELDS) {
    // The masks follow a 40-byte header; V2 and later headers hold them (V3 on: alpha too).
    const rgb = size >= 52 ? [u32le(h, 40), u32le(h, 44), u32le(h, 48)] : readMasks(src, at + size);
    const alpha = size >= 56 ? u32le(h, 52) : 0;
    const key = bits === 32 ? `32:${[...rgb, alpha].map(hex).join(',')}` : `${bits}:${rgb.map(hex).join(',')}`;
    const hasAlpha = MASKS.get(key);
    if (hasAlpha === undefined) return dib('RGB', 'Pillow does not read this bitfield layout');
    if (hasAlpha) mode = 'RGBA';
  } else if (compression === RAW) {
    if (bits === 32 && iconAt22) mode = 'RGBA';
  } else if (compression !== RLE8 && compression !== RLE4) {
    return dib(base, `Pillow does not read BMP compression ${compression}`);
  }
  if (mode === 'P') {
    const count = colours || 2 ** bits;
    if (count > 65536) return dib('P', `Pillow does not read a palette of ${count} colours`);
    mode = paletteMode(src, at + size, count, size === 12 ? 3 : 4);
  }
  return dib(mode);
}

/** Pillow's BIT2MODE: the mode before palette and bitfield rules. */
const BASE_MODES: Record<number, string> = { 1: 'P', 4: 'P', 8: 'P', 16: 'RGB', 24: 'RGB', 32: 'RGB' };
const hex = (n: number): string => n.toString(16);

function readMasks(src: ByteSource, at: number): number[] {
  const m = src.need(at, 12, 'the bitfield masks');
  return [u32le(m, 0), u32le(m, 4), u32le(m, 8)];
}

/**
 * P, or L / 1 when the palette is the grey ramp Pillow looks for (entry i = (i, i, i); two
 * colours: black then white). A palette cut short is no ramp. Larger palettes than 256 entries
 * stay P (one byte a pixel either way).
 */
function paletteMode(src: ByteSource, at: number, count: number, entry: number): string {
  if (count > 256) return 'P';
  const pal = src.read(at, count * entry);
  for (let i = 0; i < count; i++) {
    const v = count === 2 ? i * 255 : i;
    const o = i * entry;
    if (o + 3 > pal.length || pal[o] !== v || pal[o + 1] !== v || pal[o + 2] !== v) return 'P';
  }
  return count === 2 ? '1' : 'L';
}

/** Bands and depth of a Pillow mode, for the header's libvips-shaped fields. */
export function bandsOf(mode: string): number {
  return BANDS[mode] ?? 4;
}
const BANDS: Record<string, number> = { '1': 1, L: 1, P: 1, LA: 2, RGB: 3, RGBA: 4, CMYK: 4, LAB: 3, I: 1, F: 1 };

/** BMP: a 14-byte file header ("BM", size, reserved, pixel offset), then the DIB. */
export function readBmpHeader(src: ByteSource): Header {
  src.need(0, 18, 'the BMP file header');
  const dib = readDib(src, 14, 'bmp');
  return dibHeader('bmp', dib, dib.height);
}

/** The header of a bitmap Pillow opens in `dib.mode`, `height` tall. */
export function dibHeader(format: 'bmp' | 'ico' | 'cur', dib: Dib, height: number, mode = dib.mode): Header {
  return {
    format,
    width: dib.width,
    height,
    channels: bandsOf(mode),
    bitsPerSample: 8,
    frames: 1,
    pillowMode: mode,
    ...(dib.refusal ? { pillowRefusal: dib.refusal } : {}),
    ...(dib.since ? { pillowSince: dib.since } : {}),
  };
}
