/** `check` as a well-behaved shell and CI tool: what it lists, skips, counts and exits with. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colorWanted } from '../../src/cli/reporting.js';
import { hasImageExtension } from '../../src/inputs/extensions.js';
import { ReportSchema } from '../../src/result.js';
import { runCli } from '../helpers/cli.js';
import { makePng } from '../helpers/bytes.js';
import { tempDir } from '../helpers/sharp.js';
import { checkXml } from '../helpers/xml.js';

const LFS_POINTER =
  'version https://git-lfs.github.com/spec/v1\n' +
  'oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n';

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = tempDir('imgguard-conventions-'));
  const data = join(dir, 'data');
  mkdirSync(join(data, 'sub'), { recursive: true });
  mkdirSync(join(dir, 'empty'));
  mkdirSync(join(dir, 'only-text'));
  writeFileSync(join(data, 'a.png'), makePng({ width: 10, height: 10 }));
  writeFileSync(join(data, 'sub', 'b.png'), makePng({ width: 12, height: 12 }));
  writeFileSync(join(data, 'big.png'), makePng({ width: 30000, height: 30000 }));
  writeFileSync(join(data, 'labels.csv'), 'file,label\na.png,cat\n');
  writeFileSync(join(data, 'README.md'), '# data\n');
  writeFileSync(join(data, 'notes.jpg'), 'a text file named like an image\n');
  writeFileSync(join(data, 'pointer.png'), LFS_POINTER);
  writeFileSync(join(data, 'no-extension'), makePng({ width: 5, height: 5 })); // an image by its bytes
  writeFileSync(join(dir, 'only-text', 'labels.csv'), 'x\n');
});
afterAll(() => cleanup());

describe('directory walks skip files that are no image by name or bytes', () => {
  it('skips labels.csv and README.md, counting them; checks an image without extension', () => {
    const r = runCli(['check', join(dir, 'data'), '--json']);
    const report = ReportSchema.parse(JSON.parse(r.stdout));
    const names = report.results.map((x) => x.path.slice(dir.length + 6));
    expect(names).toEqual(['big.png', 'a.png', 'no-extension', 'notes.jpg', 'pointer.png', 'sub/b.png'].sort());
    expect(report.summary.skipped).toBe(2);
    expect(report.summary.files).toBe(6);
    expect(r.stderr).toBe('');
  });

  it('a file named like an image that is not one stays unsupported; an LFS pointer has its own reason', () => {
    const r = runCli(['check', join(dir, 'data'), '--json']);
    const byName = Object.fromEntries(
      ReportSchema.parse(JSON.parse(r.stdout)).results.map((x) => [x.path.split('/').pop(), x]),
    );
    expect([byName['notes.jpg']!.status, byName['notes.jpg']!.error!.code]).toEqual(['unsupported', 'E_NOT_IMAGE']);
    expect(byName['pointer.png']!.error!.code).toBe('E_LFS_POINTER');
    expect(byName['pointer.png']!.reason).toBe('Git LFS pointer: the image was not fetched (git lfs pull)');
  });

  it('the summary line says how many were skipped; --all-files checks every file', () => {
    const human = runCli(['check', join(dir, 'data')]);
    expect(human.stdout).toMatch(/^6 files: 3 ok, 1 over budget, 2 unsupported, 2 skipped \(not images\) \(budget/m);
    const all = runCli(['check', join(dir, 'data'), '--all-files', '--json']);
    const report = ReportSchema.parse(JSON.parse(all.stdout));
    expect(report.summary.files).toBe(8);
    expect(report.summary.skipped).toBe(0);
    expect(report.results.filter((x) => x.error?.code === 'E_NOT_IMAGE')).toHaveLength(3);
  });

  it('skips the same way with --concurrency (worker threads)', () => {
    const r = runCli(['check', join(dir, 'data'), '--json', '--concurrency', '2']);
    const report = ReportSchema.parse(JSON.parse(r.stdout));
    expect([report.summary.files, report.summary.skipped]).toEqual([6, 2]);
  });

  it('files named directly or listed are always checked', () => {
    const named = runCli(['check', join(dir, 'data', 'labels.csv'), '--json']);
    expect(ReportSchema.parse(JSON.parse(named.stdout)).results[0]!.error!.code).toBe('E_NOT_IMAGE');
    const listed = runCli(['check', '--files-from', '-', '--json'], { input: `${join(dir, 'data', 'README.md')}\n` });
    expect(ReportSchema.parse(JSON.parse(listed.stdout)).summary.files).toBe(1);
  });

  it('knows image extensions case-insensitively, and only at the end of the last name', () => {
    expect(hasImageExtension('a/B.JPG')).toBe(true);
    expect(hasImageExtension('x.tiff')).toBe(true);
    expect(hasImageExtension('labels.csv')).toBe(false);
    expect(hasImageExtension('dir.png/readme')).toBe(false);
    expect(hasImageExtension('png')).toBe(false);
  });
});

describe('nothing checked is not a pass', () => {
  it('an empty folder says so and exits 2; --allow-empty exits 0', () => {
    const r = runCli(['check', join(dir, 'empty')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('imgguard: no file to check in the inputs; --allow-empty accepts that\n');
    expect(runCli(['check', join(dir, 'empty'), '--allow-empty']).code).toBe(0);
  });

  it('a folder of files that are no images says how many were skipped', () => {
    const r = runCli(['check', join(dir, 'only-text'), '--ndjson']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('(1 skipped as not images; --all-files checks them)');
  });

  it('an empty --files-from list fails too', () => {
    expect(runCli(['check', '--files-from', '-'], { input: '' }).code).toBe(2);
  });
});

describe('--fail-on none', () => {
  it('reports every verdict and exits 0', () => {
    const r = runCli(['check', join(dir, 'data'), '--fail-on', 'none']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/big\.png .*over_budget/);
  });
  it('cannot be mixed with verdicts', () => {
    const r = runCli(['check', join(dir, 'data'), '--fail-on', 'none,corrupt']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/--fail-on/);
  });
});

describe('--problems-only', () => {
  it('human: lists only the files that are not ok; the summary counts every file', () => {
    const r = runCli(['check', join(dir, 'data'), '--problems-only']);
    const lines = r.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('✓'))).toEqual([]);
    expect(lines.filter((l) => /^[✗?!] /.test(l))).toHaveLength(3);
    expect(lines.at(-1)).toMatch(/^6 files: 3 ok, 1 over budget, 2 unsupported/);
  });

  it('junit: testcases only for the files that are not ok; the summary line counts every file', () => {
    const r = runCli(['check', join(dir, 'data'), '--problems-only', '--reporter', 'junit']);
    const cases = checkXml(r.stdout).filter((e) => e.name === 'testcase');
    expect(cases.map((c) => c.attrs.name!.split('/').pop()).sort()).toEqual(['big.png', 'notes.jpg', 'pointer.png']);
    expect(r.stderr).toMatch(/^6 files: 3 ok/);
  });

  it('github: ok files are never listed, with or without it', () => {
    const r = runCli(['check', join(dir, 'data'), '--problems-only', '--reporter', 'github'], {
      env: { GITHUB_STEP_SUMMARY: '' },
    });
    expect(r.stdout).not.toMatch(/a\.png/);
    expect(r.stdout).toMatch(/^6 files: 3 ok/m);
  });
});

describe('--files-from with CRLF line ends (a list written on Windows)', () => {
  it('drops the \\r before the newline', () => {
    const list = `${join(dir, 'data', 'a.png')}\r\n${join(dir, 'data', 'sub', 'b.png')}\r\n\r\n`;
    const r = runCli(['check', '--files-from', '-', '--json'], { input: list });
    expect(r.code).toBe(0);
    const report = ReportSchema.parse(JSON.parse(r.stdout));
    expect(report.results.map((x) => [x.path, x.status])).toEqual([
      [join(dir, 'data', 'a.png'), 'ok'],
      [join(dir, 'data', 'sub', 'b.png'), 'ok'],
    ]);
  });
});

describe('colour: FORCE_COLOR, NO_COLOR, TERM=dumb', () => {
  it('FORCE_COLOR colours the human output even into a pipe; 0 turns it off', () => {
    const forced = runCli(['check', join(dir, 'data', 'a.png')], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\x1b[32m✓\x1b[0m');
    const off = runCli(['check', join(dir, 'data', 'a.png')], { env: { FORCE_COLOR: '0' } });
    expect(off.stdout).not.toContain('\x1b[');
  });

  it('NO_COLOR and TERM=dumb turn colour off on a terminal; a terminal turns it on', () => {
    const tty = () => true;
    expect(colorWanted({}, tty)).toBe(true);
    expect(colorWanted({}, () => false)).toBe(false);
    expect(colorWanted({ NO_COLOR: '1' }, tty)).toBe(false);
    expect(colorWanted({ NO_COLOR: '' }, tty)).toBe(true);
    expect(colorWanted({ TERM: 'dumb' }, tty)).toBe(false);
    expect(colorWanted({ TERM: 'dumb', FORCE_COLOR: '1' }, tty)).toBe(true);
    expect(colorWanted({ NO_COLOR: '1', FORCE_COLOR: 'true' }, () => false)).toBe(true);
    expect(colorWanted({ FORCE_COLOR: 'false' }, tty)).toBe(false);
  });
});

describe('--help of each command', () => {
  it.each(['check', 'inspect', 'convert', 'budget', 'merge'])('%s shows examples and the exit codes', (command) => {
    const r = runCli([command, '--help']);
    expect(r.code).toBe(0);
    const examples = r.stdout.slice(r.stdout.indexOf('Examples:'), r.stdout.indexOf('Exit codes:'));
    const shown = examples.split('\n').filter((l) => l.startsWith('  $ '));
    expect(shown.length).toBeGreaterThanOrEqual(2);
    expect(shown.length).toBeLessThanOrEqual(3);
    for (const l of shown) expect(l).toContain(`imgguard ${command}`);
    expect(r.stdout).toMatch(/Exit codes:\n {2}0 /);
    expect(r.stdout).toMatch(/^ {2}64 /m);
  });
});

describe('- is standard input', () => {
  it('check - reads the image from standard input and reports it as -', () => {
    const r = runCli(['check', '-', '--json'], { input: Buffer.from(makePng({ width: 30000, height: 30000 })) });
    expect(r.code).toBe(1);
    const [result] = ReportSchema.parse(JSON.parse(r.stdout)).results;
    expect([result!.path, result!.status, result!.width]).toEqual(['-', 'over_budget', 30000]);
  });

  it('beside other paths, and not twice with --files-from -', () => {
    const r = runCli(['check', join(dir, 'data', 'a.png'), '-', '--ndjson'], { input: 'not an image' });
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).status),
    ).toEqual(['ok', 'unsupported']);
    const both = runCli(['check', '-', '--files-from', '-'], { input: '' });
    expect(both.code).toBe(64);
    expect(both.stderr).toMatch(/standard input can be read once/);
  });
});
