/**
 * The paths seen so far, kept as 64-bit fingerprints (two independent 32-bit hashes of the path's
 * UTF-16 code units) in an open-addressing table: 8 bytes a slot, at most 3/4 full, so 11 to 21
 * bytes a path whatever its length. `merge` uses it to count a path once when its inputs overlap
 * (a shard's output given twice, a retried job appended to the same file).
 *
 * Two different paths share a fingerprint with odds of about n²/2^65: one in 370,000 for ten
 * million paths. Only then would a path be taken for one already seen.
 */
export class SeenPaths {
  private lo = new Uint32Array(1024);
  private hi = new Uint32Array(1024);
  private count = 0;

  /** How many different paths were added. */
  get size(): number {
    return this.count;
  }

  /** Adds `path`; false when it was there already. */
  add(path: string): boolean {
    let a = 0x811c9dc5; // FNV-1a
    let b = 0x9747b28c; // a multiply-xorshift hash with another seed, independent of the first
    for (let i = 0; i < path.length; i++) {
      const c = path.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    a = (a ^ (a >>> 16)) >>> 0;
    b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
    b = (b ^ (b >>> 16)) >>> 0;
    // (0, 0) marks an empty slot: the one path hashing to it is stored as (0, 1).
    if (a === 0 && b === 0) b = 1;
    if (!this.insert(a, b)) return false;
    if (++this.count * 4 > this.lo.length * 3) this.grow();
    return true;
  }

  /** Linear probing from the slot `b` picks; false when (a, b) is already in the table. */
  private insert(a: number, b: number): boolean {
    const mask = this.lo.length - 1;
    for (let i = b & mask; ; i = (i + 1) & mask) {
      const lo = this.lo[i]!;
      const hi = this.hi[i]!;
      if (lo === 0 && hi === 0) {
        this.lo[i] = a;
        this.hi[i] = b;
        return true;
      }
      if (lo === a && hi === b) return false;
    }
  }

  private grow(): void {
    const { lo, hi } = this;
    this.lo = new Uint32Array(lo.length * 2);
    this.hi = new Uint32Array(hi.length * 2);
    for (let i = 0; i < lo.length; i++) if (lo[i] !== 0 || hi[i] !== 0) this.insert(lo[i]!, hi[i]!);
  }
}
