/** `-` as the input of inspect, convert and check --verify: standard input, held up to the budget. */
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportSchema } from '../../src/result.js';
import { BIN, runCli } from '../helpers/cli.js';
import { sharp, tempDir } from '../helpers/sharp.js';

const PHOTO = fileURLToPath(new URL('../../samples/photo.jpg', import.meta.url));
const photo = readFileSync(PHOTO);
const leftovers = () => readdirSync(tmpdir()).filter((n) => n.startsWith('imgguard-stdin-'));

let dir: string;
let cleanup: () => void;
let before: string[];
beforeAll(() => {
  ({ dir, cleanup } = tempDir('imgguard-stdin-test-'));
  before = leftovers();
});
afterAll(() => cleanup());

describe('inspect -', () => {
  it('inspects the image on standard input, shown as -, and leaves no temporary file', () => {
    const r = runCli(['inspect', '-', '--json'], { input: photo });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { path: string; status: string; header: { width: number } };
    expect([report.path, report.status, report.header.width]).toEqual(['-', 'ok', 320]);
    expect(leftovers()).toEqual(before);
  });

  it('more bytes than the budget: says so in one line, exit 2', () => {
    const r = runCli(['inspect', '-', '--budget', '2000'], { input: photo });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^imgguard: standard input is larger than the budget \(2 kB\): .* save it to a file/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('convert -', () => {
  it('decodes standard input within the budget and writes the output', async () => {
    const out = join(dir, 'small.png');
    const r = runCli(['convert', '-', out, '--max-side', '64'], { input: photo });
    expect(r.code, r.stderr).toBe(0);
    const meta = await sharp(out).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 48, 64]); // EXIF orientation 6 applied
    expect(leftovers()).toEqual(before);
  });
});

describe('check - --verify', () => {
  it('a pipe is held in memory up to the budget and verified, shown as -', () => {
    const r = runCli(['check', '-', '--verify', '--json'], { input: photo });
    const [result] = ReportSchema.parse(JSON.parse(r.stdout)).results;
    expect([result!.path, result!.status, result!.verified]).toEqual(['-', 'ok', true]);
  });

  it('a pipe with corrupt pixel data is corrupt', () => {
    // The header is whole; the entropy-coded data stops half-way.
    const cut = photo.subarray(0, Math.floor(photo.length * 0.6));
    const r = runCli(['check', '-', '--verify', '--json'], { input: cut });
    const [result] = ReportSchema.parse(JSON.parse(r.stdout)).results;
    expect([result!.path, result!.status]).toEqual(['-', 'corrupt']);
  });

  it('a pipe larger than the budget is refused in one line, saying why', () => {
    const r = runCli(['check', '-', '--verify', '--budget', '1KB'], { input: photo });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/standard input is larger than the budget/);
  });

  it('a file redirected to standard input is verified', () => {
    const out = execFileSync('bash', ['-c', `"${process.execPath}" "${BIN}" check - --verify --json < "${PHOTO}"`], {
      encoding: 'utf8',
    });
    const [result] = ReportSchema.parse(JSON.parse(out)).results;
    expect([result!.path, result!.status, result!.verified]).toEqual(['-', 'ok', true]);
  });
});
