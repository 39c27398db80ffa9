import { ascii } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { pillowHeader } from './pillow-layout.js';

/** Kodak Photo CD image pack: 'PCD_' (the IPI header) at byte 2048; Pillow reads 1539 bytes there. */
export const PCD_SIGNATURE_AT = 2048;
const IPI_BYTES = 1539;

export function sniffPcd(atSignature: Uint8Array): boolean {
  return ascii(atSignature, 0, 4) === 'PCD_';
}

/**
 * Pillow (PcdImagePlugin) decodes the 768x512 base image as RGB, turned by the orientation in the
 * low bits of the IPI header's byte 1538: 1 and 3 (a quarter turn) make it 512x768. Pillow 9 reports
 * 768x512 at open whatever the orientation and turns the image when it loads; current releases
 * report the turned size, and hold the unturned image beside the turned one while they turn it.
 */
export function readPcdHeader(src: ByteSource): Header {
  const ipi = src.need(PCD_SIGNATURE_AT, IPI_BYTES, 'the Photo CD IPI header');
  if (!sniffPcd(ipi)) throw fail('pcd', 'E_BAD_SIGNATURE', "no 'PCD_' at byte 2048");
  const quarterTurn = (ipi[1538]! & 1) === 1;
  const notes = quarterTurn
    ? ['turned a quarter: Pillow 9 reports 768x512 until it loads; load() holds both the 768x512 and the turned image']
    : [];
  return pillowHeader('pcd', { width: quarterTurn ? 512 : 768, height: quarterTurn ? 768 : 512, mode: 'RGB', notes });
}
