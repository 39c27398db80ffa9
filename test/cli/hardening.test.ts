/** Whole-process promises: descriptors are never leaked, even over many files with few allowed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from '../helpers/cli.js';
import { makePng } from '../helpers/bytes.js';
import { tempDir } from '../helpers/sharp.js';

let dir: string;
let cleanup: () => void;
const FILES = 10_000;

beforeAll(() => {
  ({ dir, cleanup } = tempDir('imgguard-fds-'));
  const png = makePng({ width: 4, height: 4 });
  for (let d = 0; d < 100; d++) {
    mkdirSync(join(dir, `d${d}`));
    for (let f = 0; f < FILES / 100; f++) {
      // every tenth file is broken, so error paths run too
      writeFileSync(join(dir, `d${d}`, `f${f}.png`), f % 10 === 0 ? png.subarray(0, 20) : png);
    }
  }
}, 120000);
afterAll(() => cleanup());

describe('descriptor hygiene', () => {
  it(`checks ${FILES} files under ulimit -n 64`, () => {
    const r = spawnSync(
      'bash',
      ['-c', 'ulimit -n 64 && exec "$0" "$@"', process.execPath, BIN, 'check', dir, '--ndjson', '--quiet'],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
        timeout: 120000,
      },
    );
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { status: string; error: { code: string } | null });
    expect(lines).toHaveLength(FILES);
    expect(lines.filter((l) => l.status === 'error')).toEqual([]);
    expect(lines.filter((l) => l.status === 'corrupt')).toHaveLength(FILES / 10);
    expect(r.status).toBe(2);
  });
});
