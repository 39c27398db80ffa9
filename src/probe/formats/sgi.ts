import { u16be } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { pillowHeader } from './pillow-layout.js';

/** SGI image file magic (P. Haeberli, "The SGI Image File Format", v1.00, header field MAGIC). */
const SGI_MAGIC = 474;

/**
 * SGI header, 512 bytes, big-endian: MAGIC(2) STORAGE(1: 0 verbatim, 1 RLE) BPC(1: 1 or 2 bytes
 * per channel) DIMENSION(2) XSIZE(2) YSIZE(2) ZSIZE(2: channels). The sniff also checks STORAGE,
 * BPC and DIMENSION, so two bytes of magic alone do not claim a file.
 */
export function sniffSgi(h: Uint8Array): boolean {
  return u16be(h, 0) === SGI_MAGIC && h[2]! <= 1 && (h[3] === 1 || h[3] === 2) && u16be(h, 4) >= 1 && u16be(h, 4) <= 3;
}

/**
 * Pillow (SgiImagePlugin) opens 1 channel as L (16-bit samples too: they are read down to 8 bits),
 * 3 as RGB and 4 as RGBA; DIMENSION 3 needs ZSIZE 3 or 4, DIMENSION 1 and 2 need ZSIZE 1.
 */
export function readSgiHeader(src: ByteSource): Header {
  const h = src.need(0, 12, 'the SGI header');
  if (!sniffSgi(h)) throw fail('sgi', 'E_BAD_SIGNATURE', 'not an SGI header');
  const dimension = u16be(h, 4);
  const zsize = u16be(h, 10);
  const mode = dimension < 3 ? (zsize === 1 ? 'L' : null) : zsize === 3 ? 'RGB' : zsize === 4 ? 'RGBA' : null;
  if (mode === null) {
    throw fail(
      'sgi',
      'E_UNSUPPORTED_FEATURE',
      `${zsize} channels in ${dimension} dimensions, which Pillow does not open`,
    );
  }
  return pillowHeader('sgi', { width: u16be(h, 6), height: u16be(h, 8), mode });
}
