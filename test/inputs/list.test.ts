import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPathList } from '../../src/inputs/list.js';
import { tempDir } from '../helpers/sharp.js';
import { BIN } from '../helpers/cli.js';
import { cli, png } from '../helpers/tree.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir('imgguard-list-')));
afterEach(() => cleanup());

const ODD = [
  Buffer.from('with space.png'),
  Buffer.from('new\nline.png'),
  Buffer.from('tab\tand "quotes".png'),
  Buffer.concat([Buffer.from('latin1-'), Buffer.from([0xe9, 0xff]), Buffer.from('.png')]),
  Buffer.from('ünïcødé ✓.png'),
];

function writeOdd(): Buffer[] {
  const paths = ODD.map((n) => Buffer.concat([Buffer.from(`${dir}/`), n]));
  for (const p of paths) writeFileSync(p, png(5, 7));
  return paths;
}

describe('--files-from', () => {
  it('reads NUL-separated lists with spaces, newlines and non-UTF-8 bytes', () => {
    const paths = writeOdd();
    const list = join(dir, 'list');
    writeFileSync(list, Buffer.concat(paths.flatMap((p) => [p, Buffer.from([0])])));
    const entries = [...readPathList(list, { nul: true })];
    expect(entries).toHaveLength(ODD.length);
    expect(entries[1]!.path).toBe(`${dir}/new\nline.png`);
    expect(entries[3]!.path).toBe(`${dir}/latin1-\\xe9\\xff.png`);
    expect(entries[3]!.fsPath).toEqual(paths[3]);
    expect(entries.filter((e) => e.fsPath).length).toBe(1);
  });

  it('checks every listed file through the CLI, from standard input', () => {
    const paths = writeOdd();
    const r = cli(['check', '--files-from', '-', '-0', '--ndjson'], {
      input: Buffer.concat(paths.flatMap((p) => [p, Buffer.from([0])])),
    });
    expect(r.code).toBe(0);
    const results = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(results.map((x) => x.status)).toEqual(ODD.map(() => 'ok'));
    expect(results.map((x) => x.width)).toEqual(ODD.map(() => 5));
    expect(results[4].path).toBe(`${dir}/ünïcødé ✓.png`);
  });

  it('reads newline-separated lists, skips empty lines and directories, reports missing files', () => {
    writeFileSync(join(dir, 'a.png'), png());
    const list = `${dir}/a.png\n\n${dir}\n${dir}/missing.png\n`;
    const r = cli(['check', '--files-from', '-', '--ndjson'], { input: list });
    const results = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(results.map((x) => [x.path.slice(dir.length), x.status])).toEqual([
      ['/a.png', 'ok'],
      ['/missing.png', 'error'],
    ]);
    expect(r.code).toBe(2);
  });

  it('filters list entries by extension', () => {
    const entries = [...readPathListFromText('a.png\nb.jpg\nc.PNG\n', { ext: ['png'] })];
    expect(entries.map((e) => e.path)).toEqual(['a.png', 'c.PNG']);
  });

  it('refuses a missing list with a usage error', () => {
    const r = cli(['check', '--files-from', join(dir, 'nope')]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/--files-from/);
  });
});

function readPathListFromText(text: string, opts: { ext?: string[] }) {
  const f = join(dir, 'l.txt');
  writeFileSync(f, text);
  return readPathList(f, opts);
}

describe('--files-from - as a stream', () => {
  it('answers each path as it arrives, before standard input is closed', async () => {
    writeFileSync(join(dir, 'a.png'), png(5, 7));
    writeFileSync(join(dir, 'b.png'), png(2, 3));
    const child = spawn(process.execPath, [BIN, 'check', '--files-from', '-', '-0', '--ndjson', '-q']);
    try {
      const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      child.stdin.write(`${dir}/a.png\0`);
      const first = JSON.parse((await lines.next()).value as string);
      expect(first).toMatchObject({ path: `${dir}/a.png`, width: 5, height: 7 });
      child.stdin.write(`${dir}/missing.png\0${dir}/b.png\0`);
      expect(JSON.parse((await lines.next()).value as string).status).toBe('error');
      expect(JSON.parse((await lines.next()).value as string).width).toBe(2);
      // Only now does the list end.
      expect(child.exitCode).toBeNull();
      child.stdin.end();
      const code = await new Promise((resolve) => child.on('close', resolve));
      expect(code).toBe(2);
    } finally {
      child.kill();
    }
  });
});
