import { ascii, u32le } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { PILLOW_9_0, PILLOW_9_5, pillowHeader } from './pillow-layout.js';

export function sniffBlp(h: Uint8Array): boolean {
  const magic = ascii(h, 0, 4);
  return magic === 'BLP1' || magic === 'BLP2';
}

/**
 * Blizzard mipmap (BLP), little-endian, as Pillow's BlpImagePlugin reads it. BLP1: magic,
 * compression(4), alpha bits(4), width(4), height(4). BLP2: magic, compression(4), encoding(1),
 * alpha depth(1), alpha encoding(1), mip flag(1), width(4), height(4). RGBA when there is alpha,
 * else RGB. Pillow 9 reads the alpha from byte 9 for both versions: for BLP1 that is the second
 * byte of its alpha bits, zero for 8-bit alpha, so BLP1 with alpha opens as RGB there.
 */
export function readBlpHeader(src: ByteSource): Header {
  const h = src.need(0, 20, 'the BLP header');
  if (!sniffBlp(h)) throw fail('blp', 'E_BAD_SIGNATURE', 'not a BLP header');
  const alpha = ascii(h, 0, 4) === 'BLP1' ? u32le(h, 8) !== 0 : h[9] !== 0;
  const mode = alpha ? 'RGBA' : 'RGB';
  const mode9 = h[9] !== 0 ? 'RGBA' : 'RGB';
  const history: [number, string][] = [
    [PILLOW_9_0, mode9],
    [PILLOW_9_5, mode],
  ];
  return pillowHeader('blp', { width: u32le(h, 12), height: u32le(h, 16), mode, history });
}
