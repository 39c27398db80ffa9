/**
 * Proves a small image's pixel data whole without the decoder: every byte of its compressed data
 * entropy-decoded (JPEG Huffman, PNG zlib, GIF LZW, WebP VP8/VP8L) under strict rules. A file
 * proven whole is one the decoder reads; anything else (unusual, unsupported here, broken) is left
 * to the decoder. Pure functions over the file's bytes: no I/O, bounded work.
 */
import type { DecodableFormat } from '../probe/header.js';
import { notProven, type WholeProof } from './proof.js';

export type { WholeProof } from './proof.js';

type Prover = (bytes: Uint8Array) => WholeProof;

/** One prover per format; a format without one is always left to the decoder. */
const PROVERS: Partial<Record<DecodableFormat, Prover>> = {};

/** Whether `bytes` (a whole file of `format`) is proven whole; never throws. */
export function proveWhole(format: string, bytes: Uint8Array): WholeProof {
  const prover = PROVERS[format as DecodableFormat];
  if (!prover) return notProven(`no wholeness check for ${format}`);
  try {
    return prover(bytes);
  } catch (e) {
    return notProven(`wholeness check failed: ${(e as Error).message}`);
  }
}
