import { ascii, u32be } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';

/**
 * QOI, "The Quite OK Image Format" specification 1.0: a 14-byte header of magic 'qoif', width and
 * height (32-bit big-endian), channels (3 RGB, 4 RGBA) and colour space (0 sRGB, 1 linear).
 * Pillow's QoiImagePlugin (since 9.5) opens it as RGB or RGBA.
 */

export function sniffQoi(h: Uint8Array): boolean {
  return ascii(h, 0, 4) === 'qoif' && (h[12] === 3 || h[12] === 4) && (h[13] === 0 || h[13] === 1);
}

export function readQoiHeader(src: ByteSource): Header {
  const h = src.need(0, 14, 'the QOI header');
  const width = u32be(h, 4);
  const height = u32be(h, 8);
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff)
    throw fail('qoi', 'E_DIMENSIONS', `invalid dimensions ${width}x${height}`);
  const channels = h[12]!;
  return {
    format: 'qoi',
    width,
    height,
    channels,
    bitsPerSample: 8,
    frames: 1,
    pillowMode: channels === 3 ? 'RGB' : 'RGBA',
  };
}
