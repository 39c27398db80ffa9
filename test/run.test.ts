import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEntries } from '../src/run.js';
import { walkInputs } from '../src/inputs/walk.js';
import type { Result } from '../src/result.js';
import { tempDir } from './helpers/sharp.js';
import { cli, png, writeTree } from './helpers/tree.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = tempDir('imgguard-run-'));
  const files: Record<string, Uint8Array | string> = {};
  for (let i = 0; i < 700; i++)
    files[`d${i % 7}/f${String(i).padStart(3, '0')}.png`] = i % 50 === 0 ? 'junk' : png(1 + i, 3);
  writeTree(dir, files);
});
afterAll(() => cleanup());

describe('run', () => {
  it('streams: the first result comes before later files exist', () => {
    const it = checkEntries(walkInputs([dir]));
    const first = it.next().value as Result;
    expect(first.path).toBe(join(dir, 'd0', 'f000.png'));
    it.return(undefined);
  });

  it('--concurrency keeps the walk order and gives the same results', () => {
    const one = cli(['check', dir, '--ndjson']);
    const four = cli(['check', dir, '--ndjson', '--concurrency', '4']);
    expect(four.stdout).toBe(one.stdout);
    expect(one.stdout.trim().split('\n')).toHaveLength(700);
    expect(four.code).toBe(one.code);
    expect(cli(['check', dir, '--concurrency', '0']).code).toBe(64);
  });

  it('--concurrency opens names that are not UTF-8 by their bytes too', () => {
    mkdirSync(join(dir, 'odd'));
    writeFileSync(join(dir, 'odd', 'a.png'), png(8, 8));
    const odd = Buffer.concat([Buffer.from(`${dir}/odd/odd-`), Buffer.from([0xfe]), Buffer.from('.png')]);
    writeFileSync(odd, png(9, 9));
    const one = cli(['check', join(dir, 'odd'), '--ndjson']);
    const two = cli(['check', join(dir, 'odd'), '--ndjson', '--concurrency', '2']);
    expect(two.stdout).toBe(one.stdout);
    const line = one.stdout.split('\n').find((l) => l.includes('odd-'))!;
    expect(JSON.parse(line)).toMatchObject({ path: `${dir}/odd/odd-\\xfe.png`, status: 'ok', width: 9 });
  });

  it('--fail-on picks the verdicts that make the exit code non-zero', () => {
    expect(cli(['check', dir, '--fail-on', 'corrupt', '-q']).code).toBe(0);
    expect(cli(['check', dir, '--fail-on', 'unsupported', '-q']).code).toBe(2);
    expect(cli(['check', dir, '--fail-on', 'ok']).code).toBe(64);
  });

  it('--summary counts by verdict and format and lists the largest images', () => {
    const r = cli(['check', join(dir, 'd0'), '--summary']);
    expect(r.stdout).toContain('by verdict: ok 98, over_budget 0, corrupt 0, unsupported 2, error 0');
    expect(r.stdout).toContain('by format:  png 98, unknown 2');
    const largest = r.stdout.slice(r.stdout.indexOf('largest:')).trim().split('\n').slice(1);
    expect(largest).toHaveLength(10);
    expect(largest[0]).toContain('f693.png');
  });
});
