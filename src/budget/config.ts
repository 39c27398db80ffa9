import { UserError } from '../user-error.js';
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { configSchema, EXPECTED, type Config } from './schema.js';

/**
 * Config file discovery: from the working directory up to the filesystem root, the first
 * directory holding `imgguard.config.json`, `.imgguardrc.json`, or a package.json with an
 * `"imgguard"` key (in that order within a directory) wins. Discovery itself needs only a few
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

/** The nearest config from `cwd` upward, unvalidated; null when there is none. */
export function findConfig(cwd: string = process.cwd()): FoundConfig | null {
  let dir = resolve(cwd);
  for (let level = 0; level < MAX_LEVELS; level++) {
    for (const name of CONFIG_FILES) {
      const file = join(dir, name);
      if (isFile(file)) return { file, data: readJson(file) };
    }
    const pkg = join(dir, 'package.json');
    if (isFile(pkg)) {
      const data = readJson(pkg);
      if (data !== null && typeof data === 'object' && !Array.isArray(data) && Object.hasOwn(data, 'imgguard')) {
        return { file: pkg, key: 'imgguard', data: (data as Record<string, unknown>).imgguard };
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
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
