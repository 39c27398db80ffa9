import { concat, le16 } from './bytes.js';

/** A 128-byte PCX header for a w x h window at (3, 5), then some data and, optionally, a palette. */
export function pcx(
  version: number,
  bits: number,
  planes: number,
  w: number,
  h: number,
  tail: number[] = [],
): Uint8Array {
  const head = concat([10, version, 1, bits], le16(3), le16(5), le16(3 + w - 1), le16(5 + h - 1), le16(72), le16(72));
  const header = concat(head, new Array(65 - head.length).fill(0), [planes], le16(w), new Array(128 - 68).fill(0));
  return concat(header, new Array(64).fill(0xc1), tail);
}
