import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileIgnore, isIgnored, isIgnoredPath } from '../../src/inputs/ignore.js';
import { readPathList } from '../../src/inputs/list.js';
import { walkInputs, type InputEntry } from '../../src/inputs/walk.js';
import { tempDir } from '../helpers/sharp.js';
import { cli, png, writeTree } from '../helpers/tree.js';
import { UserError } from '../../src/user-error.js';

/** Whether `patterns` ignore `path` (a directory when it ends with `/`). */
function ignores(patterns: string[], path: string): boolean {
  const rules = compileIgnore(patterns)!;
  return isIgnored(rules, path.replace(/\/$/, '').split('/'), path.endsWith('/'));
}

describe('ignore patterns', () => {
  it('compile to nothing when there are none, so the walk does no work for them', () => {
    expect(compileIgnore(undefined)).toBeNull();
    expect(compileIgnore([])).toBeNull();
    expect(compileIgnore(['', '/'])).toBeNull();
  });

  it('match a name at any depth when they have no /', () => {
    expect(ignores(['thumbs'], 'thumbs/')).toBe(true);
    expect(ignores(['thumbs'], 'a/b/thumbs/')).toBe(true);
    expect(ignores(['*.tmp'], 'x.tmp')).toBe(true);
    expect(ignores(['*.tmp'], 'a/b/x.tmp')).toBe(true);
    expect(ignores(['*.tmp'], 'a/x.tmp.png')).toBe(false);
    expect(ignores(['thumbs'], 'thumbsup/')).toBe(false);
  });

  it('are anchored to the input root when they have a / (a leading / only anchors)', () => {
    expect(ignores(['raw/*.png'], 'raw/a.png')).toBe(true);
    expect(ignores(['raw/*.png'], 'x/raw/a.png')).toBe(false);
    expect(ignores(['/thumbs'], 'thumbs/')).toBe(true);
    expect(ignores(['/thumbs'], 'a/thumbs/')).toBe(false);
    expect(ignores(['**/cache/*.png'], 'a/b/cache/c.png')).toBe(true);
    expect(ignores(['a/**'], 'a/')).toBe(true);
    expect(ignores(['a/**'], 'a/b/c.png')).toBe(true);
  });

  it('match only directories with a trailing /', () => {
    expect(ignores(['cache/'], 'x/cache/')).toBe(true);
    expect(ignores(['cache/'], 'x/cache')).toBe(false);
    expect(ignores(['cache'], 'x/cache')).toBe(true);
  });

  it('expand braces, each alternative a pattern of its own', () => {
    expect(ignores(['*.{tmp,bak}'], 'd/x.bak')).toBe(true);
    expect(ignores(['{thumbs,raw/old}'], 'a/thumbs/')).toBe(true); // `thumbs` alone: any depth
    expect(ignores(['{thumbs,raw/old}'], 'raw/old/')).toBe(true);
    expect(ignores(['{thumbs,raw/old}'], 'a/raw/old/')).toBe(false); // `raw/old`: anchored
  });

  it('refuse ! (gitignore re-including) and brace bombs', () => {
    expect(() => compileIgnore(['!keep.png'])).toThrow(UserError);
    expect(ignores(['\\!keep.png'], '!keep.png')).toBe(true);
    expect(() => compileIgnore(['{a/b,c}'.repeat(30)])).toThrow(/more than 1024 patterns/);
  });

  it('match a listed path through any directory on it', () => {
    const rules = compileIgnore(['thumbs', 'raw/', '/top/*.png'])!;
    expect(isIgnoredPath(rules, 'data/thumbs/a.png')).toBe(true);
    expect(isIgnoredPath(rules, 'data/raw/a.png')).toBe(true);
    expect(isIgnoredPath(rules, 'data/raw')).toBe(false); // a file named raw: `raw/` is for directories
    expect(isIgnoredPath(rules, 'top/a.png')).toBe(true);
    expect(isIgnoredPath(rules, 'x/top/a.png')).toBe(false);
    expect(isIgnoredPath(rules, '/abs/thumbs/a.png')).toBe(true);
    expect(isIgnoredPath(rules, 'data/a.png')).toBe(false);
  });
});

describe('ignore in walks, globs and lists', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('imgguard-ignore-'));
    writeTree(dir, {
      'data/a.png': png(),
      'data/b.tmp': png(),
      'data/thumbs/t.png': png(),
      'data/sub/thumbs/u.png': png(),
      'data/sub/c.png': png(),
      'data/raw/r.png': png(),
      'data/sub/raw/s.png': png(),
    });
  });
  afterEach(() => cleanup());
  const rels = (entries: Iterable<InputEntry>) => [...entries].map((e) => e.rel);

  it('skips matching files and directories, anchored to the directory given', () => {
    const data = join(dir, 'data');
    expect(rels(walkInputs([data], { ignore: ['thumbs', '*.tmp'] }))).toEqual([
      'a.png',
      'raw/r.png',
      'sub/c.png',
      'sub/raw/s.png',
    ]);
    expect(rels(walkInputs([data], { ignore: ['raw/'] }))).toEqual([
      'a.png',
      'b.tmp',
      'sub/c.png',
      'sub/thumbs/u.png',
      'thumbs/t.png',
    ]);
    expect(rels(walkInputs([data], { ignore: ['/raw'] }))).toEqual([
      'a.png',
      'b.tmp',
      'sub/c.png',
      'sub/raw/s.png',
      'sub/thumbs/u.png',
      'thumbs/t.png',
    ]);
    expect(rels(walkInputs([data], { ignore: ['sub/**'] }))).toEqual(['a.png', 'b.tmp', 'raw/r.png', 'thumbs/t.png']);
  });

  it('does not descend into an ignored directory at all', () => {
    // The walk lists `data` first; `data/sub` is then replaced by a file. Reading it would
    // report a failure for it; an ignored directory is never read, so nothing is reported.
    const swap = (ignore: string[]) => {
      rmSync(join(dir, 'data', 'sub'), { recursive: true, force: true });
      writeTree(dir, { 'data/sub/c.png': png() });
      const it = walkInputs([join(dir, 'data')], { ignore: ['*.tmp', ...ignore] });
      const first = it.next().value!;
      rmSync(join(dir, 'data', 'sub'), { recursive: true });
      writeFileSync(join(dir, 'data', 'sub'), 'now a file');
      return [first, ...it].map((e) => [e.rel, e.failure?.code ?? 'file']);
    };
    expect(swap([]).find(([rel]) => rel === 'sub')?.[1]).toMatch(/^E_/);
    expect(swap(['sub'])).toEqual([
      ['a.png', 'file'],
      ['raw/r.png', 'file'],
      ['thumbs/t.png', 'file'],
    ]);
  });

  it("matches glob results below the glob's literal prefix; a glob left with nothing is not found", () => {
    expect(rels(walkInputs([join(dir, 'data/**/*.png')], { ignore: ['/raw', 'thumbs'] }))).toEqual([
      'a.png',
      'sub/c.png',
      'sub/raw/s.png',
    ]);
    const [miss] = walkInputs([join(dir, 'data/thumbs/*.png')], { ignore: ['t.png'] });
    expect(miss!.failure?.code).toBe('E_NOT_FOUND');
  });

  it('always keeps files and directories named directly', () => {
    const named = [join(dir, 'data/b.tmp'), join(dir, 'data/thumbs')];
    expect([...walkInputs(named, { ignore: ['*.tmp', 'thumbs'] })].map((e) => e.path)).toEqual([
      join(dir, 'data/b.tmp'),
      join(dir, 'data/thumbs/t.png'),
    ]);
  });

  it('applies to --files-from entries, matched against the path as listed', () => {
    const list = join(dir, 'list.txt');
    writeFileSync(list, ['./data/a.png', 'data/thumbs/t.png', 'data/b.tmp', 'raw/r.png', 'data/raw/r.png'].join('\n'));
    expect([...readPathList(list, { ignore: ['thumbs', '*.tmp', '/raw'] })].map((e) => e.path)).toEqual([
      './data/a.png',
      'data/raw/r.png',
    ]);
  });
});

describe('imgguard check --ignore and the ignore setting', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('imgguard-ignore-cli-'));
    writeTree(dir, {
      'data/a.png': png(),
      'data/b.tmp': 'junk',
      'data/c.bak': 'junk',
      'data/thumbs/t.png': png(),
      'data/x,y.png': png(),
    });
  });
  afterEach(() => cleanup());
  const paths = (r: { stdout: string }) =>
    r.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l).path as string);

  it('takes repeated and comma-separated flags, without splitting inside braces', () => {
    const r = cli(['check', 'data', '--ndjson', '--ignore', '*.{tmp,bak}', '--ignore', 'thumbs,x\\,y.png'], {
      cwd: dir,
    });
    expect(paths(r)).toEqual(['data/a.png']);
    expect(r.code).toBe(0);
  });

  it("uses the config file's list; the flag replaces it, and --ignore '' turns it off", () => {
    writeFileSync(join(dir, 'imgguard.config.json'), JSON.stringify({ ignore: ['*.tmp', '*.bak', 'thumbs/'] }));
    expect(paths(cli(['check', 'data', '--ndjson'], { cwd: dir }))).toEqual(['data/a.png', 'data/x,y.png']);
    // --all-files: b.tmp and c.bak are no images, which a walk skips otherwise.
    expect(paths(cli(['check', 'data', '--ndjson', '--all-files', '--ignore', '*.png'], { cwd: dir }))).toEqual([
      'data/b.tmp',
      'data/c.bak',
    ]);
    expect(paths(cli(['check', 'data', '--ndjson', '--all-files', '--ignore', ''], { cwd: dir }))).toHaveLength(5);
    expect(cli(['budget'], { cwd: dir }).stdout).toMatch(/^ignore\s+\*\.tmp, \*\.bak, thumbs\/\s+from config /m);
  });

  it('applies to lists, never to files named directly', () => {
    const r = cli(['check', 'data/b.tmp', '--files-from', '-', '--ignore', '*.tmp,thumbs', '--ndjson'], {
      cwd: dir,
      input: 'data/a.png\ndata/b.tmp\ndata/thumbs/t.png\n',
    });
    expect(paths(r)).toEqual(['data/b.tmp', 'data/a.png']);
  });

  it('is a usage error, before any output, for ! and brace bombs, naming where the pattern came from', () => {
    const flag = cli(['check', 'data', '--ignore', '!keep.png'], { cwd: dir });
    expect([flag.code, flag.stdout]).toEqual([64, '']);
    expect(flag.stderr).toMatch(/--ignore: "!keep.png": "!" \(re-including\) is not supported/);
    writeFileSync(join(dir, 'imgguard.config.json'), JSON.stringify({ ignore: ['ok', '{a/b,c}'.repeat(30)] }));
    const config = cli(['check', 'data'], { cwd: dir });
    expect([config.code, config.stdout]).toEqual([64, '']);
    expect(config.stderr).toMatch(/imgguard\.config\.json: ignore\[1\]: .* expands to more than 1024 patterns/);
  });
});
