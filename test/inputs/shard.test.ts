import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inShard, parseShard, shardOf } from '../../src/inputs/shard.js';
import { walkInputs } from '../../src/inputs/walk.js';
import { tempDir } from '../helpers/sharp.js';
import { cli, png, writeTree } from '../helpers/tree.js';

describe('--shard', () => {
  it('parses K/N and auto/N', () => {
    expect(parseShard('2/8')).toEqual({ k: 2, n: 8 });
    expect(parseShard('auto/4', { JOB_COMPLETION_INDEX: '3' })).toEqual({ k: 4, n: 4 });
    expect(typeof parseShard('auto/4', {})).toBe('string');
    expect(typeof parseShard('0/4')).toBe('string');
    expect(typeof parseShard('5/4')).toBe('string');
    expect(typeof parseShard('1/0')).toBe('string');
    expect(typeof parseShard('x')).toBe('string');
  });

  it('partitions paths exactly: every path in one shard only, shards roughly even', () => {
    const paths = Array.from({ length: 5000 }, (_, i) => `d${i % 37}/img-${i}.jpg`);
    for (const n of [1, 2, 3, 7, 16]) {
      const sizes = new Array(n).fill(0);
      for (const p of paths) {
        const k = shardOf(p, n);
        expect(k).toBeGreaterThanOrEqual(1);
        expect(k).toBeLessThanOrEqual(n);
        sizes[k - 1]++;
      }
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(paths.length);
      for (const s of sizes) expect(Math.abs(s - paths.length / n)).toBeLessThan((paths.length / n) * 0.2);
    }
  });

  describe('over a real tree', () => {
    let dir: string;
    let cleanup: () => void;
    beforeEach(() => {
      ({ dir, cleanup } = tempDir('imgguard-shard-'));
      const files: Record<string, Uint8Array> = {};
      for (let i = 0; i < 120; i++) files[`s${i % 5}/f${i}.png`] = png(1 + i, 2);
      writeTree(dir, files);
    });
    afterEach(() => cleanup());

    it('union of the shards is the whole walk, shards pairwise disjoint, order kept', () => {
      const all = [...walkInputs([dir])].map((e) => e.path);
      const n = 4;
      const shards = Array.from({ length: n }, (_, i) =>
        [...inShard(walkInputs([dir]), { k: i + 1, n })].map((e) => e.path),
      );
      const union = shards.flat();
      expect(new Set(union).size).toBe(union.length);
      expect([...union].sort()).toEqual([...all].sort());
      for (const s of shards) expect(s).toEqual(all.filter((p) => s.includes(p)));
    });

    it('does not depend on where the tree is or how it is named on the command line', () => {
      const a = [...inShard(walkInputs([dir]), { k: 2, n: 3 })].map((e) => e.rel);
      const b = [...inShard(walkInputs([`${dir}/`]), { k: 2, n: 3 })].map((e) => e.rel);
      expect(a).toEqual(b);
      const r = cli(['check', '.', '--shard', '2/3', '--ndjson'], { cwd: dir });
      expect(
        r.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).path.replace(/^\.\//, '')),
      ).toEqual(a);
    });

    it('partitions a pattern with braces containing /, hashing as the same pattern without', () => {
      const plain = [...walkInputs([`${dir}/{s0,s3}/*.png`])].map((e) => e.rel);
      const slashed = [...walkInputs([`${dir}/{s3/*,s0/*,s3/f1*}.png`])].map((e) => e.rel);
      expect(slashed).toEqual(plain);
      expect(plain).toHaveLength(48);
      const shards = [1, 2, 3].map((k) =>
        [...inShard(walkInputs([`${dir}/{s3/*,s0/*,s3/f1*}.png`]), { k, n: 3 })].map((e) => e.rel),
      );
      expect(shards.flat().sort()).toEqual([...plain].sort());
    });

    it('takes the shard from JOB_COMPLETION_INDEX with auto/N', () => {
      const direct = cli(['check', dir, '--shard', '3/5', '--ndjson']).stdout;
      const auto = cli(['check', dir, '--shard', 'auto/5', '--ndjson'], { env: { JOB_COMPLETION_INDEX: '2' } }).stdout;
      expect(auto).toBe(direct);
      expect(direct.length).toBeGreaterThan(0);
    });
  });
});
