import { spawnSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { tempDir } from '../helpers/sharp.js';

// The Python client (python/) against the built CLI, with Debian's python3, Pillow and numpy
// (.ci/run installs them): its own unittest suite, then `pip install` into a venv and the example.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PYTHON = '/usr/bin/python3';
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const env = { ...process.env, IMGGUARD_BIN: `${quote(process.execPath)} ${quote(BIN)}`, PYTHONDONTWRITEBYTECODE: '1' };

describe('python client', () => {
  it('python3 is there (CI installs it; nothing below may be skipped)', () => {
    expect(existsSync(PYTHON)).toBe(true);
  });

  it('passes its unittest suite against the built CLI', { timeout: 600000 }, () => {
    const r = spawnSync(PYTHON, ['-m', 'unittest', 'discover', '-s', 'python/tests', '-t', 'python', '-v'], {
      cwd: ROOT,
      env: { ...env, PYTHONPATH: join(ROOT, 'python') },
      encoding: 'utf8',
      timeout: 590000,
    });
    const ran = /Ran (\d+) tests?/.exec(r.stderr);
    expect(r.stderr.slice(-3000), 'unittest output').toMatch(/\nOK\s*$/);
    expect(Number(ran?.[1])).toBeGreaterThanOrEqual(20);
    expect(r.stderr).not.toMatch(/skipped/);
    expect(r.status).toBe(0);
  });

  it('pip installs it offline into a venv (Debian python3), and the example runs', { timeout: 300000 }, () => {
    const { dir, cleanup } = tempDir('imgguard-venv-');
    try {
      // A copy, so the build leaves nothing in the clone.
      cpSync(join(ROOT, 'python'), join(dir, 'src'), { recursive: true, filter: (p) => !p.includes('__pycache__') });
      const venv = join(dir, 'venv');
      const run = (cmd: string, args: string[], cwd = dir) =>
        spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 240000 });
      const made = run(PYTHON, ['-m', 'venv', '--system-site-packages', venv]);
      expect(made.stderr).toBe('');
      const pip = run(join(venv, 'bin/pip'), ['install', '--no-index', '--no-build-isolation', '-q', join(dir, 'src')]);
      expect(pip.stderr.replace(/^.*(WARNING|notice).*$/gm, '').trim()).toBe('');
      expect(pip.status).toBe(0);
      const example = run(join(venv, 'bin/python'), [join(ROOT, 'python/examples/check_folder.py'), 'samples'], ROOT);
      expect(example.stderr).toBe('');
      expect(example.status).toBe(0);
      expect(example.stdout).toMatch(/^\d+ files: .*ok/);
      expect(example.stdout).toMatch(/skip samples\/bomb\.gif: over_budget/);
      expect(example.stdout).toMatch(/opened samples\/photo\.jpg: JPEG \(320, 240\) RGB/);
      expect(example.stdout).toMatch(/loaded samples\/\S+: array \(\d+, \d+, \d\) uint8/);
    } finally {
      cleanup();
    }
  });
});
