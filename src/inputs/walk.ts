import { lstatSync, readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import { ioFailure, ProbeFailure } from '../probe/failure.js';
import { globWalks, hasMagic, matchAny, type GlobWalk } from './glob.js';
import { compileIgnore, isIgnored, type IgnoreRule } from './ignore.js';
import { displayName, utf8Exact } from './names.js';
import { fsPathOf } from './argv.js';

/** One path to check, as the walk found it. */
export interface InputEntry {
  /** The path shown in results: as given, or joined under the directory given. */
  path: string;
  /** The real bytes of the path, when they are not valid UTF-8 (then `path` shows `\xNN`). */
  fsPath?: Buffer;
  /** Named by the user on the command line rather than found in a directory or a list. */
  explicit: boolean;
  /** Why this entry cannot be checked, found while walking (e.g. an unreadable directory). */
  failure?: ProbeFailure;
  /** The path relative to the input it came from (what `--shard` hashes); default `path`. */
  rel?: string;
  /** Came from `--files-from`: a directory there is skipped, not reported. */
  listed?: boolean;
  /** The walk saw a regular file (its directory entry's type): no fstat is needed to tell. */
  regular?: boolean;
}

export interface WalkOptions {
  /** Only names ending in one of these extensions (lowercase, no dot); explicit files are kept. */
  ext?: readonly string[] | undefined;
  /** Also walk names starting with a dot. */
  hidden?: boolean | undefined;
  /** Follow symbolic links found in directories (loops are detected and reported). */
  follow?: boolean | undefined;
  /** Skip paths found in walks and globs that match these patterns (src/inputs/ignore.ts); explicit files are kept. */
  ignore?: readonly string[] | undefined;
}

/** Byte-order comparison of names: stable across locales and machines. */
export const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function joinPath(dir: string, name: string): string {
  if (dir === '') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** A directory or file path: its display string and, when not UTF-8, its bytes. */
interface Where {
  path: string;
  fs: string | Buffer;
  /** The path below the input root, `/`-joined. */
  rel: string;
  /** The last name. */
  name: string;
  /** `rel` split into names; kept only while matching a glob or ignore patterns. */
  segs: string[] | null;
}

interface Ctx {
  opts: WalkOptions;
  ext: string[] | null;
  glob: GlobWalk | null;
  ignore: IgnoreRule[] | null;
  /** dev:ino of the directories on the current path, when following links. */
  ancestors: Set<string> | null;
}

/**
 * Expands files, directories and glob patterns into entries, depth-first in sorted order.
 * Directories are read one at a time, so memory holds one listing per level, never the tree.
 * Throws UserError for an ignore pattern or a glob whose braces expand too far.
 */
export function* walkInputs(inputs: Iterable<string>, options: WalkOptions = {}): Generator<InputEntry> {
  const ext =
    options.ext && options.ext.length > 0 ? options.ext.map((e) => `.${e.toLowerCase().replace(/^\./, '')}`) : null;
  const ignore = compileIgnore(options.ignore);
  for (const input of inputs) {
    // An argument that was not UTF-8 is opened by its raw bytes (src/inputs/argv.ts).
    const fs = fsPathOf(input);
    let stat: Stats | undefined;
    try {
      stat = statSync(fs);
    } catch {
      // Missing: a glob pattern, or reported by the check itself when it fails to open the path.
    }
    const ctx: Ctx = { opts: options, ext, glob: null, ignore, ancestors: options.follow ? new Set() : null };
    if (stat?.isDirectory()) {
      if (ctx.ancestors) ctx.ancestors.add(`${stat.dev}:${stat.ino}`);
      yield* walkDirectory({ path: input, fs, rel: '', name: '', segs: ignore ? [] : null }, ctx);
    } else if (!stat && typeof fs === 'string' && hasMagic(input)) {
      yield* expandGlob(input, ctx);
    } else {
      const entry: InputEntry = { path: input, explicit: true, rel: normalizeRel(input) };
      if (typeof fs !== 'string') entry.fsPath = fs;
      yield entry;
    }
  }
}

function* expandGlob(pattern: string, ctx: Ctx): Generator<InputEntry> {
  let found = false;
  for (const glob of globWalks(pattern)) {
    let stat: Stats | undefined;
    try {
      stat = statSync(glob.base === '' ? '.' : glob.base);
    } catch {
      // no base: nothing matches
    }
    if (!stat?.isDirectory()) continue;
    const ancestors = ctx.ancestors && new Set([`${stat.dev}:${stat.ino}`]);
    for (const entry of walkDirectory(
      { path: glob.base, fs: glob.base || '.', rel: '', name: '', segs: [] },
      { ...ctx, glob, ancestors },
    )) {
      found = true;
      yield entry;
    }
  }
  if (!found)
    yield { path: pattern, explicit: true, failure: new ProbeFailure('E_NOT_FOUND', 'no file matches this pattern') };
}

function* walkDirectory(dir: Where, ctx: Ctx): Generator<InputEntry> {
  let names: { name: string; bytes?: Buffer; dirent: Dirent }[];
  try {
    names = listDirectory(dir.fs);
  } catch (e) {
    yield { path: dir.path, explicit: false, failure: ioFailure(e, dir.path), rel: dir.rel };
    return;
  }
  for (const { name, bytes, dirent } of names) {
    if (!ctx.opts.hidden && name.startsWith('.')) continue;
    const here: Where = {
      path: joinPath(dir.path, name),
      fs: bytes || typeof dir.fs !== 'string' ? joinBytes(dir.fs, bytes ?? Buffer.from(name)) : joinPath(dir.fs, name),
      rel: dir.rel === '' ? name : `${dir.rel}/${name}`,
      name,
      segs: dir.segs ? [...dir.segs, name] : null,
    };
    let isDir = dirent.isDirectory();
    let isFile = dirent.isFile();
    let key: string | null = null;
    if (dirent.isSymbolicLink()) {
      if (!ctx.ancestors) continue; // links are not followed without --follow
      let target: Stats;
      try {
        target = statSync(here.fs);
      } catch (e) {
        if (wanted(here, ctx)) yield entryOf(here, ioFailure(e, here.path));
        continue;
      }
      isDir = target.isDirectory();
      isFile = target.isFile();
      key = `${target.dev}:${target.ino}`;
    }
    if (isDir) {
      if (ctx.glob && !matchAny(ctx.glob.patterns, here.segs!, true)) continue;
      // An ignored directory is not read at all.
      if (ctx.ignore && isIgnored(ctx.ignore, here.segs!, true)) continue;
      if (ctx.ancestors) {
        if (key === null) {
          try {
            const s = lstatSync(here.fs);
            key = `${s.dev}:${s.ino}`;
          } catch {
            // reported when the directory is read
          }
        }
        if (key !== null && ctx.ancestors.has(key)) {
          yield entryOf(
            here,
            new ProbeFailure('E_SYMLINK_LOOP', 'a symbolic link back to a directory above it (a loop); not followed'),
          );
          continue;
        }
        if (key !== null) ctx.ancestors.add(key);
      }
      try {
        yield* walkDirectory(here, ctx);
      } finally {
        if (key !== null) ctx.ancestors?.delete(key);
      }
      continue;
    }
    if (!wanted(here, ctx)) continue;
    // FIFOs, sockets and devices are reported without being opened, so nothing can block.
    if (!isFile)
      yield entryOf(here, new ProbeFailure('E_NOT_REGULAR', `is ${kindOf(dirent)}; skipped without reading`));
    else yield entryOf(here, undefined, true);
  }
}

function wanted(here: Where, ctx: Ctx): boolean {
  if (ctx.glob && !matchAny(ctx.glob.patterns, here.segs!, false)) return false;
  if (ctx.ext) {
    const lower = here.name.toLowerCase();
    if (!ctx.ext.some((e) => lower.endsWith(e))) return false;
  }
  return !(ctx.ignore && isIgnored(ctx.ignore, here.segs!, false));
}

function entryOf(here: Where, failure?: ProbeFailure, regular = false): InputEntry {
  const entry: InputEntry = { path: here.path, explicit: false, rel: here.rel, regular };
  if (typeof here.fs !== 'string') entry.fsPath = here.fs;
  if (failure) entry.failure = failure;
  return entry;
}

function kindOf(d: Dirent): string {
  if (d.isFIFO()) return 'a FIFO (named pipe)';
  if (d.isSocket()) return 'a socket';
  if (d.isCharacterDevice()) return 'a character device';
  if (d.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/**
 * One directory's entries in byte order of their names. Names that are not valid UTF-8 come
 * back from a second read as bytes (only for the directories that have such names).
 */
function listDirectory(fs: string | Buffer): { name: string; bytes?: Buffer; dirent: Dirent }[] {
  const dirents = readdirSync(fs, { withFileTypes: true });
  if (!dirents.some((d) => d.name.includes('\uFFFD'))) {
    dirents.sort((a, b) => byName(a.name, b.name));
    return dirents.map((dirent) => ({ name: dirent.name, dirent }));
  }
  const raw = readdirSync(fs, { withFileTypes: true, encoding: 'buffer' }) as unknown as (Dirent & { name: Buffer })[];
  raw.sort((a, b) => Buffer.compare(a.name, b.name));
  return raw.map((dirent) => {
    const exact = utf8Exact(dirent.name);
    return exact !== null
      ? { name: exact, dirent: dirent as unknown as Dirent }
      : { name: displayName(dirent.name), bytes: dirent.name, dirent: dirent as unknown as Dirent };
  });
}

function joinBytes(dir: string | Buffer, name: Buffer): Buffer {
  const d = typeof dir === 'string' ? Buffer.from(dir) : dir;
  if (d.length === 0) return name;
  return d[d.length - 1] === 0x2f ? Buffer.concat([d, name]) : Buffer.concat([d, Buffer.from('/'), name]);
}

/** `./a/b` and `a//b` hash like `a/b`. */
export function normalizeRel(path: string): string {
  return path.replace(/\/{2,}/g, '/').replace(/^(\.\/)+/, '');
}
