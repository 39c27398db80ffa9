import { ascii, u16le } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { pillowHeader } from './pillow-layout.js';

/**
 * Microsoft Paint (MSP) version 1 ('DanM') and 2 ('LinS'): a 32-byte header of 16 little-endian
 * words, width and height the third and fourth, the sixteen words XOR to zero (the checksum).
 * Always 1 bit per pixel: Pillow (MspImagePlugin) opens it as mode 1.
 */
export function sniffMsp(h: Uint8Array): boolean {
  const magic = ascii(h, 0, 4);
  return (magic === 'DanM' || magic === 'LinS') && h.length >= 32;
}

export function readMspHeader(src: ByteSource): Header {
  const h = src.need(0, 32, 'the MSP header');
  if (!sniffMsp(h)) throw fail('msp', 'E_BAD_SIGNATURE', 'not an MSP header');
  let checksum = 0;
  for (let i = 0; i < 32; i += 2) checksum ^= u16le(h, i);
  if (checksum !== 0) throw fail('msp', 'E_BAD_HEADER', 'the header checksum does not match');
  return pillowHeader('msp', { width: u16le(h, 4), height: u16le(h, 6), mode: '1' });
}
