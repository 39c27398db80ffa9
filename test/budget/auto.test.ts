import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  autoBudget,
  autoSpecOrThrow,
  availableMemory,
  parseAutoSpec,
  readCgroupLimit,
  readMemAvailable,
} from '../../src/budget/auto.js';
import { tempDir } from '../helpers/sharp.js';

const GiB = 1024n ** 3n;
let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

/** A fake filesystem root: files given as relative path → content. */
function fakeRoot(files: Record<string, string>): string {
  const { dir, cleanup } = tempDir('imgguard-root-');
  cleanups.push(cleanup);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

const meminfo = (availKiB: bigint) =>
  `MemTotal:       65536000 kB\nMemFree:         1000000 kB\nMemAvailable:   ${availKiB} kB\nBuffers:          ` +
  `100 kB\n`;

describe('auto spec', () => {
  it('parses auto and auto:P%', () => {
    expect(parseAutoSpec('auto')).toEqual({ percent: 50 });
    expect(parseAutoSpec('auto:60%')).toEqual({ percent: 60 });
    expect(parseAutoSpec('AUTO:12.5%')).toEqual({ percent: 12.5 });
    expect(parseAutoSpec('512MB')).toBeNull();
  });
  it('rejects percentages outside (0, 100]', () => {
    expect(() => autoSpecOrThrow('auto:0%')).toThrow(/auto:P%/);
    expect(() => autoSpecOrThrow('auto:150%')).toThrow(/0 < P <= 100/);
    expect(() => autoSpecOrThrow('auto:abc')).toThrow(/auto:P%/);
  });
});

describe('available memory from a fake root', () => {
  it('cgroup v2: memory.max minus memory.current, when below MemAvailable', () => {
    const root = fakeRoot({
      'proc/self/cgroup': '0::/user.slice/notebook\n',
      'proc/meminfo': meminfo(32n * 1024n * 1024n), // 32 GiB
      'sys/fs/cgroup/user.slice/notebook/memory.max': `${2n * GiB}\n`,
      'sys/fs/cgroup/user.slice/notebook/memory.current': `${(3n * GiB) / 2n}\n`,
    });
    const a = availableMemory({ root });
    expect(a.source).toBe('cgroup v2');
    expect(a.bytes).toBe(GiB / 2n);
    expect(autoBudget({ percent: 50 }, { root }).bytes).toBe(GiB / 4n);
    expect(autoBudget({ percent: 60 }, { root }).bytes).toBe(((GiB / 2n) * 6n) / 10n);
  });

  it('cgroup v2: "max" means no limit, so MemAvailable decides', () => {
    const root = fakeRoot({
      'proc/self/cgroup': '0::/\n',
      'proc/meminfo': meminfo(4n * 1024n * 1024n),
      'sys/fs/cgroup/memory.max': 'max\n',
      'sys/fs/cgroup/memory.current': '123456\n',
    });
    expect(readCgroupLimit(root)).toBeNull();
    const a = availableMemory({ root });
    expect(a.source).toBe('MemAvailable');
    expect(a.bytes).toBe(4n * GiB);
  });

  it('cgroup v2: a tighter ancestor limit binds', () => {
    const root = fakeRoot({
      'proc/self/cgroup': '0::/a/b\n',
      'sys/fs/cgroup/a/memory.max': `${GiB}`,
      'sys/fs/cgroup/a/memory.current': `${GiB / 4n}`,
      'sys/fs/cgroup/a/b/memory.max': `${8n * GiB}`,
      'sys/fs/cgroup/a/b/memory.current': `${GiB / 8n}`,
    });
    const c = readCgroupLimit(root)!;
    expect(c.dir.endsWith(join('a'))).toBe(true);
    expect(availableMemory({ root }).bytes).toBe((3n * GiB) / 4n);
  });

  it('cgroup v2 in a namespace: the path is absent under the mount, the mount root is read', () => {
    const root = fakeRoot({
      'proc/self/cgroup': '0::/kubepods/pod1/abc\n',
      'sys/fs/cgroup/memory.max': `${GiB}`,
      'sys/fs/cgroup/memory.current': '0',
    });
    expect(availableMemory({ root })).toMatchObject({ source: 'cgroup v2', bytes: GiB });
  });

  it('cgroup v1: memory.limit_in_bytes minus memory.usage_in_bytes', () => {
    const root = fakeRoot({
      'proc/self/cgroup': '12:pids:/docker/x\n4:memory:/docker/x\n1:name=systemd:/docker/x\n',
      'proc/meminfo': meminfo(16n * 1024n * 1024n),
      'sys/fs/cgroup/memory/docker/x/memory.limit_in_bytes': `${2n * GiB}`,
      'sys/fs/cgroup/memory/docker/x/memory.usage_in_bytes': `${GiB}`,
    });
    const a = availableMemory({ root });
    expect(a.source).toBe('cgroup v1');
    expect(a.bytes).toBe(GiB);
    expect(a.detail).toContain('memory.limit_in_bytes');
  });

  it('cgroup v1: the page-rounded 2^63 "no limit" value is ignored', () => {
    const root = fakeRoot({
      'proc/self/cgroup': '4:memory:/\n',
      'proc/meminfo': meminfo(1024n * 1024n),
      'sys/fs/cgroup/memory/memory.limit_in_bytes': '9223372036854771712\n',
      'sys/fs/cgroup/memory/memory.usage_in_bytes': '966848512\n',
    });
    expect(readCgroupLimit(root)).toBeNull();
    expect(availableMemory({ root })).toMatchObject({ source: 'MemAvailable', bytes: GiB });
  });

  it('MemAvailable wins when it is below the cgroup headroom', () => {
    const root = fakeRoot({
      'proc/self/cgroup': '0::/\n',
      'proc/meminfo': meminfo(512n * 1024n), // 512 MiB
      'sys/fs/cgroup/memory.max': `${8n * GiB}`,
      'sys/fs/cgroup/memory.current': '0',
    });
    expect(availableMemory({ root })).toMatchObject({ source: 'MemAvailable', bytes: GiB / 2n });
  });

  it('usage above the limit gives zero headroom, never a negative budget', () => {
    const root = fakeRoot({
      'proc/self/cgroup': '0::/\n',
      'sys/fs/cgroup/memory.max': '1000',
      'sys/fs/cgroup/memory.current': '5000',
    });
    expect(availableMemory({ root }).bytes).toBe(0n);
  });

  it('missing files: falls back to os.freemem()', () => {
    const root = fakeRoot({ 'etc/hostname': 'x' });
    expect(readMemAvailable(root)).toBeNull();
    const a = availableMemory({ root, freemem: () => 3 * 1024 ** 3 });
    expect(a).toMatchObject({ source: 'os.freemem()', bytes: 3n * GiB });
    expect(autoBudget({ percent: 50 }, { root, freemem: () => 1000 }).bytes).toBe(500n);
  });

  it('garbage in the files is ignored, not trusted', () => {
    const root = fakeRoot({
      'proc/self/cgroup': 'nonsense\n0::/\n',
      'proc/meminfo': 'MemAvailable: lots kB\n',
      'sys/fs/cgroup/memory.max': '-5\n',
    });
    expect(availableMemory({ root, freemem: () => 77 })).toMatchObject({ source: 'os.freemem()', bytes: 77n });
  });
});
