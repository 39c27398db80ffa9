/**
 * withFileSource: what each kind of path gives, with and without the walk's "regular file" hint
 * (which skips the fstat), and the descriptor closed on every way out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withFileSource, type OpenOptions } from '../../src/probe/open.js';
import { probeSync } from '../../src/probe/probe.js';
import { fileSource, FIRST_READ } from '../../src/probe/source.js';
import { makePng } from '../helpers/bytes.js';
import { failure } from '../helpers/failure.js';

let dir: string;
const p = (name: string) => join(dir, name);
const openFds = () => readdirSync('/proc/self/fd').length;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'imgguard-open-'));
  writeFileSync(p('small.png'), makePng({ width: 7, height: 5 }));
  // A PNG larger than the first read: its size is not known from that read.
  const big = makePng({ width: 9, height: 4 });
  const padded = new Uint8Array(FIRST_READ * 3);
  padded.set(big);
  writeFileSync(p('big.png'), padded);
  mkdirSync(p('folder'));
  execFileSync('mkfifo', [p('pipe')]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each<[string, OpenOptions]>([
  ['fstat first', {}],
  ['walk hint (no fstat)', { regular: true }],
])('regular files, %s', (_, how) => {
  it('reports the file size, for files shorter and longer than the first read', () => {
    const small = probeSync(p('small.png'), how);
    expect([small.header.width, small.header.height, small.fileBytes]).toEqual([
      7,
      5,
      makePng({ width: 7, height: 5 }).length,
    ]);
    const big = probeSync(p('big.png'), how);
    expect([big.header.width, big.fileBytes]).toEqual([9, FIRST_READ * 3]);
  });
  it('closes the descriptor after a result and after a failure', () => {
    const before = openFds();
    probeSync(p('small.png'), how);
    failure(() => probeSync(p('missing.png'), how));
    expect(() =>
      withFileSource(p('small.png'), how, () => {
        throw new Error('reader bug');
      }),
    ).toThrow('reader bug');
    expect(openFds()).toBe(before);
  });
});

describe('paths that are not what the walk saw (replaced after it listed them)', () => {
  it('a directory fails as a directory, with no file size', () => {
    const e = failure(() => probeSync(p('folder'), { regular: true }));
    expect([e.code, e.fileBytes]).toEqual(['E_IS_DIRECTORY', null]);
    expect(failure(() => probeSync(p('folder'))).code).toBe('E_IS_DIRECTORY');
  });
  it('a FIFO fails as not regular at once, without waiting for a writer', () => {
    const before = openFds();
    const t0 = Date.now();
    const e = failure(() => probeSync(p('pipe'), { regular: true }));
    expect([e.code, e.fileBytes]).toEqual(['E_NOT_REGULAR', null]);
    expect(failure(() => probeSync(p('pipe'))).code).toBe('E_NOT_REGULAR');
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(openFds()).toBe(before);
  });
});

describe('fileSource', () => {
  it('turns a failed read into a failure naming what happened, not an internal error', () => {
    const fd = openSync(p('folder'), constants.O_RDONLY);
    try {
      const s = fileSource(fd, undefined, undefined, p('folder'));
      expect(failure(() => s.read(0, 16)).code).toBe('E_IS_DIRECTORY');
      s.release();
    } finally {
      closeSync(fd);
    }
  });
});
