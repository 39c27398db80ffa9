import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { check, checkSync } from '../src/check.js';
import { ResultSchema } from '../src/result.js';
import { makePng } from './helpers/bytes.js';
import { tempDir } from './helpers/sharp.js';

let dir: string;
let cleanup: () => void;
const p = (name: string) => join(dir, name);

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  writeFileSync(p('ok.png'), makePng({ width: 10, height: 10 }));
  writeFileSync(p('big.png'), makePng({ width: 40000, height: 40000 }));
  writeFileSync(p('cut.png'), makePng({ width: 10, height: 10 }).subarray(0, 30));
  writeFileSync(p('text.png'), 'not an image');
  writeFileSync(p('empty.png'), '');
  writeFileSync(p('locked.png'), makePng({ width: 1, height: 1 }));
  chmodSync(p('locked.png'), 0o000);
  mkdirSync(p('folder'));
  symlinkSync('loop-b', p('loop-a'));
  symlinkSync('loop-a', p('loop-b'));
  execFileSync('mkfifo', [p('pipe')]);
});
afterAll(() => cleanup());

const openFds = () => readdirSync('/proc/self/fd').length;

describe('checkSync verdicts', () => {
  const isRoot = process.getuid?.() === 0;
  it.each([
    ['ok.png', 'ok', null],
    ['big.png', 'over_budget', null],
    ['cut.png', 'corrupt', 'E_TRUNCATED'],
    ['text.png', 'unsupported', 'E_NOT_IMAGE'],
    ['empty.png', 'unsupported', 'E_EMPTY'],
    ['missing.png', 'error', 'E_NOT_FOUND'],
    ['folder', 'error', 'E_IS_DIRECTORY'],
    ['loop-a', 'error', 'E_SYMLINK_LOOP'],
  ])('%s → %s %s', (name, status, code) => {
    const r = ResultSchema.parse(checkSync(p(name)));
    expect(r.status).toBe(status);
    expect(r.error?.code ?? null).toBe(code);
    expect(r.path).toBe(p(name));
    if (status !== 'ok') expect(r.reason).toBeTruthy();
  });
  it.skipIf(isRoot)('an unreadable file is an error, not a crash', () => {
    expect(checkSync(p('locked.png')).error?.code).toBe('E_PERMISSION');
  });
  it('compares with the budget exactly at the boundary', () => {
    const bytes = 10 * 10 * 3;
    expect(checkSync(p('ok.png'), { budget: bytes }).status).toBe('ok');
    expect(checkSync(p('ok.png'), { budget: bytes - 1 }).status).toBe('over_budget');
  });
  it('reports the bytes it read and the file size', () => {
    const r = checkSync(p('big.png'));
    expect(r.fileBytes).toBe(makePng({ width: 40000, height: 40000 }).length);
    expect(r.headerBytes).toBeGreaterThan(0);
    expect(r.headerBytes).toBeLessThanOrEqual(r.fileBytes!);
  });
  it('the promise form gives the same result', async () => {
    expect(await check(p('ok.png'))).toEqual(checkSync(p('ok.png')));
  });
});

describe('special files never hang', () => {
  it('a FIFO found by a walk is skipped without being opened for reading', () => {
    const r = checkSync(p('pipe'), { explicit: false });
    expect([r.status, r.error?.code]).toEqual(['error', 'E_NOT_REGULAR']);
  });
  it('a FIFO named explicitly with no writer ends at once as an empty input', () => {
    const t = Date.now();
    const r = checkSync(p('pipe'), { explicit: true });
    expect(Date.now() - t).toBeLessThan(5000);
    expect(r.status).toBe('unsupported');
    expect(r.fileBytes).toBeNull();
  });
  it('/dev/zero named explicitly is read up to the cap and called not an image', () => {
    const r = checkSync('/dev/zero', { explicit: true, limits: { maxBytes: 65536, maxReads: 100 } });
    expect([r.status, r.error?.code]).toEqual(['unsupported', 'E_NOT_IMAGE']);
    expect(r.headerBytes).toBeLessThanOrEqual(65536);
  });
});

describe('file descriptors', () => {
  it('are all closed after every outcome', () => {
    const names = [
      'ok.png',
      'big.png',
      'cut.png',
      'text.png',
      'empty.png',
      'missing.png',
      'folder',
      'loop-a',
      'locked.png',
      'pipe',
    ];
    checkSync(p('ok.png')); // warm up lazy handles of the runtime
    const before = openFds();
    for (let i = 0; i < 50; i++) for (const n of names) checkSync(p(n), { explicit: i % 2 === 0 });
    expect(openFds()).toBe(before);
  });
});

describe('internal errors', () => {
  it('a bug inside a reader becomes E_INTERNAL for that file, and the next file is still checked', async () => {
    const { READERS } = await import('../src/probe/detect.js');
    const { checkEntries } = await import('../src/run.js');
    const buggy = {
      format: 'png' as const,
      sniff: (h: Uint8Array) => h[0] === 0x42 && h[1] === 0x4f,
      read: () => {
        throw new TypeError('boom');
      },
    };
    READERS.unshift(buggy);
    try {
      writeFileSync(p('boom.bin'), 'BOOM');
      const results = [
        ...checkEntries([
          { path: p('boom.bin'), explicit: true },
          { path: p('ok.png'), explicit: true },
        ]),
      ];
      expect(results.map((r) => [r.status, r.error?.code ?? null])).toEqual([
        ['error', 'E_INTERNAL'],
        ['ok', null],
      ]);
      expect(results[0]!.reason).toMatch(/boom/);
    } finally {
      READERS.splice(READERS.indexOf(buggy), 1);
    }
  });
});
