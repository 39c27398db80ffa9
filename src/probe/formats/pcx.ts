import { u16le } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { pillowHeader } from './pillow-layout.js';

/** ZSoft PCX header (ZSoft "PCX Technical Reference Manual"): 128 bytes, little-endian. */
const HEADER_BYTES = 128;
/** The optional 256-colour palette at the end of a version 5 file: 0x0C then 768 bytes. */
const VGA_PALETTE_BYTES = 769;

/** Manufacturer 10, version 0/2/3/5, encoding 0 or 1, bits per pixel per plane 1/2/4/8. */
export function sniffPcx(h: Uint8Array): boolean {
  return h[0] === 10 && [0, 2, 3, 5].includes(h[1]!) && h[2]! <= 1 && [1, 2, 4, 8].includes(h[3]!);
}

/**
 * The PCX header at `at` (a DCX page starts with one). Size from the window Xmin,Ymin..Xmax,Ymax
 * (inclusive); Pillow (PcxImagePlugin) opens 1 bit x 1 plane as 1, 1 bit x 2 or 4 planes as P,
 * version 5 8 bits x 3 planes as RGB, and 8 bits x 1 plane as L, or P when the file ends with a
 * palette that is not the grey ramp (the end of the file is read for it, as Pillow does: for a
 * DCX page too, the end of the whole file).
 */
export function readPcxAt(src: ByteSource, at: number): Header {
  const h = src.need(at, HEADER_BYTES, 'the PCX header');
  if (!sniffPcx(h)) throw fail('pcx', 'E_BAD_SIGNATURE', 'not a PCX header');
  const version = h[1]!;
  const bits = h[3]!;
  const planes = h[65]!;
  const width = u16le(h, 8) - u16le(h, 4) + 1;
  const height = u16le(h, 10) - u16le(h, 6) + 1;
  if (width <= 0 || height <= 0) throw fail('pcx', 'E_DIMENSIONS', `an empty image window (${width}x${height})`);
  let mode: string | null = null;
  if (bits === 1 && planes === 1) mode = '1';
  else if (bits === 1 && (planes === 2 || planes === 4)) mode = 'P';
  else if (version === 5 && bits === 8 && planes === 3) mode = 'RGB';
  else if (version === 5 && bits === 8 && planes === 1) {
    // Pillow seeks 769 bytes back from the end of the file whether a palette is there or not.
    if (src.size < VGA_PALETTE_BYTES) {
      throw fail(
        'pcx',
        'E_TRUNCATED',
        `an 8-bit file shorter than the ${VGA_PALETTE_BYTES}-byte palette Pillow seeks to`,
      );
    }
    mode = hasColourPalette(src) ? 'P' : 'L';
  }
  if (mode === null) {
    throw fail(
      'pcx',
      'E_UNSUPPORTED_FEATURE',
      `${bits} bits x ${planes} planes (version ${version}), which Pillow does not open`,
    );
  }
  return pillowHeader('pcx', { width, height, mode });
}

/** Whether the file ends with a 256-colour palette other than the identity grey ramp. */
function hasColourPalette(src: ByteSource): boolean {
  const p = src.read(src.size - VGA_PALETTE_BYTES, VGA_PALETTE_BYTES);
  if (p.length < VGA_PALETTE_BYTES || p[0] !== 12) return false;
  for (let i = 0; i < 256; i++) {
    if (p[1 + 3 * i] !== i || p[2 + 3 * i] !== i || p[3 + 3 * i] !== i) return true;
  }
  return false;
}

export function readPcxHeader(src: ByteSource): Header {
  return readPcxAt(src, 0);
}
