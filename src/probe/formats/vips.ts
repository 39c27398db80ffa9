import { u32be, u32le } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';

/** The libvips native format (`.v`): magic 08 F2 A6 B6, written in the machine's byte order. */
export const VIPS_MAGIC_BE = [0x08, 0xf2, 0xa6, 0xb6];
export const VIPS_MAGIC_LE = [0xb6, 0xa6, 0xf2, 0x08];

/** The fixed header (libvips `vips.c`): magic, Xsize, Ysize, Bands, Bbits, BandFmt, Coding, Type, ... */
const HEADER_BYTES = 64;
/** Bytes per sample of each VipsBandFormat: uchar char ushort short uint int float complex double dpcomplex. */
const SAMPLE_BYTES = [1, 1, 2, 2, 4, 4, 4, 8, 8, 16];
const FORMAT_NAMES = ['uchar', 'char', 'ushort', 'short', 'uint', 'int', 'float', 'complex', 'double', 'dpcomplex'];

/** VipsInterpretation values, grouped by what sharp's conversion to sRGB does with the bands. */
const GREY = new Set([1, 26, 27]); // B_W, GREY16, MATRIX: the first band becomes 3 (grey -> RGB)
const CMYK = 15; // the 4 ink bands become 3
/**
 * Colour spaces sharp converts to sRGB band for band (XYZ, LAB, LABQ, RGB, CMC, LCH, LABS, sRGB, YXY, RGB16, scRGB,
 * HSV, OKLAB, OKLCH).
 */
const COLOUR = new Set([12, 13, 16, 17, 18, 19, 21, 22, 23, 25, 28, 29, 30, 31]);
const SPACE: Record<number, string> = {
  1: 'b-w',
  26: 'grey16',
  27: 'matrix',
  15: 'cmyk',
  12: 'xyz',
  13: 'lab',
  17: 'rgb',
  21: 'labs',
  22: 'srgb',
  25: 'rgb16',
  28: 'scrgb',
  30: 'oklab',
  31: 'oklch',
};
const MAX_DIMENSION = 0x7fffffff;

/**
 * libvips' own format, which libvips loads as stored: Bands bands of BandFmt samples, no
 * conversion. Only uncoded images (Coding NONE) are sized; the pixel data must be present
 * (libvips maps it right after the 64-byte header), and the interpretation must be one sharp
 * can convert to sRGB (MULTIBAND, HISTOGRAM, FOURIER cannot: decoding fails).
 */
export function readVipsHeader(src: ByteSource): Header {
  const h = src.need(0, HEADER_BYTES, 'the 64-byte VIPS header');
  const le = h[0] === 0xb6;
  const u32 = (i: number): number => (le ? u32le(h, i) : u32be(h, i));
  const i32 = (i: number): number => u32(i) | 0;
  const width = i32(4);
  const height = i32(8);
  const bands = i32(12);
  const fmt = i32(20);
  const coding = i32(24);
  const type = i32(28);
  if (width < 1 || height < 1 || width > MAX_DIMENSION || height > MAX_DIMENSION) {
    throw fail('vips', 'E_DIMENSIONS', `invalid dimensions ${width}x${height}`);
  }
  if (bands < 1) throw fail('vips', 'E_BAD_HEADER', `invalid band count ${bands}`);
  const sample = SAMPLE_BYTES[fmt];
  if (sample === undefined) throw fail('vips', 'E_BAD_HEADER', `unknown band format ${fmt}`);
  if (coding !== 0)
    throw fail(
      'vips',
      'E_UNSUPPORTED_FEATURE',
      `coded pixels (coding ${coding}, e.g. LABQ or RAD) are not sized by this reader`,
    );
  const dataBytes = BigInt(width) * BigInt(height) * BigInt(bands) * BigInt(sample);
  if (src.size !== Infinity && BigInt(HEADER_BYTES) + dataBytes > BigInt(src.size)) {
    throw fail(
      'vips',
      'E_TRUNCATED',
      `the pixel data (${dataBytes} bytes after the header) is cut off: the file has ${src.size} bytes`,
    );
  }
  let outputChannels: number;
  if (GREY.has(type)) outputChannels = bands + 2;
  else if (type === CMYK) outputChannels = Math.max(1, bands - 1);
  else if (COLOUR.has(type)) outputChannels = bands;
  else
    throw fail(
      'vips',
      'E_UNSUPPORTED_FEATURE',
      `interpretation ${type} (e.g. multiband, histogram, fourier) has no conversion to sRGB in sharp`,
    );
  return {
    format: 'vips',
    width,
    height,
    channels: bands,
    bitsPerSample: sample * 8,
    ...(outputChannels !== bands ? { outputChannels } : {}),
    frames: 1,
    space: SPACE[type] ?? `${FORMAT_NAMES[fmt]}-${type}`,
  };
}
