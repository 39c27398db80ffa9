/** Builders for hand-made header bytes in tests (hostile and truncated cases). */
import { deflateSync } from 'node:zlib';
import { bufferSource, type BoundedSource } from '../../src/probe/source.js';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export const be32 = (n: number): number[] => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
export const be16 = (n: number): number[] => [(n >>> 8) & 255, n & 255];
export const le32 = (n: number): number[] => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
export const le16 = (n: number): number[] => [n & 255, (n >>> 8) & 255];
export const text = (s: string): number[] => [...Buffer.from(s, 'latin1')];

export function concat(...parts: ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A PNG chunk with a correct CRC. */
export function pngChunk(type: string, data: ArrayLike<number> = []): Uint8Array {
  const body = concat(text(type), data);
  return concat(be32(data.length), body, be32(crc32(body)));
}

export const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A whole PNG: signature, IHDR, the extra chunks given, a small IDAT and IEND. */
export function makePng(opts: {
  width: number;
  height: number;
  depth?: number;
  colourType?: number;
  chunks?: Uint8Array[];
}): Uint8Array {
  const ihdr = [...be32(opts.width), ...be32(opts.height), opts.depth ?? 8, opts.colourType ?? 2, 0, 0, 0];
  return concat(
    PNG_SIG,
    pngChunk('IHDR', ihdr),
    ...(opts.chunks ?? []),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1))),
    pngChunk('IEND'),
  );
}

export const src = (bytes: Uint8Array): BoundedSource => bufferSource(bytes);

/** Every prefix of `bytes` at the given cut points (default: every byte up to `upTo`). */
export function prefixes(bytes: Uint8Array, cuts?: number[]): Uint8Array[] {
  const points = cuts ?? Array.from({ length: bytes.length }, (_, i) => i);
  return points.filter((n) => n < bytes.length).map((n) => bytes.subarray(0, n));
}

/** A small deterministic PRNG (LCG) for mutation tests: the same cases on every run. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 0x100000000;
  };
}

/** `count` copies of `bytes`, each with 1..3 random bytes replaced (deterministic for a seed). */
export function mutants(bytes: Uint8Array, count: number, seed = 1): Uint8Array[] {
  const rnd = lcg(seed);
  return Array.from({ length: count }, () => {
    const m = Uint8Array.from(bytes);
    const k = 1 + Math.floor(rnd() * 3);
    for (let j = 0; j < k; j++) m[Math.floor(rnd() * m.length)] = Math.floor(rnd() * 256);
    return m;
  });
}
