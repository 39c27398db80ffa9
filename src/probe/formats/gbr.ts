import { ascii, u32be } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { pillowHeader } from './pillow-layout.js';

/**
 * GIMP brush (GIMP's devel-docs/gbr.txt): big-endian header_size, version (1 or 2), width,
 * height, bytes per pixel (1 grey, 4 RGBA); version 2 then has the magic 'GIMP' and the spacing.
 * Pillow (GbrImagePlugin) opens 1 byte as L and 4 as RGBA.
 */
export function sniffGbr(h: Uint8Array): boolean {
  if (h.length < 28 || u32be(h, 0) < 20 || u32be(h, 8) === 0 || u32be(h, 12) === 0) return false;
  const version = u32be(h, 4);
  const depth = u32be(h, 16);
  // Eight bytes of small integers are common in binary files: version 2 has its magic to check,
  // version 1 (no magic) must at least carry a depth Pillow opens.
  return (version === 2 && ascii(h, 20, 24) === 'GIMP') || (version === 1 && (depth === 1 || depth === 4));
}

export function readGbrHeader(src: ByteSource): Header {
  const h = src.need(0, 28, 'the GIMP brush header');
  if (!sniffGbr(h)) throw fail('gbr', 'E_BAD_SIGNATURE', 'not a GIMP brush header');
  const depth = u32be(h, 16);
  if (depth !== 1 && depth !== 4) {
    throw fail('gbr', 'E_UNSUPPORTED_FEATURE', `${depth} bytes per pixel, which Pillow does not open`);
  }
  return pillowHeader('gbr', { width: u32be(h, 8), height: u32be(h, 12), mode: depth === 1 ? 'L' : 'RGBA' });
}
