import { UserError } from '../user-error.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { configSchema, EXPECTED, type Config } from './schema.js';

/**
 * Config file discovery: from the working directory up, the first directory holding
 * `imgguard.config.json`, `.imgguardrc.json`, or a package.json with an `"imgguard"` key (in
 * that order within a directory) wins. A config can switch the guard off, so the walk stops at
 * the project's root (the first directory holding `.git` or `package.json`), at the home
 * directory and at the filesystem root; and a file owned by another user (root aside) or
 * writable by group or others is skipped, with the reason. Discovery itself needs only a few
 * stat calls per directory; zod is loaded only when a file is found (see schema.ts).
 */
export const CONFIG_FILES = ['imgguard.config.json', '.imgguardrc.json'] as const;

/** Most directories walked up (deeper trees are not real; this bounds the loop). */
const MAX_LEVELS = 256;
/** Config files are small; a bigger one is a mistake, not a config. */
const MAX_CONFIG_BYTES = 1 << 20;

export interface FoundConfig {
  file: string;
  /** 'imgguard' when the settings sit under that key of package.json. */
  key?: 'imgguard';
  data: unknown;
}

export interface LoadedConfig {
  file: string;
  key?: 'imgguard';
  config: Config;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function readJson(file: string): unknown {
  let text: string;
  try {
    if (statSync(file).size > MAX_CONFIG_BYTES)
      throw new UserError(`${file}: larger than ${MAX_CONFIG_BYTES} bytes, not a config file`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${file}: cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (e) {
    throw new UserError(`${file}: not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Reads one named config file (no discovery); for a package.json, its "imgguard" key. */
export function readConfigFile(file: string): FoundConfig {
  const path = resolve(file);
  if (!isFile(path)) throw new UserError(`${path}: no such config file`);
  const data = readJson(path);
  if (basename(path) === 'package.json') {
    const settings =
      data !== null && typeof data === 'object' && !Array.isArray(data)
        ? (data as Record<string, unknown>).imgguard
        : undefined;
    if (settings === undefined) throw new UserError(`${path}: imgguard: expected an object of settings, found nothing`);
    return { file: path, key: 'imgguard', data: settings };
  }
  return { file: path, data };
}

/** A config file discovery passed over, and why. */
export interface SkippedConfig {
  file: string;
  reason: string;
}

export interface Discovery {
  found: FoundConfig | null;
  skipped: SkippedConfig[];
  /** The last directory looked in, and why the walk stopped there. */
  stoppedAt: string;
  stopReason: string;
}

export interface DiscoveryOptions {
  /** The home directory (default os.homedir()). */
  home?: string;
  /** The user trusted besides root (default process.getuid()). */
  uid?: number;
}

/** Why a config file is not to be trusted, or null. */
function distrust(file: string, uid: number | undefined): string | null {
  const st = statSync(file);
  if (uid !== undefined && st.uid !== uid && st.uid !== 0) return `owned by another user (uid ${st.uid})`;
  if (st.mode & 0o022)
    return `writable by ${st.mode & 0o020 ? 'group' : 'others'} (mode ${(st.mode & 0o777).toString(8)})`;
  return null;
}

/** The nearest trusted config from `cwd` upward within the project, unvalidated, and what was skipped. */
export function discoverConfig(cwd: string = process.cwd(), options: DiscoveryOptions = {}): Discovery {
  const home = resolve(options.home ?? homedir());
  const uid = options.uid ?? process.getuid?.();
  const skipped: SkippedConfig[] = [];
  let dir = resolve(cwd);
  const done = (found: FoundConfig | null, stopReason: string): Discovery => ({
    found,
    skipped,
    stoppedAt: dir,
    stopReason,
  });
  for (let level = 0; level < MAX_LEVELS; level++) {
    const candidates: { file: string; pkg: boolean }[] = [
      ...CONFIG_FILES.map((name) => ({ file: join(dir, name), pkg: false })),
      { file: join(dir, 'package.json'), pkg: true },
    ];
    for (const { file, pkg } of candidates) {
      if (!isFile(file)) continue;
      const data = pkg ? readJson(file) : null;
      if (
        pkg &&
        !(data !== null && typeof data === 'object' && !Array.isArray(data) && Object.hasOwn(data, 'imgguard'))
      )
        continue;
      const why = distrust(file, uid);
      if (why) {
        skipped.push({ file, reason: why });
        continue;
      }
      if (!pkg) return done({ file, data: readJson(file) }, 'a config file was found');
      return done(
        { file, key: 'imgguard', data: (data as Record<string, unknown>).imgguard },
        'a config file was found',
      );
    }
    for (const marker of ['.git', 'package.json']) {
      if (existsSync(join(dir, marker))) return done(null, `the project root (it holds ${marker})`);
    }
    if (dir === home) return done(null, 'the home directory');
    const parent = dirname(dir);
    if (parent === dir) return done(null, 'the filesystem root');
    dir = parent;
  }
  return done(null, `${MAX_LEVELS} levels up`);
}

/** The nearest trusted config from `cwd` upward within the project, unvalidated; null when there is none. */
export function findConfig(cwd: string = process.cwd(), options: DiscoveryOptions = {}): FoundConfig | null {
  return discoverConfig(cwd, options).found;
}

/** A value as an error message shows it: JSON, shortened. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function fieldPath(prefix: string | undefined, path: readonly PropertyKey[]): string {
  let out = prefix ?? '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(top level)' : out;
}

/**
 * Validates a found config with zod, which configSchema() loads now (only a config file that
 * exists pays for zod). Throws one UserError line for the first problem: file, field path,
 * what was expected, what was found.
 */
export function validateConfig(found: FoundConfig): LoadedConfig {
  const result = configSchema().safeParse(found.data);
  if (result.success) return { file: found.file, ...(found.key ? { key: found.key } : {}), config: result.data };
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const where = fieldPath(found.key, [...issue.path, key]);
    throw new UserError(
      `${found.file}: ${where}: expected one of the settings ${Object.keys(EXPECTED)
        .filter((k) => k !== 'root')
        .join(', ')}, found an unknown setting`,
    );
  }
  const where = fieldPath(found.key, issue.path);
  const top = issue.path[0];
  const expected =
    typeof top === 'string' && top in EXPECTED
      ? EXPECTED[top as keyof typeof EXPECTED]
      : issue.path.length === 0
        ? EXPECTED.root
        : issue.message;
  // Inside an array (ignore[2], failOn[0]) the element is what was wrong.
  throw new UserError(
    `${found.file}: ${where}: expected ${expected}, found ${describeValue(valueAt(found.data, issue.path))}`,
  );
}
