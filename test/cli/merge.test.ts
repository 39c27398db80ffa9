import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/sharp.js';
import { cli, png, writeTree } from '../helpers/tree.js';

let dir: string;
let data: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = tempDir('imgguard-merge-'));
  data = join(dir, 'data');
  const files: Record<string, Uint8Array | string> = {};
  for (let i = 0; i < 60; i++) files[`d${i % 4}/p${i}.png`] = png(100 + i, 50);
  files['d1/huge.png'] = png(40000, 40000);
  files['d2/bad.png'] = png(5, 5).subarray(0, 30);
  files['d3/note.png'] = 'hello';
  writeTree(data, files);
});
afterAll(() => cleanup());

describe('merge', () => {
  it('merging the shards of a run reproduces that run’s summary and exit code', () => {
    const whole = cli(['check', data, '--ndjson', '--summary']);
    const n = 3;
    const parts = Array.from({ length: n }, (_, i) => {
      const r = cli(['check', data, '--ndjson', '--shard', `${i + 1}/${n}`]);
      const f = join(dir, `shard-${i + 1}.ndjson`);
      writeFileSync(f, r.stdout);
      return f;
    });
    const merged = cli(['merge', ...parts, '--summary']);
    // check prints the summary on stderr with --ndjson; merge prints it on stdout.
    expect(merged.stdout).toBe(whole.stderr);
    expect(merged.code).toBe(whole.code);
    expect(merged.code).toBe(2);
    // The results themselves, re-printed in shard order, are the same set.
    const again = cli(['merge', ...parts, '--ndjson']);
    expect(again.stdout.trim().split('\n').sort()).toEqual(whole.stdout.trim().split('\n').sort());
  });

  it('counts a path met again once, and names the repeat: overlapping inputs give the run’s summary', () => {
    const whole = cli(['check', data, '--ndjson', '--summary']);
    const parts = [1, 2].map((k) => {
      const f = join(dir, `half-${k}.ndjson`);
      writeFileSync(f, cli(['check', data, '--ndjson', '--shard', `${k}/2`]).stdout);
      return f;
    });
    // Shard 1 given twice, as a retried job's output uploaded again would be.
    const merged = cli(['merge', parts[0]!, parts[1]!, parts[0]!, '--summary']);
    expect(merged.stdout).toBe(whole.stderr);
    expect(merged.code).toBe(whole.code);
    const repeated =
      whole.stdout.trim().split('\n').length - cli(['merge', parts[1]!, '--ndjson']).stdout.trim().split('\n').length;
    expect(merged.stderr).toMatch(/was merged already \(do the inputs overlap\?\); counted once/);
    // At most 10 repeats are named; the rest are counted in one line.
    expect(merged.stderr.split('\n').filter((l) => l.includes('was merged already')).length).toBe(
      Math.min(10, repeated),
    );
    if (repeated > 10) expect(merged.stderr).toContain(`${repeated} paths were met more than once in all`);
    // Re-emitted results: each path once.
    const again = cli(['merge', parts[0]!, parts[1]!, parts[0]!, '--ndjson']);
    expect(again.stdout.trim().split('\n').sort()).toEqual(whole.stdout.trim().split('\n').sort());
  });

  it('applies --fail-on to the merged results', () => {
    const f = join(dir, 'all.ndjson');
    writeFileSync(f, cli(['check', data, '--ndjson']).stdout);
    expect(cli(['merge', f, '--fail-on', 'over_budget']).code).toBe(1);
    expect(cli(['merge', f, '--fail-on', 'corrupt']).code).toBe(2);
  });

  it('re-emits merged results through any reporter', () => {
    const f = join(dir, 'all2.ndjson');
    writeFileSync(f, cli(['check', data, '--ndjson']).stdout);
    const r = cli(['merge', f, '--reporter', 'junit']);
    expect(r.stdout).toContain('tests="63"');
  });

  it('rejects a line that is not a result, naming file and line', () => {
    const f = join(dir, 'bad.ndjson');
    const good = cli(['check', join(data, 'd0'), '--ndjson']).stdout.split('\n')[0];
    writeFileSync(f, `${good}\n{"path":"x","status":"fine"}\n`);
    const r = cli(['merge', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${f}:2:`);
    writeFileSync(f, `${good}\nnot json\n`);
    expect(cli(['merge', f]).stderr).toContain(`${f}:2: not JSON`);
  });

  it('reads standard input', () => {
    const r = cli(['merge', '-'], { input: cli(['check', join(data, 'd0'), '--ndjson']).stdout });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^15 files: 15 ok/);
  });
});
