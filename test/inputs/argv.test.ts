import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fsPathOf, recoverRawArgs } from '../../src/inputs/argv.js';
import { BIN } from '../helpers/cli.js';
import { tempDir } from '../helpers/sharp.js';
import { png } from '../helpers/tree.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir('imgguard-argv-')));
afterEach(() => cleanup());

const LATIN1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x70, 0x6e, 0x67]); // "café.png" in Latin-1
/** A real PNG sharp decodes (the hand-made ones have no valid pixel data). */
const REAL_PNG = readFileSync(new URL('../../samples/logo-palette.png', import.meta.url));
const bytesIn = (...parts: (string | Buffer)[]) => Buffer.concat(parts.map((p) => Buffer.from(p)));

/** `xargs -0 node imgguard ARGS...`: the names reach imgguard as raw argument bytes. */
function viaXargs(names: Buffer[], args: string[], cwd = dir) {
  const r = spawnSync('xargs', ['-0', process.execPath, BIN, ...args], {
    cwd,
    input: Buffer.concat(names.flatMap((n) => [n, Buffer.from([0])])),
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('recoverRawArgs', () => {
  it('replaces arguments Node decoded lossily by their display form and keeps their bytes', () => {
    const cmdline = join(dir, 'cmdline');
    writeFileSync(cmdline, bytesIn('node\0--flag\0/bin/imgguard.js\0check\0', LATIN1, '\0'));
    const argv = ['node', '/bin/imgguard.js', 'check', LATIN1.toString('utf8')];
    const out = recoverRawArgs(argv, cmdline);
    expect(out).toEqual(['node', '/bin/imgguard.js', 'check', 'caf\\xe9.png']);
    expect(fsPathOf('caf\\xe9.png')).toEqual(LATIN1);
    expect(fsPathOf('check')).toBe('check');
  });

  it('leaves argv alone when the raw arguments are not the ones Node decoded', () => {
    const cmdline = join(dir, 'cmdline');
    writeFileSync(cmdline, bytesIn('node\0x.js\0other\0'));
    const argv = ['node', 'x.js', 'check', 'a\uFFFD'];
    expect(recoverRawArgs(argv, cmdline)).toBe(argv);
    expect(recoverRawArgs(argv, join(dir, 'missing'))).toBe(argv);
  });
});

describe('names that are not UTF-8, given as arguments (xargs -0)', () => {
  it('check opens them and carries the raw name in pathBytes; UTF-8 names have none', () => {
    writeFileSync(bytesIn(dir, '/', LATIN1), png(6, 5));
    writeFileSync(join(dir, 'plain.png'), png(2, 2));
    const r = viaXargs([LATIN1, Buffer.from('plain.png')], ['check', '--ndjson', '-q']);
    expect(r.code).toBe(0);
    const [latin, plain] = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(latin).toMatchObject({ path: 'caf\\xe9.png', status: 'ok', width: 6, height: 5 });
    expect(Buffer.from(latin.pathBytes, 'base64')).toEqual(LATIN1);
    expect(plain.path).toBe('plain.png');
    expect(plain).not.toHaveProperty('pathBytes');
  });

  it('a directory named by bytes is walked, and names below it carry pathBytes', () => {
    const sub = bytesIn(dir, '/', Buffer.from([0x64, 0xff]));
    mkdirSync(sub);
    writeFileSync(bytesIn(sub, '/a.png'), png(3, 3));
    const r = viaXargs([Buffer.from([0x64, 0xff])], ['check', '--ndjson', '-q']);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.path).toBe('d\\xff/a.png');
    expect(Buffer.from(res.pathBytes, 'base64')).toEqual(Buffer.from([0x64, 0xff, 0x2f, 0x61, 0x2e, 0x70, 0x6e, 0x67]));
  });

  it('check --verify decodes them by their bytes', () => {
    writeFileSync(bytesIn(dir, '/', LATIN1), REAL_PNG);
    const r = viaXargs([LATIN1], ['check', '--verify', '--ndjson', '-q']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'ok', verified: true });
  });

  it('inspect reads and decodes them, and reports pathBytes', () => {
    writeFileSync(bytesIn(dir, '/', LATIN1), REAL_PNG);
    const r = viaXargs([LATIN1], ['inspect', '--json']);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep).toMatchObject({ path: 'caf\\xe9.png', status: 'ok' });
    expect(rep.stats).not.toBeNull();
    expect(Buffer.from(rep.pathBytes, 'base64')).toEqual(LATIN1);
  });

  it('convert reads and writes them, in a folder whose name is not UTF-8 either', () => {
    writeFileSync(bytesIn(dir, '/', LATIN1), REAL_PNG);
    mkdirSync(bytesIn(dir, '/', Buffer.from([0x6f, 0xfe])));
    const out = Buffer.from([0x6f, 0xfe, 0x2f, 0xe9, 0x2e, 0x70, 0x6e, 0x67]);
    const r = viaXargs([LATIN1, out], ['convert', '-q']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const written = readFileSync(bytesIn(dir, '/', out));
    expect(written.subarray(1, 4).toString()).toBe('PNG');
    // No temporary file is left beside it.
    expect(readdirSync(bytesIn(dir, '/', Buffer.from([0x6f, 0xfe])), { encoding: 'buffer' })).toEqual([
      Buffer.from([0xe9, 0x2e, 0x70, 0x6e, 0x67]),
    ]);
  });
});
