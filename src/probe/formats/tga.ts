import { u16le } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';

/**
 * Truevision TGA (Truevision TGA File Format Specification 2.0: an 18-byte header of ID length,
 * colour map type, image type, colour map spec (first index, length, entry size), origin, width,
 * height, pixel depth and descriptor; version 2 files end in a footer naming "TRUEVISION-XFILE").
 * TGA has no signature, so the sniff asks for a header no other file plausibly starts with: a
 * known image type with the pixel depth it allows, a colour map exactly when the type has one,
 * zero reserved descriptor bits (the version 2 footer is not needed for that, and is not read).
 * Modes as Pillow's TgaImagePlugin reads them.
 */

/** Image types (spec "Image Type"): colour-mapped 1/9, true-colour 2/10, grey 3/11; +8 = RLE. */
const DEPTHS: Record<number, number[]> = {
  1: [8],
  9: [8],
  2: [16, 24, 32],
  10: [16, 24, 32],
  3: [1, 8, 16],
  11: [1, 8, 16],
};

export function sniffTga(h: Uint8Array): boolean {
  if (h.length < 18) return false;
  const mapType = h[1]!;
  const type = h[2]!;
  const depth = h[16]!;
  const descriptor = h[17]!;
  if (!DEPTHS[type]?.includes(depth)) return false;
  if (u16le(h, 12) === 0 || u16le(h, 14) === 0) return false;
  // Bits 6-7 of the descriptor are reserved (0); bits 0-3 count alpha bits, at most 8.
  if (descriptor & 0xc0 || (descriptor & 0x0f) > 8) return false;
  const mapped = type === 1 || type === 9;
  if (mapped) return mapType === 1 && u16le(h, 5) > 0 && [15, 16, 24, 32].includes(h[7]!);
  // No colour map: its specification is zero.
  return mapType === 0 && u16le(h, 3) === 0 && u16le(h, 5) === 0 && h[7] === 0;
}

export function readTgaHeader(src: ByteSource): Header {
  const h = src.need(0, 18, 'the TGA header');
  if (!sniffTga(h)) throw fail('tga', 'E_BAD_HEADER', 'not a valid TGA header');
  const width = u16le(h, 12);
  const height = u16le(h, 14);
  const type = h[2]! & 7;
  const depth = h[16]!;
  const modes = tgaModes(type, depth);
  const mode = modes[modes.length - 1]![1];
  return {
    format: 'tga',
    width,
    height,
    channels: mode === 'RGB' ? 3 : mode === 'RGBA' ? 4 : mode === 'LA' ? 2 : 1,
    bitsPerSample: 8,
    frames: 1,
    pillowMode: mode,
    ...(modes.length > 1 ? { pillowModeSince: modes } : {}),
  };
}

/**
 * Pillow's mode by release: grey 1-bit 1, 16-bit LA, else L; colour-mapped P (the sniff requires
 * the map); true-colour 24-bit RGB, else RGBA (16-bit was RGB in 9.4: measured RGB in 9.4, RGBA in
 * 11.3 and 12.3; the change is placed at 9.5, same bytes a pixel either way).
 */
function tgaModes(type: number, depth: number): [number, string][] {
  if (type === 3) return [[900, depth === 1 ? '1' : depth === 16 ? 'LA' : 'L']];
  if (type === 1) return [[900, 'P']];
  if (depth === 16)
    return [
      [900, 'RGB'],
      [905, 'RGBA'],
    ];
  return [[900, depth === 24 ? 'RGB' : 'RGBA']];
}
