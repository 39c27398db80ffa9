/**
 * Installing without the registry (README "Install", docs/ci.md): `npm pack` gives a tarball that
 * another project installs, and `npm install -g <path>` builds through `prepare`. Both run offline
 * here, from npm's cache, which `npm ci` filled.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  license: string;
  engines: { node: string };
  dependencies: Record<string, string>;
  bin: Record<string, string>;
};
const npm = (args: string[], cwd: string) =>
  spawnSync('npm', args, {
    cwd,
    encoding: 'utf8',
    timeout: 180000,
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
  });

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'imgguard-install-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('package metadata', () => {
  it('ships an MIT LICENSE matching package.json', () => {
    expect(pkg.license).toBe('MIT');
    const text = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    expect(text.split('\n')[0]).toBe('MIT License');
    expect(text).toContain('THE SOFTWARE IS PROVIDED "AS IS"');
  });

  it('states the supported Node versions, and this Node is one of them', () => {
    const min = /^>=(\d+)\.(\d+)\.(\d+)$/.exec(pkg.engines.node);
    expect(min).not.toBeNull();
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    expect(major > Number(min![1]) || (major === Number(min![1]) && minor >= Number(min![2]))).toBe(true);
  });
});

/**
 * A lockfile for a project that depends on the tarball, its dependencies pinned as this
 * repository's lockfile pins them, so `npm install --offline` resolves everything from the cache.
 */
function lockFor(tarball: string): object {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dependencies?: object; optionalDependencies?: object }>;
  };
  const packages: Record<string, object> = {
    '': { name: 'consumer', version: '1.0.0', dependencies: { [pkg.name]: `file:${tarball}` } },
  };
  const queue = Object.keys(pkg.dependencies).map((d) => `node_modules/${d}`);
  for (let key = queue.pop(); key !== undefined; key = queue.pop()) {
    const entry = lock.packages[key];
    if (!entry || packages[key]) continue;
    packages[key] = entry;
    for (const d of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies }))
      queue.push(`node_modules/${d}`);
  }
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  packages[`node_modules/${pkg.name}`] = {
    version: pkg.version,
    resolved: `file:${tarball}`,
    integrity,
    license: pkg.license,
    dependencies: pkg.dependencies,
    bin: pkg.bin,
    engines: pkg.engines,
  };
  return { name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}

describe('npm pack, then install the tarball in another project', () => {
  it('installs offline and runs imgguard --version and a check', () => {
    // npm test built dist/ already; pack what is there (a user's `npm pack` runs prepare first).
    expect(existsSync(join(ROOT, 'dist/bundle/cli.js'))).toBe(true);
    const packed = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], ROOT);
    expect(packed.status, packed.stderr).toBe(0);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const files = info!.files.map((f) => f.path);
    for (const f of ['LICENSE', 'README.md', 'package.json', 'bin/imgguard.js', 'dist/bundle/cli.js', 'dist/index.js'])
      expect(files).toContain(f);
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/'))).toBe(false);

    const tarball = join(tmp, info!.filename);
    const project = join(tmp, 'consumer');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({
        name: 'consumer',
        version: '1.0.0',
        private: true,
        dependencies: { imgguard: `file:${tarball}` },
      }),
    );
    writeFileSync(join(project, 'package-lock.json'), JSON.stringify(lockFor(tarball), null, 2));
    const installed = npm(['install', '--offline', '--no-audit', '--no-fund'], project);
    expect(installed.status, installed.stderr).toBe(0);

    const bin = join(project, 'node_modules/.bin/imgguard');
    const version = execFileSync(bin, ['--version'], { encoding: 'utf8' });
    expect(version).toContain(`imgguard ${pkg.version}`);
    const check = spawnSync(bin, ['check', join(ROOT, 'samples/photo.jpg'), join(ROOT, 'samples/bomb.gif')], {
      encoding: 'utf8',
    });
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/bomb\.gif .*over_budget/);
  }, 180000);
});

describe('npm install -g <path>', () => {
  it('builds through prepare and links the imgguard command', () => {
    // A copy of the checkout without dist/ (as a fresh clone has it), sharing node_modules.
    const source = join(tmp, 'source');
    const tracked = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((f) => f && existsSync(join(ROOT, f)));
    for (const f of tracked) cpSync(join(ROOT, f), join(source, f));
    symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'));
    expect(existsSync(join(source, 'dist'))).toBe(false);

    const prefix = join(tmp, 'global');
    const installed = npm(['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', source], tmp);
    expect(installed.status, installed.stderr).toBe(0);
    expect(existsSync(join(source, 'dist/bundle/cli.js'))).toBe(true);
    const version = execFileSync(join(prefix, 'bin/imgguard'), ['--version'], { encoding: 'utf8' });
    expect(version).toContain(`imgguard ${pkg.version}`);
  }, 180000);
});
