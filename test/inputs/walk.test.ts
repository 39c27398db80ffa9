import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { walkInputs, type InputEntry } from '../../src/inputs/walk.js';
import { tempDir } from '../helpers/sharp.js';
import { cli, png, writeTree } from '../helpers/tree.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir('imgguard-walk-')));
afterEach(() => cleanup());

const rel = (entries: InputEntry[]) => entries.map((e) => e.path.slice(dir.length + 1));

describe('walkInputs', () => {
  it('walks depth-first with names in byte order, whatever the creation order', () => {
    writeTree(dir, {
      'b/2.png': png(),
      'a.png': png(),
      'b/10.png': png(),
      'B.png': png(),
      'b/1/x.png': png(),
      'c.png': png(),
    });
    expect(rel([...walkInputs([dir])])).toEqual(['B.png', 'a.png', 'b/1/x.png', 'b/10.png', 'b/2.png', 'c.png']);
  });

  it('keeps the order of the inputs given and the path as given', () => {
    writeTree(dir, { 'x/1.png': png(), 'y.png': png() });
    const entries = [...walkInputs([join(dir, 'y.png'), join(dir, 'x')])];
    expect(entries.map((e) => e.path)).toEqual([join(dir, 'y.png'), join(dir, 'x', '1.png')]);
    expect(entries[0]!.explicit).toBe(true);
    expect(entries[1]!.explicit).toBe(false);
    expect(entries[1]!.rel).toBe('1.png');
  });

  it('filters by extension, case-insensitively, but keeps files named directly', () => {
    writeTree(dir, { 'a.JPG': 'x', 'b.png': png(), 'c.txt': 'x', 'd.jpeg': 'x' });
    expect(rel([...walkInputs([dir], { ext: ['jpg', '.jpeg'] })])).toEqual(['a.JPG', 'd.jpeg']);
    expect([...walkInputs([join(dir, 'c.txt')], { ext: ['jpg'] })]).toHaveLength(1);
  });

  it('skips hidden files and folders unless asked', () => {
    writeTree(dir, { '.hidden.png': png(), '.git/x.png': png(), 'v.png': png() });
    expect(rel([...walkInputs([dir])])).toEqual(['v.png']);
    expect(rel([...walkInputs([dir], { hidden: true })])).toEqual(['.git/x.png', '.hidden.png', 'v.png']);
  });

  it('does not follow symbolic links unless asked, and then detects loops', () => {
    writeTree(dir, { 'real/a.png': png(), 'file.png': png() });
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    symlinkSync(join(dir, 'file.png'), join(dir, 'flink.png'));
    symlinkSync(dir, join(dir, 'real', 'loop'));
    symlinkSync(join(dir, 'missing'), join(dir, 'broken.png'));
    expect(rel([...walkInputs([dir])])).toEqual(['file.png', 'real/a.png']);
    const followed = [...walkInputs([dir], { follow: true })];
    const byPath = Object.fromEntries(followed.map((e) => [e.path.slice(dir.length + 1), e.failure?.code ?? 'file']));
    expect(byPath).toEqual({
      'broken.png': 'E_NOT_FOUND',
      'file.png': 'file',
      'flink.png': 'file',
      'link/a.png': 'file',
      'link/loop': 'E_SYMLINK_LOOP',
      'real/a.png': 'file',
      'real/loop': 'E_SYMLINK_LOOP',
    });
  });

  it('follows a link to a sibling directory twice without calling it a loop', () => {
    writeTree(dir, { 'shared/a.png': png() });
    mkdirSync(join(dir, 'one'));
    symlinkSync(join(dir, 'shared'), join(dir, 'one', 's'));
    const paths = rel([...walkInputs([dir], { follow: true })]);
    expect(paths).toEqual(['one/s/a.png', 'shared/a.png']);
  });

  it('reports FIFOs without opening them', () => {
    writeTree(dir, { 'a.png': png() });
    execFileSync('mkfifo', [join(dir, 'pipe.png')]);
    const entries = [...walkInputs([dir])];
    expect(entries.map((e) => e.failure?.code ?? null)).toEqual([null, 'E_NOT_REGULAR']);
  });

  it('reports an unreadable directory as an entry and goes on', () => {
    if (process.getuid?.() === 0) return; // root reads everything
    writeTree(dir, { 'locked/a.png': png(), 'ok.png': png() });
    execFileSync('chmod', ['000', join(dir, 'locked')]);
    const entries = [...walkInputs([dir])];
    execFileSync('chmod', ['755', join(dir, 'locked')]);
    expect(entries.map((e) => e.failure?.code ?? 'file')).toEqual(['E_PERMISSION', 'file']);
  });

  it('passes a missing path through, to be reported by the check', () => {
    const entries = [...walkInputs([join(dir, 'nope.png')])];
    expect(entries).toEqual([
      { path: join(dir, 'nope.png'), explicit: true, rel: join(dir, 'nope.png').replace(/^\//, '/') },
    ]);
  });

  it('opens names that are not UTF-8 by their bytes and shows them with \\xNN', () => {
    const name = Buffer.concat([Buffer.from('bad'), Buffer.from([0xff, 0xc3]), Buffer.from('.png')]);
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), name]), png());
    const [entry] = [...walkInputs([dir])];
    expect(entry!.path).toBe(`${dir}/bad\\xff\\xc3.png`);
    expect(entry!.fsPath).toEqual(Buffer.concat([Buffer.from(`${dir}/`), name]));
  });

  it('is lazy: the first entry comes before the rest of the tree is read', () => {
    writeTree(dir, { 'a/1.png': png(), 'z/1.png': png() });
    const it = walkInputs([dir]);
    expect(it.next().value.path).toBe(join(dir, 'a', '1.png'));
    writeTree(dir, { 'z/0.png': png() }); // created after the walk started: still found
    expect([...it].map((e) => e.path)).toEqual([join(dir, 'z', '0.png'), join(dir, 'z', '1.png')]);
  });
});

describe('glob patterns', () => {
  beforeEach(() =>
    writeTree(dir, {
      'data/a.jpg': 'x',
      'data/b.png': png(),
      'data/c.gif': 'x',
      'data/sub/d.jpg': 'x',
      'data/sub/deep/e.png': png(),
      'data/.h/f.jpg': 'x',
      'other/g.jpg': 'x',
    }),
  );
  const glob = (p: string, o = {}) => rel([...walkInputs([join(dir, p)], o)]);

  it('expands ** over any depth and {a,b} alternatives, in walk order', () => {
    expect(glob('data/**/*.{jpg,png}')).toEqual(['data/a.jpg', 'data/b.png', 'data/sub/d.jpg', 'data/sub/deep/e.png']);
  });
  it('keeps * within one directory', () => {
    expect(glob('data/*.jpg')).toEqual(['data/a.jpg']);
    expect(glob('*/*.jpg')).toEqual(['data/a.jpg', 'other/g.jpg']);
  });
  it('supports ? and classes', () => {
    expect(glob('data/[ab].*')).toEqual(['data/a.jpg', 'data/b.png']);
    expect(glob('data/[!ab].???')).toEqual(['data/c.gif']);
  });
  it('skips hidden names unless --hidden', () => {
    const [miss] = [...walkInputs([join(dir, 'data/**/f.jpg')])];
    expect(miss!.failure?.code).toBe('E_NOT_FOUND');
    expect(glob('data/**/f.jpg', { hidden: true })).toEqual(['data/.h/f.jpg']);
  });
  it('reports a pattern that matches nothing', () => {
    const [e] = [...walkInputs([join(dir, 'data/**/*.tiff')])];
    expect(e!.failure?.code).toBe('E_NOT_FOUND');
  });
  it('hashes glob matches relative to the literal prefix', () => {
    const entries = [...walkInputs([join(dir, 'data/**/*.png')])];
    expect(entries.map((e) => e.rel)).toEqual(['b.png', 'sub/deep/e.png']);
  });
});

describe('braces containing /', () => {
  beforeEach(() =>
    writeTree(dir, {
      'data/a.jpg': 'x',
      'data/b.png': png(),
      'data/sub/d.jpg': 'x',
      'data/sub/deep/e.png': png(),
      'data/.h/f.jpg': 'x',
      'other/g.jpg': 'x',
    }),
  );
  const glob = (p: string, o = {}) => rel([...walkInputs([join(dir, p)], o)]);

  it('expands them: data/{train/a,val}/*.jpg', () => {
    expect(glob('{data/sub,other}/*.jpg')).toEqual(['data/sub/d.jpg', 'other/g.jpg']);
    // As a shell shows it; `.` is walked on its own (see below).
    expect(glob('data/{sub/deep,.}/*.png')).toEqual(['data/sub/deep/e.png', 'data/./b.png']);
  });

  it('reports a file that two alternatives match once, in walk order', () => {
    expect(glob('data/{sub/**,**}/*.png')).toEqual(['data/b.png', 'data/sub/deep/e.png']);
    expect(glob('{other,data/sub}/*.jpg')).toEqual(['data/sub/d.jpg', 'other/g.jpg']);
  });

  it('hashes paths below the literal directory the alternatives share, as without /', () => {
    const withSlash = [...walkInputs([join(dir, 'data/{sub/deep,sub}/*.png')])].map((e) => e.rel);
    expect(withSlash).toEqual(['deep/e.png']);
    expect([...walkInputs([join(dir, 'data/sub/{deep,}/*.png')])].map((e) => e.rel)).toEqual(withSlash);
    expect([...walkInputs([join(dir, '{data,other}/*.jpg')])].map((e) => e.rel)).toEqual(
      [...walkInputs([join(dir, '{data/a,other/g}.jpg')])].map((e) => e.rel),
    );
  });

  it('walks alternatives through ., .. or a hidden name on their own, in order of appearance', () => {
    expect(glob('data/{.h,sub/deep}/*')).toEqual(['data/.h/f.jpg', 'data/sub/deep/e.png']);
    expect(glob('data/{sub/deep,../other}/*')).toEqual(['data/sub/deep/e.png', 'data/../other/g.jpg']);
  });

  it('reports one E_NOT_FOUND for the whole pattern when no alternative matches', () => {
    const entries = [...walkInputs([join(dir, '{data/nope,zz/x}/*.jpg')])];
    expect(entries).toHaveLength(1);
    expect(entries[0]!.failure?.code).toBe('E_NOT_FOUND');
    expect(entries[0]!.path).toBe(join(dir, '{data/nope,zz/x}/*.jpg'));
  });

  it('refuses a brace bomb with a UserError', () => {
    expect(() => [...walkInputs([join(dir, '{a/b,c}'.repeat(30))])]).toThrow(/more than 1024 patterns/);
  });

  it('is a usage error (exit 64, no output) on the command line', () => {
    const r = cli(['check', '{a/b,c}'.repeat(30), '--ndjson'], { cwd: dir });
    expect([r.code, r.stdout]).toEqual([64, '']);
    expect(r.stderr).toMatch(/^imgguard: pattern ".*" expands to more than 1024 patterns\n$/);
    const ok = cli(['check', 'data/{sub/deep,b.png/x}/*.png', '--ndjson'], { cwd: dir });
    expect(
      ok.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).path),
    ).toEqual(['data/sub/deep/e.png']);
  });
});
