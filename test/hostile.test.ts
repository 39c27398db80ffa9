/**
 * Generated hostile fixtures (test/fixtures/hostile.mjs) through the real CLI: bombs are over
 * budget with their true gigabytes, lies and truncations are corrupt, non-images unsupported,
 * and a file's extension never decides its format.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHostile } from './fixtures/hostile.mjs';
import { ResultSchema, type Result } from '../src/result.js';
import { runCli } from './helpers/cli.js';
import { tempDir } from './helpers/sharp.js';

type Expectation = Awaited<ReturnType<typeof makeHostile>>[number];
let dir: string;
let cleanup: () => void;
let expected: Expectation[];
let results: Map<string, Result>;
let exitCode: number | null;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('imgguard-hostile-'));
  expected = await makeHostile(dir);
  // 1 GB: the WebP canvas bomb (16383² × 4 bytes) is just under the default 1 GiB.
  const r = runCli(['check', dir, '--ndjson', '--budget', '1GB']);
  exitCode = r.code;
  results = new Map(
    r.stdout
      .trim()
      .split('\n')
      .map((l) => {
        const rec = ResultSchema.parse(JSON.parse(l));
        return [rec.path.slice(dir.length + 1), rec];
      }),
  );
}, 120000);
afterAll(() => cleanup());

describe('hostile fixtures', () => {
  it('every fixture has exactly one result and the run exits 2', () => {
    expect([...results.keys()].sort()).toEqual(expected.map((e) => e.name).sort());
    expect(exitCode).toBe(2);
  });
  it.each(Array.from({ length: 40 }, (_, i) => i))('fixture %i gets its verdict', (i) => {
    const e = expected[i];
    if (!e) return;
    const r = results.get(e.name)!;
    expect(r.status, `${e.name}: ${r.reason}`).toBe(e.status);
    if (e.format) expect(r.format, e.name).toBe(e.format);
    if (e.code) expect(r.error?.code, e.name).toBe(e.code);
    if (e.minBytes) expect(r.decodedBytes!, e.name).toBeGreaterThanOrEqual(e.minBytes);
    expect(r.headerBytes, e.name).toBeLessThanOrEqual(e.maxHeaderBytes ?? 64 * 1024);
  });
});

describe('hostile fixtures under --verify', () => {
  it('SVGs that reach outside or draw without end are refused before rendering, quickly', () => {
    const svgs = expected.filter((e) => e.verify);
    expect(svgs.length).toBeGreaterThan(0);
    const t = Date.now();
    const r = runCli(['check', '--verify', '--ndjson', '--timeout', '20', ...svgs.map((e) => `${dir}/${e.name}`)]);
    expect((Date.now() - t) / 1000).toBeLessThan(60);
    const got = r.stdout
      .trim()
      .split('\n')
      .map((l) => ResultSchema.parse(JSON.parse(l)));
    for (const [i, e] of svgs.entries()) {
      expect([got[i]!.status, got[i]!.error?.code], e.name).toEqual([e.verify!.status, e.verify!.code]);
    }
  }, 90_000);
});
