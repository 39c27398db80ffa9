import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ReportSchema, ResultSchema } from '../../src/result.js';
import { BIN, runCli } from '../helpers/cli.js';
import { be32, makePng, pngChunk } from '../helpers/bytes.js';
import { tempDir } from '../helpers/sharp.js';

let dir: string;
let cleanup: () => void;

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  mkdirSync(join(dir, 'set', 'sub'), { recursive: true });
  writeFileSync(join(dir, 'set', 'b-small.png'), makePng({ width: 10, height: 10 }));
  writeFileSync(join(dir, 'set', 'a-big.png'), makePng({ width: 20000, height: 20000, colourType: 6 }));
  writeFileSync(join(dir, 'set', 'sub', 'c.png'), makePng({ width: 3, height: 3, colourType: 0 }));
  writeFileSync(join(dir, 'ok.png'), makePng({ width: 100, height: 50 }));
  writeFileSync(join(dir, 'text.jpg'), 'hello, not an image\n');
});
afterAll(() => cleanup());

describe('imgguard check: exit codes', () => {
  it('0 when every file is ok', () => {
    expect(runCli(['check', join(dir, 'ok.png')]).code).toBe(0);
  });
  it('1 when a file is over budget and none is unreadable', () => {
    const r = runCli(['check', join(dir, 'ok.png'), '--budget', '1000']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/over_budget/);
  });
  it('2 when a file is unsupported', () => {
    expect(runCli(['check', join(dir, 'ok.png'), join(dir, 'text.jpg')]).code).toBe(2);
  });
  it('2 when a file is missing, and the path is still reported', () => {
    const r = runCli(['check', join(dir, 'nope.png'), '--ndjson']);
    expect(r.code).toBe(2);
    const line = ResultSchema.parse(JSON.parse(r.stdout.trim()));
    expect([line.status, line.error?.code]).toEqual(['error', 'E_NOT_FOUND']);
  });
  it.each([
    [['check', 'x.png', '--budget', '12XB'], /--budget.*512MB/],
    [['check', 'x.png', '--budget', '-5'], /--budget/],
    [['check', 'x.png', '--frames', 'some'], /--frames.*first, all/],
    [['check', 'x.png', '--bogus'], /unknown option/],
    [['check'], /no input: give paths/],
    [['frobnicate'], /unknown command/],
  ])('64 with one line for bad usage %j', (args, message) => {
    const r = runCli(args as string[]);
    expect(r.code).toBe(64);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message as RegExp);
  });
  it('0 for --help and --version', () => {
    expect(runCli(['--help']).code).toBe(0);
    // The bundle reads package.json relative to its own file.
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const sharp = JSON.parse(
      readFileSync(new URL('../../node_modules/sharp/package.json', import.meta.url), 'utf8'),
    ) as {
      version: string;
    };
    const lines = runCli(['--version']).stdout.trim().split('\n');
    expect(lines[0]).toBe(`imgguard ${version}`);
    expect(lines[1]).toBe(`sharp ${sharp.version}`);
    expect(lines[2]).toMatch(/^libvips \d+\.\d+\.\d+/);
    expect(lines[3]).toBe(`node ${process.versions.node}`);
  });
});

describe('imgguard check: output modes', () => {
  it('--ndjson: one valid record per file, in sorted walk order, summary on stderr', () => {
    const r = runCli(['check', join(dir, 'set'), '--ndjson', '--budget', '1GiB']);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => ResultSchema.parse(JSON.parse(l)));
    expect(lines.map((l) => l.path)).toEqual(['a-big.png', 'b-small.png', 'sub/c.png'].map((p) => join(dir, 'set', p)));
    expect(lines.map((l) => l.status)).toEqual(['over_budget', 'ok', 'ok']);
    expect(lines[0]!.decodedBytes).toBe(20000 * 20000 * 4);
    expect(lines[0]!.budgetBytes).toBe(2 ** 30);
    expect(r.stderr).toMatch(/3 files: 2 ok, 1 over budget/);
    expect(r.code).toBe(1);
  });
  it('--json: one document that matches the schema', () => {
    const r = runCli(['check', join(dir, 'set'), '--json', '--budget', '512MB']);
    const doc = ReportSchema.parse(JSON.parse(r.stdout));
    expect(doc.budgetBytes).toBe(512_000_000);
    expect(doc.results).toHaveLength(3);
    expect(doc.summary).toMatchObject({ files: 3, exitCode: 1, byStatus: { ok: 2, over_budget: 1 } });
  });
  it('human: one line per file and a summary, no colour when not a TTY', () => {
    const r = runCli(['check', join(dir, 'set')]);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^✗ .*a-big\.png\s+png\s+20000×20000\s+4ch\/8bit\s+1\.6 GB\s+over_budget: /);
    expect(lines[3]).toMatch(/^3 files: 2 ok, 1 over budget/);
    expect(r.stdout).not.toContain('\x1b[');
  });
  it('--frames all budgets on every frame of an animation', () => {
    const apng = join(dir, 'anim.png');
    // 100 frames of 1000x1000 RGB: 3 MB each, 300 MB in all.
    writeFileSync(apng, makePng({ width: 1000, height: 1000, chunks: [pngChunk('acTL', [...be32(100), ...be32(0)])] }));
    const first = ResultSchema.parse(JSON.parse(runCli(['check', apng, '--ndjson', '--budget', '100MB']).stdout));
    const all = ResultSchema.parse(
      JSON.parse(runCli(['check', apng, '--ndjson', '--budget', '100MB', '--frames', 'all']).stdout),
    );
    expect([first.status, first.decodedBytesAllFrames]).toEqual(['ok', 300_000_000]);
    expect(all.status).toBe('over_budget');
  });
});

describe('imgguard check: warnings', () => {
  it('the human line shows a Pillow-compat warning while the verdict stays ok', () => {
    const file = join(dir, 'pillow-warn.png');
    writeFileSync(file, makePng({ width: 10000, height: 10000 })); // 1e8 px: above 89,478,485, below 2x
    const r = runCli(['check', file, '--pillow-compat', '--budget', '1TB']);
    expect(r.stdout).toMatch(/✓ .* ok \(warning: .*/);
    expect(r.code).toBe(0);
  });
});

describe('imgguard check: output that cannot be written', () => {
  it.runIf(existsSync('/dev/full'))('a full disk is one clear line and exit 2, not a crash', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, 'check', join(dir, 'ok.png')], {
        stdio: ['ignore', full, 'pipe'],
        encoding: 'utf8',
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^imgguard: cannot write the output: ENOSPC/m);
      expect(r.stderr).not.toMatch(/ {4}at /);
    } finally {
      closeSync(full);
    }
  });
});
