import { startsWith, u16le } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { pillowHeader } from './pillow-layout.js';

const PIXAR_MAGIC = [0x80, 0xe8, 0x00, 0x00];

export function sniffPixar(h: Uint8Array): boolean {
  return startsWith(h, PIXAR_MAGIC);
}

/**
 * PIXAR raster (Pixar Image Computer), as Pillow's PixarImagePlugin reads its 512-byte header:
 * height at byte 416, width at 418, and the storage layout at 424-427; Pillow opens only layout
 * (14, 2), 8-bit RGB, and refuses the others.
 */
export function readPixarHeader(src: ByteSource): Header {
  const h = src.need(0, 428, 'the PIXAR header');
  if (!sniffPixar(h)) throw fail('pixar', 'E_BAD_SIGNATURE', 'not a PIXAR header');
  if (u16le(h, 424) !== 14 || u16le(h, 426) !== 2) {
    throw fail(
      'pixar',
      'E_UNSUPPORTED_FEATURE',
      `layout (${u16le(h, 424)}, ${u16le(h, 426)}), which Pillow does not open`,
    );
  }
  return pillowHeader('pixar', { width: u16le(h, 418), height: u16le(h, 416), mode: 'RGB' });
}
