import type { InputEntry } from './walk.js';

export interface Shard {
  /** 1-based index of this shard. */
  k: number;
  n: number;
}

/**
 * Parses `K/N` (1 ≤ K ≤ N). `auto/N` takes K from `JOB_COMPLETION_INDEX` (a Kubernetes Indexed
 * Job's 0-based index) plus one. Returns an error message instead of throwing.
 */
export function parseShard(spec: string, env: NodeJS.ProcessEnv = process.env): Shard | string {
  const m = /^(\d+|auto)\/(\d+)$/.exec(spec.trim());
  if (!m) return `expected K/N (e.g. 2/8) or auto/N, got ${JSON.stringify(spec)}`;
  const n = Number(m[2]);
  let k: number;
  if (m[1] === 'auto') {
    const index = env.JOB_COMPLETION_INDEX;
    if (index === undefined || !/^\d+$/.test(index))
      return 'auto/N needs JOB_COMPLETION_INDEX (0-based) in the environment';
    k = Number(index) + 1;
  } else k = Number(m[1]);
  if (!Number.isSafeInteger(n) || n < 1) return `N must be at least 1 in ${JSON.stringify(spec)}`;
  if (!Number.isSafeInteger(k) || k < 1 || k > n) return `K must be between 1 and ${n} in ${JSON.stringify(spec)}`;
  return { k, n };
}

/**
 * FNV-1a (32-bit) of the UTF-8 bytes of the path relative to the input it was found under
 * (or the path as given for files named directly and list entries). It depends on nothing
 * but those bytes, so every machine puts a file in the same shard whatever its walk order.
 */
export function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The 1-based shard a relative path belongs to among `n`: the hash's high bits pick it. */
export function shardOf(rel: string, n: number): number {
  return Math.floor((fnv1a(Buffer.from(rel, 'utf8')) * n) / 2 ** 32) + 1;
}

/** Keeps only the entries of shard `k` of `n`. */
export function* inShard(entries: Iterable<InputEntry>, shard: Shard): Generator<InputEntry> {
  for (const e of entries) if (shardOf(e.rel ?? e.path, shard.n) === shard.k) yield e;
}
