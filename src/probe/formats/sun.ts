import { u32be } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { pillowHeader } from './pillow-layout.js';

/** Sun rasterfile (SunOS rasterfile(5)): eight big-endian 32-bit words, the first the magic. */
const SUN_MAGIC = 0x59a66a95;

export function sniffSun(h: Uint8Array): boolean {
  return h.length >= 32 && u32be(h, 0) === SUN_MAGIC;
}

/**
 * ras_width, ras_height, ras_depth, ras_length, ras_type, ras_maptype, ras_maplength. Pillow
 * (SunImagePlugin) opens depth 1 as 1, 4 and 8 as L (P with an RGB colour map of at most 1024
 * bytes), 24 and 32 as RGB; types 0-5 (2 is RLE).
 */
export function readSunHeader(src: ByteSource): Header {
  const h = src.need(0, 32, 'the Sun raster header');
  if (!sniffSun(h)) throw fail('sun', 'E_BAD_SIGNATURE', 'not a Sun raster header');
  const depth = u32be(h, 12);
  const type = u32be(h, 20);
  const mapType = u32be(h, 24);
  const mapLength = u32be(h, 28);
  const modes: Record<number, string> = { 1: '1', 4: 'L', 8: 'L', 24: 'RGB', 32: 'RGB' };
  let mode = modes[depth];
  if (mode === undefined) throw fail('sun', 'E_UNSUPPORTED_FEATURE', `depth ${depth}, which Pillow does not open`);
  if (type > 5) throw fail('sun', 'E_UNSUPPORTED_FEATURE', `raster type ${type}, which Pillow does not open`);
  if (mapLength > 0) {
    if (mapLength > 1024 || mapType !== 1) {
      throw fail(
        'sun',
        'E_UNSUPPORTED_FEATURE',
        `a colour map of type ${mapType}, ${mapLength} bytes, which Pillow does not open`,
      );
    }
    if (mode === 'L') mode = 'P';
  }
  return pillowHeader('sun', { width: u32be(h, 4), height: u32be(h, 8), mode });
}
