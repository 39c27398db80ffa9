import type { Header } from '../probe/header.js';

/**
 * Header facts that do not change the decoded size but do change the memory a decoder holds
 * while decoding (its "hidden buffers"). The format readers record them during their own walk
 * (JPEG: progressive and sampling from the frame header; PNG: interlace from IHDR), so they cost
 * no read; a hint a reader does not give stays undefined and the peak estimate then takes the
 * upper bound.
 */
export type DecodeHints = Pick<Header, 'progressive' | 'interlaced' | 'sampling'>;

/** The hints a header carries. */
export function decodeHints(header: Header): DecodeHints {
  const hints: DecodeHints = {};
  if (header.progressive !== undefined) hints.progressive = header.progressive;
  if (header.interlaced !== undefined) hints.interlaced = header.interlaced;
  if (header.sampling !== undefined) hints.sampling = header.sampling;
  return hints;
}
