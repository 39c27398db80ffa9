import { ascii, startsWith, u32be } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { pillowHeader } from './pillow-layout.js';

/** Most icon elements walked; Apple's largest sets have a few dozen. */
const MAX_ELEMENTS = 1024;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The element types Pillow (IcnsImagePlugin `SIZES`) reads, by [width, height, scale]: ic07-ic14
 * and icp4-icp6 hold PNG or JPEG 2000, it32/ih32/il32/is32 packed RGB with an 8-bit mask beside.
 */
const ELEMENT_SIZES: Readonly<Record<string, [number, number, number]>> = {
  ic10: [512, 512, 2],
  ic09: [512, 512, 1],
  ic14: [256, 256, 2],
  ic08: [256, 256, 1],
  ic13: [128, 128, 2],
  ic07: [128, 128, 1],
  it32: [128, 128, 1],
  t8mk: [128, 128, 1],
  icp6: [64, 64, 1],
  ic12: [32, 32, 2],
  ih32: [48, 48, 1],
  h8mk: [48, 48, 1],
  icp5: [32, 32, 1],
  il32: [32, 32, 1],
  l8mk: [32, 32, 1],
  ic11: [16, 16, 2],
  icp4: [16, 16, 1],
  is32: [16, 16, 1],
  s8mk: [16, 16, 1],
};

/** 'icns' then the file length, below 512 MiB (text bytes there would claim more). */
export function sniffIcns(h: Uint8Array): boolean {
  return ascii(h, 0, 4) === 'icns' && u32be(h, 4) >= 8 && u32be(h, 4) < 0x20000000;
}

/**
 * Apple icon image (ICNS): 'icns', the length of the file, then elements of type(4) length(4,
 * including those 8 bytes) data. Pillow opens it as RGBA at the largest [width, height, scale]
 * present (compared in that order), sized width x scale by height x scale. Loading a PNG element
 * yields the PNG's own size, so where the largest element is a PNG larger than its slot, that size
 * is taken (with a note): the estimate must not fall under what load() holds.
 */
export function readIcnsHeader(src: ByteSource): Header {
  const head = src.need(0, 8, 'the ICNS header');
  if (!sniffIcns(head)) throw fail('icns', 'E_BAD_SIGNATURE', 'not an ICNS header');
  const fileLength = u32be(head, 4);
  let best: [number, number, number] | null = null;
  let bestAt = 0;
  let at = 8;
  for (let n = 0; at < fileLength; n++) {
    if (n >= MAX_ELEMENTS) throw fail('icns', 'E_STRUCTURE_LOOP', `more than ${MAX_ELEMENTS} icon elements`);
    const e = src.need(at, 8, () => `the icon element header at byte ${at}`);
    const length = u32be(e, 4);
    if (length < 8) throw fail('icns', 'E_BAD_HEADER', `icon element '${ascii(e, 0, 4)}' has length ${length}`);
    const size = ELEMENT_SIZES[ascii(e, 0, 4)];
    if (size && (best === null || compareSizes(size, best) > 0)) {
      best = size;
      bestAt = at + 8;
    }
    at += length;
  }
  if (best === null)
    throw fail('icns', 'E_UNSUPPORTED_FEATURE', 'no icon element Pillow reads (32-bit or PNG/JPEG 2000)');
  let width = best[0] * best[2];
  let height = best[1] * best[2];
  const notes: string[] = [];
  const png = src.read(bestAt, 24);
  if (png.length === 24 && startsWith(png, PNG_SIGNATURE) && (u32be(png, 16) > width || u32be(png, 20) > height)) {
    notes.push(`the ${width}x${height} slot holds a ${u32be(png, 16)}x${u32be(png, 20)} PNG, which load() keeps`);
    width = Math.max(width, u32be(png, 16));
    height = Math.max(height, u32be(png, 20));
  }
  return pillowHeader('icns', { width, height, mode: 'RGBA', notes });
}

/** Python's tuple order, as Pillow's max() over the sizes uses. */
function compareSizes(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}
