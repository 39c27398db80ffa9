/**
 * The pre-commit hook (.pre-commit-hooks.yaml), run by the real pre-commit: it installs this
 * repository as a `language: node` hook (npm install, npm pack, which builds through `prepare`,
 * npm install -g of the tarball) and runs it on the staged files of a test repository, through
 * `try-repo`.
 *
 * The hook repository is a committed snapshot of this checkout (uncommitted changes included):
 * try-repo on a checkout with changes makes a new snapshot, so a new environment, each run.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_EXTENSIONS } from '../../src/inputs/extensions.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const hasPreCommit = spawnSync('pre-commit', ['--version']).status === 0;

let tmp: string;
let repo: string;
let hooks: string;
let rev: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'imgguard-pre-commit-'));
  hooks = join(tmp, 'imgguard');
  const files = git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT).split('\0');
  for (const f of files) if (f && existsSync(join(ROOT, f))) cpSync(join(ROOT, f), join(hooks, f));
  git(['init', '-q'], hooks);
  git(['add', '.'], hooks);
  git(['-c', 'user.email=test@example.invalid', '-c', 'user.name=test', 'commit', '-q', '-m', 'snapshot'], hooks);
  rev = git(['rev-parse', 'HEAD'], hooks).trim();
  repo = join(tmp, 'repo');
  git(['init', '-q', repo], tmp);
  git(['config', 'user.email', 'test@example.invalid'], repo);
  git(['config', 'user.name', 'test'], repo);
}, 60000);
// The hook environment holds a full node_modules: removing it takes a while on a busy machine.
afterAll(() => rmSync(tmp, { recursive: true, force: true }), 180000);

function git(args: string[], cwd: string) {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Runs a command in the test repository, with pre-commit's cache in the temporary directory. */
function inRepo(command: string, args: string[]) {
  return spawnSync(command, args, {
    cwd: repo,
    encoding: 'utf8',
    timeout: 300000,
    // The hook environment is built once for all runs; npm takes packages from its cache when it
    // has them.
    env: { ...process.env, PRE_COMMIT_HOME: join(tmp, 'cache'), npm_config_prefer_offline: 'true', NO_COLOR: '1' },
  });
}

/** `pre-commit try-repo <this repository> imgguard` on what is staged in the test repository. */
const tryRepo = () => inRepo('pre-commit', ['try-repo', hooks, 'imgguard', '--ref', rev]);

describe.skipIf(!hasPreCommit)('pre-commit hook', () => {
  it('declares a node hook over image names only', () => {
    const manifest = readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8');
    expect(manifest).toMatch(/^- id: imgguard$/m);
    expect(manifest).toMatch(/^ {2}language: node$/m);
    const filter = /^ {2}files: \(\?i\)\\\.\((.*)\)\$$/m.exec(manifest);
    expect(filter).not.toBeNull();
    // The same extensions as a directory walk treats as images.
    expect(filter![1]!.split('|')).toEqual([...IMAGE_EXTENSIONS]);
    const files = new RegExp(`\\.(${filter![1]})$`, 'i');
    for (const name of ['a.png', 'b.JPG', 'c.jpeg', 'd.webp', 'e.tiff', 'f.gif', 'g.avif', 'h.svg'])
      expect(files.test(name)).toBe(true);
    for (const name of ['labels.csv', 'README.md', '.gitattributes', 'png.txt']) expect(files.test(name)).toBe(false);
  });

  it('refuses a commit with a decompression bomb and accepts a good image', () => {
    copyFileSync(join(ROOT, 'samples/bomb.gif'), join(repo, 'bomb.gif'));
    copyFileSync(join(ROOT, 'samples/photo.jpg'), join(repo, 'photo.jpg'));
    writeFileSync(join(repo, 'labels.csv'), 'file,label\nphoto.jpg,cat\n');
    git(['add', 'bomb.gif', 'photo.jpg', 'labels.csv'], repo);
    const refused = tryRepo();
    expect(refused.status, refused.stderr + refused.stdout).toBe(1);
    expect(refused.stdout).toMatch(/bomb\.gif .*over_budget/);
    expect(refused.stdout).not.toContain('labels.csv'); // not an image name: not passed to the hook

    git(['rm', '-q', '--cached', 'bomb.gif'], repo);
    const accepted = tryRepo();
    expect(accepted.status, accepted.stderr + accepted.stdout).toBe(0);
    expect(accepted.stdout).toMatch(/imgguard.*Passed/);
  }, 400000);
});
