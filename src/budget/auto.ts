import { AUTO_PERCENT } from '../rules.js';
import { UserError } from '../user-error.js';
import { parseSize } from './size.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lazyRequire } from '../require.js';

/**
 * `--budget auto` / `auto:60%`: a fraction of the memory this process can really still use.
 *
 * The available memory is the lowest of
 * - every cgroup limit on the way from this process's cgroup up to the root, minus that cgroup's
 *   current usage (cgroup v2: `memory.max` / `memory.current`, kernel
 *   Documentation/admin-guide/cgroup-v2.rst "Memory Interface Files"; cgroup v1:
 *   `memory.limit_in_bytes` / `memory.usage_in_bytes`, Documentation/admin-guide/cgroup-v1/memory.rst);
 *   a limit of `max` (v2) or a v1 limit near 2^63 means "no limit";
 * - the host's `MemAvailable` from /proc/meminfo (proc(5): an estimate of the memory available for
 *   starting new applications without swapping);
 * and, when none of these files exist (macOS, Windows), `os.freemem()`.
 */

export const DEFAULT_AUTO_PERCENT = 50;

export interface AutoSpec {
  /** Percentage of the available memory, 0 < p <= 100. */
  percent: number;
}

/** `auto` → 50%, `auto:60%` (or `auto:60`) → 60%; anything else → null (not an auto spec). */
export function parseAutoSpec(text: string): AutoSpec | null {
  const m = /^\s*auto(?::\s*(\d+(?:\.\d+)?)\s*%?)?\s*$/i.exec(text);
  if (!m) return null;
  return { percent: m[1] === undefined ? DEFAULT_AUTO_PERCENT : Number(m[1]) };
}

/** True when the text starts like an auto spec (so a bad percentage gets its own message). */
export function looksLikeAuto(text: string): boolean {
  return /^\s*auto\b/i.test(text);
}

/** Whether an auto spec's share is within AUTO_PERCENT. */
export function autoPercentOk(spec: AutoSpec): boolean {
  return spec.percent > AUTO_PERCENT.above && spec.percent <= AUTO_PERCENT.max;
}

/** Parses and checks an auto spec; throws a UserError when the percentage is out of range. */
export function autoSpecOrThrow(text: string): AutoSpec {
  const spec = parseAutoSpec(text);
  if (!spec || !autoPercentOk(spec))
    throw new UserError(
      `invalid budget ${JSON.stringify(text)}: expected auto or auto:P% with ` +
        `${AUTO_PERCENT.above} < P <= ${AUTO_PERCENT.max} (e.g. auto:60%)`,
    );
  return spec;
}

export interface MemoryProbeOptions {
  /** Filesystem root under which /proc and /sys/fs/cgroup are read (tests pass a temp dir). */
  root?: string;
  /** Stand-in for os.freemem() (tests). */
  freemem?: () => number;
}

export interface CgroupLimit {
  version: 1 | 2;
  /** Directory whose limit binds (the lowest headroom on the way to the root). */
  dir: string;
  limit: bigint;
  usage: bigint;
}

export interface AvailableMemory {
  /** Bytes the process can still use. */
  bytes: bigint;
  /** Which source gave the lowest value: 'cgroup v2', 'cgroup v1', 'MemAvailable', 'os.freemem()'. */
  source: 'cgroup v2' | 'cgroup v1' | 'MemAvailable' | 'os.freemem()';
  cgroup: CgroupLimit | null;
  memAvailable: bigint | null;
  /** One line in words, for `imgguard budget`. */
  detail: string;
}

/** v1 reports "no limit" as a page-rounded 2^63 - 1; anything at or above 2^62 is no limit. */
const V1_UNLIMITED = 1n << 62n;
/** Deepest cgroup path walked (real ones have a handful of levels). */
const MAX_DEPTH = 64;

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function readBigint(path: string): bigint | 'max' | null {
  const text = readText(path);
  if (text === null) return null;
  const t = text.trim();
  if (t === 'max') return 'max';
  return /^\d{1,20}$/.test(t) ? BigInt(t) : null;
}

/** MemAvailable from /proc/meminfo, in bytes; null when absent. */
export function readMemAvailable(root = '/'): bigint | null {
  const text = readText(join(root, 'proc/meminfo'));
  if (text === null) return null;
  const m = /^MemAvailable:\s*(\d{1,20})\s*kB\s*$/m.exec(text);
  return m ? BigInt(m[1]!) * 1024n : null;
}

interface CgroupPaths {
  v2: string | null;
  v1memory: string | null;
}

/** This process's cgroup paths from /proc/self/cgroup (cgroups(7)): `0::/path` for v2, `N:memory:/path` for v1. */
function readCgroupPaths(root: string): CgroupPaths {
  const text = readText(join(root, 'proc/self/cgroup'));
  const paths: CgroupPaths = { v2: null, v1memory: null };
  if (text === null) return paths;
  for (const line of text.split('\n').slice(0, 256)) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === '0' && m[2] === '') paths.v2 = m[3]!;
    else if (m[2]!.split(',').includes('memory')) paths.v1memory = m[3]!;
  }
  return paths;
}

/**
 * Directories from the process's own cgroup up to the mount root. When the cgroup path does not
 * exist under the mount (a container with its own cgroup namespace mounts its cgroup as the
 * root), the mount root alone is used.
 */
function cgroupDirs(mount: string, path: string): string[] {
  const parts = path
    .split('/')
    .filter((p) => p !== '' && p !== '.' && p !== '..')
    .slice(0, MAX_DEPTH);
  const dirs: string[] = [];
  for (let n = parts.length; n >= 0; n--) dirs.push(join(mount, ...parts.slice(0, n)));
  return dirs;
}

function tightest(version: 1 | 2, dirs: string[], limitFile: string, usageFile: string): CgroupLimit | null {
  let best: CgroupLimit | null = null;
  for (const dir of dirs) {
    const limit = readBigint(join(dir, limitFile));
    if (limit === null || limit === 'max') continue;
    if (version === 1 && limit >= V1_UNLIMITED) continue;
    const usage = readBigint(join(dir, usageFile));
    const used = typeof usage === 'bigint' ? usage : 0n;
    const headroom = limit > used ? limit - used : 0n;
    if (!best || headroom < headroomOf(best)) {
      best = { version, dir, limit, usage: used };
    }
  }
  return best;
}

/** The binding cgroup memory limit, v2 first (unified hierarchy), then v1; null when none. */
export function readCgroupLimit(root = '/'): CgroupLimit | null {
  const paths = readCgroupPaths(root);
  const base = join(root, 'sys/fs/cgroup');
  const found: CgroupLimit[] = [];
  if (paths.v2 !== null) {
    // Pure v2 mounts at /sys/fs/cgroup; hybrid systems mount it at /sys/fs/cgroup/unified.
    for (const mount of [base, join(base, 'unified')]) {
      const hit = tightest(2, cgroupDirs(mount, paths.v2), 'memory.max', 'memory.current');
      if (hit) found.push(hit);
    }
  }
  if (paths.v1memory !== null) {
    const hit = tightest(
      1,
      cgroupDirs(join(base, 'memory'), paths.v1memory),
      'memory.limit_in_bytes',
      'memory.usage_in_bytes',
    );
    if (hit) found.push(hit);
  }
  let best: CgroupLimit | null = null;
  for (const c of found) if (!best || headroomOf(c) < headroomOf(best)) best = c;
  return best;
}

function headroomOf(c: CgroupLimit): bigint {
  return c.limit > c.usage ? c.limit - c.usage : 0n;
}

/** The memory this process can still use, and where that figure came from. */
export function availableMemory(options: MemoryProbeOptions = {}): AvailableMemory {
  const root = options.root ?? '/';
  const cgroup = readCgroupLimit(root);
  const memAvailable = readMemAvailable(root);
  if (cgroup && (memAvailable === null || headroomOf(cgroup) <= memAvailable)) {
    const limitFile = cgroup.version === 2 ? 'memory.max' : 'memory.limit_in_bytes';
    const usageFile = cgroup.version === 2 ? 'memory.current' : 'memory.usage_in_bytes';
    return {
      bytes: headroomOf(cgroup),
      source: cgroup.version === 2 ? 'cgroup v2' : 'cgroup v1',
      cgroup,
      memAvailable,
      detail: `cgroup v${cgroup.version} ${limitFile} ${cgroup.limit} - ${usageFile} ${cgroup.usage} in ${cgroup.dir}`,
    };
  }
  if (memAvailable !== null) {
    return {
      bytes: memAvailable,
      source: 'MemAvailable',
      cgroup,
      memAvailable,
      detail:
        `MemAvailable in ` +
        `${join(root, 'proc/meminfo')}${cgroup ? ` (below the cgroup headroom in ${cgroup.dir})` : ''}`,
    };
  }
  const freemem = options.freemem ?? (lazyRequire('node:os') as typeof import('node:os')).freemem;
  const free = BigInt(Math.max(0, Math.floor(freemem())));
  return {
    bytes: free,
    source: 'os.freemem()',
    cgroup: null,
    memAvailable: null,
    detail: 'os.freemem() (no cgroup limit or /proc/meminfo found)',
  };
}

/**
 * A budget as users write it: a size ("512MB", "2GiB", a byte count) or "auto" / "auto:P%" (that
 * share of the memory this process can still use, read now). Throws a UserError otherwise.
 */
export function parseBudget(text: string, options: MemoryProbeOptions = {}): bigint {
  return looksLikeAuto(text) ? autoBudget(autoSpecOrThrow(text), options).bytes : parseSize(text);
}

/** The budget `auto:P%` stands for: floor(available × P / 100). */
export function autoBudget(
  spec: AutoSpec,
  options: MemoryProbeOptions = {},
): { bytes: bigint; available: AvailableMemory } {
  const available = availableMemory(options);
  // Percent with up to 4 decimals, in exact integer math.
  const scaled = BigInt(Math.round(spec.percent * 10000));
  return { bytes: (available.bytes * scaled) / 1_000_000n, available };
}
