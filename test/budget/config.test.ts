import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findConfig, validateConfig } from '../../src/budget/config.js';
import { resolveSettings } from '../../src/budget/settings.js';
import { tempDir } from '../helpers/sharp.js';
import { UserError } from '../../src/user-error.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

function tree(files: Record<string, unknown>): string {
  const { dir, cleanup } = tempDir('imgguard-cfg-');
  cleanups.push(cleanup);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

/** The message of the UserError that `fn` throws. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('config discovery', () => {
  it('finds imgguard.config.json in a parent directory', () => {
    const root = tree({ 'imgguard.config.json': { budget: '2GiB' }, 'a/b/c/.keep': '' });
    const found = findConfig(join(root, 'a/b/c'))!;
    expect(found.file).toBe(join(root, 'imgguard.config.json'));
    expect(found.data).toEqual({ budget: '2GiB' });
  });

  it('the nearest directory wins; in one, imgguard.config.json, then .imgguardrc.json, then package.json', () => {
    const root = tree({
      'imgguard.config.json': { budget: '1GB' },
      'a/.imgguardrc.json': { budget: '2GB' },
      'a/package.json': { name: 'x', imgguard: { budget: '3GB' } },
      'a/b/package.json': { name: 'y', imgguard: { budget: '4GB' } },
    });
    expect(findConfig(join(root, 'a/b'))).toMatchObject({
      file: join(root, 'a/b/package.json'),
      key: 'imgguard',
      data: { budget: '4GB' },
    });
    expect(findConfig(join(root, 'a'))!.file).toBe(join(root, 'a/.imgguardrc.json'));
    expect(findConfig(root)!.file).toBe(join(root, 'imgguard.config.json'));
  });

  it('a package.json without an "imgguard" key is passed over', () => {
    const root = tree({ '.imgguardrc.json': { decoder: 'numpy' }, 'app/package.json': { name: 'app' } });
    expect(findConfig(join(root, 'app'))!.file).toBe(join(root, '.imgguardrc.json'));
  });

  it('nothing found gives null', () => {
    const root = tree({ 'x/.keep': '' });
    // The temp dir's ancestors (/tmp, /) hold no config in a clean environment.
    const found = findConfig(join(root, 'x'));
    if (found) expect(found.file.startsWith(root)).toBe(false);
    else expect(found).toBeNull();
  });

  it('invalid JSON is one line naming the file', () => {
    const root = tree({ 'imgguard.config.json': '{ "budget": ' });
    const msg = errorOf(() => findConfig(root));
    expect(msg).toContain(join(root, 'imgguard.config.json'));
    expect(msg).toContain('not valid JSON');
    expect(msg).not.toContain('\n');
  });
});

describe('config validation errors: file, field path, expected, found', () => {
  const cases: [string, unknown, string, string][] = [
    ['a bad budget string', { budget: 'lots' }, 'budget', '"lots"'],
    ['an auto budget over 100%', { budget: 'auto:150%' }, 'budget', '"auto:150%"'],
    ['a negative byte budget', { budget: -1 }, 'budget', '-1'],
    ['an unknown decoder', { decoder: 'opencv' }, 'decoder', '"opencv"'],
    ['a fractional maxWidth', { maxWidth: 10.5 }, 'maxWidth', '10.5'],
    ['a zero maxPixels', { maxPixels: 0 }, 'maxPixels', '0'],
    ['a string maxFrames', { maxFrames: '10' }, 'maxFrames', '"10"'],
    ['a boolean as a string', { pillowCompat: 'yes' }, 'pillowCompat', '"yes"'],
    ['concurrency too high', { concurrency: 5000 }, 'concurrency', '5000'],
    ['a number inside ignore', { ignore: ['*.tmp', 3] }, 'ignore[1]', '3'],
    ['a bad failOn entry', { failOn: ['corrupt', 'ok'] }, 'failOn', '["corrupt","ok"]'],
    ['a bad maxFileSize', { maxFileSize: '10 parsecs' }, 'maxFileSize', '"10 parsecs"'],
  ];
  for (const [name, data, path, found] of cases) {
    it(name, () => {
      const msg = errorOf(() => validateConfig({ file: '/x/imgguard.config.json', data }));
      expect(msg.startsWith(`/x/imgguard.config.json: ${path}: expected `)).toBe(true);
      expect(msg.endsWith(`, found ${found}`)).toBe(true);
      expect(msg).not.toContain('\n');
    });
  }

  it('the expectation is spelled out', () => {
    expect(errorOf(() => validateConfig({ file: 'f', data: { decoder: 'opencv' } }))).toContain(
      'expected one of "sharp", "pillow", "numpy"',
    );
    expect(errorOf(() => validateConfig({ file: 'f', data: { maxWidth: 0 } }))).toContain(
      'expected a whole number of pixels >= 1',
    );
  });

  it('an unknown key is named', () => {
    const msg = errorOf(() => validateConfig({ file: 'f', data: { budget: '1GB', maxWdith: 5 } }));
    expect(msg).toMatch(/^f: maxWdith: expected one of the settings .*budget, .*maxWidth.*, found an unknown setting$/);
  });

  it('the package.json key is part of the path', () => {
    const msg = errorOf(() => validateConfig({ file: '/p/package.json', key: 'imgguard', data: { frames: 'some' } }));
    expect(msg).toBe('/p/package.json: imgguard.frames: expected one of "first", "all", found "some"');
  });

  it('a config that is not an object', () => {
    expect(errorOf(() => validateConfig({ file: 'f', data: [1] }))).toBe(
      'f: (top level): expected an object of settings, found [1]',
    );
  });

  it('a valid config passes through', () => {
    const data = {
      $schema: './imgguard.schema.json',
      budget: 'auto:40%',
      frames: 'all',
      decoder: 'pillow',
      maxPixels: 1000,
      maxWidth: 10,
      maxHeight: 20,
      maxFrames: 3,
      maxFileSize: '5MB',
      pillowCompat: true,
      reporter: 'ndjson',
      failOn: 'corrupt',
      concurrency: 8,
      ignore: ['**/thumbs/**'],
    };
    expect(validateConfig({ file: 'f', data }).config).toEqual(data);
  });
});

describe('precedence: --budget > IMGGUARD_BUDGET > config file > default', () => {
  const GiB = 1024n ** 3n;
  it('default without anything', () => {
    const cwd = tree({ '.keep': '' });
    const s = resolveSettings({}, { cwd, env: {} });
    // A stray config above the temp dir would change the source; the temp dir has none.
    if (s.config === null) expect(s.budget).toMatchObject({ value: GiB, source: 'default' });
    expect(s.decoder.value).toBe(s.config?.config.decoder ?? 'sharp');
  });

  it('config over default, env over config, flag over env', () => {
    const cwd = tree({ 'imgguard.config.json': { budget: '2GiB', decoder: 'numpy', maxWidth: 100 } });
    const file = join(cwd, 'imgguard.config.json');
    let s = resolveSettings({}, { cwd, env: {} });
    expect(s.budget).toMatchObject({ value: 2n * GiB, source: `config ${file}` });
    expect(s.decoder).toEqual({ value: 'numpy', source: `config ${file}` });
    expect(s.maxWidth).toEqual({ value: 100, source: `config ${file}` });
    expect(s.maxHeight).toEqual({ value: undefined, source: 'default' });

    s = resolveSettings({}, { cwd, env: { IMGGUARD_BUDGET: '3GiB' } });
    expect(s.budget).toMatchObject({ value: 3n * GiB, source: 'IMGGUARD_BUDGET' });

    s = resolveSettings(
      { budget: '4GiB', decoder: 'pillow', maxWidth: '50' },
      { cwd, env: { IMGGUARD_BUDGET: '3GiB' } },
    );
    expect(s.budget).toMatchObject({ value: 4n * GiB, source: '--budget' });
    expect(s.decoder).toEqual({ value: 'pillow', source: '--decoder' });
    expect(s.maxWidth).toEqual({ value: 50, source: '--max-width' });
  });

  it('package.json "imgguard" key names its source', () => {
    const cwd = tree({ 'package.json': { name: 'p', imgguard: { budget: 1000 } } });
    const s = resolveSettings({}, { cwd, env: {} });
    expect(s.budget).toMatchObject({ value: 1000n, source: `config ${join(cwd, 'package.json')} ("imgguard" key)` });
  });

  it('auto in the config, env or flag reads the (fake) machine', () => {
    const root = tree({
      'proc/self/cgroup': '0::/\n',
      'sys/fs/cgroup/memory.max': `${4n * GiB}`,
      'sys/fs/cgroup/memory.current': `${2n * GiB}`,
    });
    const cwd = tree({ '.imgguardrc.json': { budget: 'auto:25%' } });
    const memory = { root };
    expect(resolveSettings({}, { cwd, env: {}, memory }).budget).toMatchObject({ value: GiB / 2n, percent: 25 });
    expect(resolveSettings({}, { cwd, env: { IMGGUARD_BUDGET: 'auto' }, memory }).budget).toMatchObject({
      value: GiB,
      source: 'IMGGUARD_BUDGET',
    });
    expect(resolveSettings({ budget: 'auto:100%' }, { cwd, env: {}, memory }).budget).toMatchObject({
      value: 2n * GiB,
      source: '--budget',
    });
  });

  it('bad flag and env values are precise errors', () => {
    const cwd = tree({ '.keep': '' });
    expect(errorOf(() => resolveSettings({ budget: 'lots' }, { cwd, env: {} }))).toMatch(
      /^--budget: invalid budget "lots"/,
    );
    expect(errorOf(() => resolveSettings({}, { cwd, env: { IMGGUARD_BUDGET: 'auto:0%' } }))).toMatch(
      /^IMGGUARD_BUDGET: invalid budget "auto:0%"/,
    );
    expect(errorOf(() => resolveSettings({ decoder: 'cv2' }, { cwd, env: {} }))).toBe(
      'invalid --decoder "cv2": expected one of sharp, pillow, numpy, pillow@<version>, numpy@<version> ' +
        '(e.g. pillow@9.4, pillow@12)',
    );
    expect(errorOf(() => resolveSettings({ decoder: 'pillow@8.4' }, { cwd, env: {} }))).toMatch(/^invalid --decoder/);
    expect(resolveSettings({ decoder: 'pillow@9.4' }, { cwd, env: {} }).decoder.value).toBe('pillow@9.4');
    expect(errorOf(() => resolveSettings({ maxWidth: '0' }, { cwd, env: {} }))).toMatch(/--max-width "0"/);
    expect(errorOf(() => resolveSettings({ maxPixels: 'many' }, { cwd, env: {} }))).toMatch(/--max-pixels "many"/);
  });

  it('--max-pixels takes decimal suffixes', () => {
    const cwd = tree({ '.keep': '' });
    expect(resolveSettings({ maxPixels: '100MP' }, { cwd, env: {} }).maxPixels.value).toBe(100_000_000);
    expect(resolveSettings({ maxPixels: '2.5k' }, { cwd, env: {} }).maxPixels.value).toBe(2500);
  });

  it('--config names a file and skips discovery', () => {
    const cwd = tree({ 'imgguard.config.json': { budget: '1GB' }, 'other.json': { budget: '7GB' } });
    const s = resolveSettings({ config: join(cwd, 'other.json') }, { cwd, env: {} });
    expect(s.budget.value).toBe(7_000_000_000n);
  });

  it('--config with a package.json reads its "imgguard" key', () => {
    const cwd = tree({ 'package.json': { name: 'p', imgguard: { maxFrames: 9 } }, 'bare/package.json': { name: 'q' } });
    expect(resolveSettings({ config: join(cwd, 'package.json') }, { cwd, env: {} }).maxFrames.value).toBe(9);
    expect(errorOf(() => resolveSettings({ config: join(cwd, 'bare/package.json') }, { cwd, env: {} }))).toContain(
      'imgguard: expected an object of settings, found nothing',
    );
    expect(errorOf(() => resolveSettings({ config: join(cwd, 'missing.json') }, { cwd, env: {} }))).toContain(
      'no such config file',
    );
  });

  it('dataset settings are exposed for the check command', () => {
    const cwd = tree({
      'imgguard.config.json': { reporter: 'json', failOn: ['corrupt'], concurrency: 4, ignore: ['*.tmp'] },
    });
    const s = resolveSettings({}, { cwd, env: {} });
    expect([s.reporter.value, s.failOn.value, s.concurrency.value, s.ignore.value]).toEqual([
      'json',
      ['corrupt'],
      4,
      ['*.tmp'],
    ]);
  });
});
