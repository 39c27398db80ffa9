import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspacePath } from '../../src/report/github.js';
import { tempDir } from '../helpers/sharp.js';
import { cli, png, writeTree } from '../helpers/tree.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = tempDir('imgguard-github-'));
  writeTree(dir, { 'repo/assets/big.png': png(30000, 30000), 'repo/assets/text.png': 'not an image' });
});
afterAll(() => cleanup());

describe('workspacePath', () => {
  it('is relative to GITHUB_WORKSPACE when inside it, as given otherwise', () => {
    expect(workspacePath('/w/repo/a/b.png', '/w/repo')).toBe('a/b.png');
    expect(workspacePath('/w/repo/a/b.png', '/w/repo/')).toBe('a/b.png');
    expect(workspacePath('/w/other/b.png', '/w/repo')).toBe('/w/other/b.png');
    expect(workspacePath('/w/repo-2/b.png', '/w/repo')).toBe('/w/repo-2/b.png');
    expect(workspacePath('/w/repo/b.png', undefined)).toBe('/w/repo/b.png');
  });
});

describe('--reporter github', () => {
  it('names files relative to GITHUB_WORKSPACE, so annotations link to the repository', () => {
    const repo = join(dir, 'repo');
    const r = cli(['check', join(repo, 'assets'), '--reporter', 'github'], {
      env: { GITHUB_WORKSPACE: repo, GITHUB_STEP_SUMMARY: '' },
    });
    expect(r.stdout).toContain('::error file=assets/big.png,title=imgguard%3A over_budget::');
    expect(r.stdout).toContain('::error file=assets/text.png,title=imgguard%3A unsupported::');
    // Run from elsewhere, a relative path is resolved against the working directory first.
    const fromDir = cli(['check', 'repo/assets/big.png', '--reporter', 'github'], {
      cwd: dir,
      env: { GITHUB_WORKSPACE: repo, GITHUB_STEP_SUMMARY: '' },
    });
    expect(fromDir.stdout).toContain('::error file=assets/big.png,');
  });

  it('verdicts that do not fail the run (--fail-on) are warnings', () => {
    const r = cli(['check', join(dir, 'repo'), '--reporter', 'github', '--fail-on', 'unsupported'], {
      env: { GITHUB_WORKSPACE: join(dir, 'repo'), GITHUB_STEP_SUMMARY: '' },
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('::warning file=assets/big.png,title=imgguard%3A over_budget::');
    expect(r.stdout).toContain('::error file=assets/text.png,');
  });
});
