import { UserError } from '../user-error.js';
import { closeSync, openSync } from 'node:fs';
import { readWaiting } from '../probe/pipe.js';
import type { InputEntry } from './walk.js';
import { normalizeRel } from './walk.js';
import { displayName, utf8Exact } from './names.js';
import { compileIgnore, isIgnoredPath } from './ignore.js';

export interface ListOptions {
  /** Records end with NUL (`find -print0`) rather than a newline. */
  nul?: boolean | undefined;
  /** Only names ending in one of these extensions (lowercase, no dot). */
  ext?: readonly string[] | undefined;
  /**
   * Skip paths that match these patterns (src/inputs/ignore.ts), matched against the path as
   * listed (without a leading `./`): a name pattern against every name in it, an anchored
   * pattern from its start.
   */
  ignore?: readonly string[] | undefined;
  /**
   * Called before each read that may wait for the writer: the caller flushes the results of
   * what was read so far, so a list written one path at a time gets each answer at once.
   */
  beforeRead?: (() => void) | undefined;
}

/** Longest record accepted, so a list without separators cannot grow memory without bound. */
const MAX_RECORD = 64 * 1024;

/**
 * Reads paths from a file or `-` (standard input), one per line or NUL-separated, as a stream:
 * one chunk in memory at a time. Empty records are skipped; with newlines a line may end in CRLF
 * (a list written on Windows): the `\r` is dropped (use -0 for a name that ends in one). Names
 * that are not valid UTF-8 are opened by their bytes and shown with `\xNN` escapes.
 */
export function* readPathList(file: string, options: ListOptions = {}): Generator<InputEntry> {
  const sep = options.nul ? 0 : 0x0a;
  const ext =
    options.ext && options.ext.length > 0 ? options.ext.map((e) => `.${e.toLowerCase().replace(/^\./, '')}`) : null;
  const ignore = compileIgnore(options.ignore);
  for (let record of readRecords(file, sep, MAX_RECORD, 'a path in the list', options.beforeRead)) {
    if (sep === 0x0a && record[record.length - 1] === 0x0d) record = record.subarray(0, -1);
    if (record.length === 0) continue;
    const exact = utf8Exact(record);
    const path = exact ?? displayName(record);
    if (ext) {
      const lower = path.toLowerCase();
      if (!ext.some((e) => lower.endsWith(e))) continue;
    }
    const entry: InputEntry = { path, explicit: false, listed: true, rel: normalizeRel(path) };
    if (ignore && isIgnoredPath(ignore, entry.rel!)) continue;
    if (exact === null) entry.fsPath = Buffer.from(record);
    yield entry;
  }
}

/**
 * The records of a file (or `-`, standard input) split at `sep`, streamed one chunk at a time;
 * empty records are skipped. A record longer than `maxRecord` bytes is a UserError.
 */
export function* readRecords(
  file: string,
  sep: number,
  maxRecord = MAX_RECORD,
  what = 'a path in the list',
  beforeRead?: () => void,
): Generator<Buffer> {
  let fd = 0;
  if (file !== '-') {
    try {
      fd = openSync(file, 'r');
    } catch (e) {
      throw new UserError(`--files-from ${JSON.stringify(file)}: ${(e as Error).message}`);
    }
  }
  const chunk = Buffer.allocUnsafe(65536);
  let pending: Buffer = Buffer.alloc(0);
  try {
    for (;;) {
      beforeRead?.();
      // Standard input may not be ready yet: wait for the writer.
      const n = readWaiting(fd, chunk);
      if (n <= 0) break;
      let data = pending.length ? Buffer.concat([pending, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let at = data.indexOf(sep, start); at >= 0; at = data.indexOf(sep, start)) {
        if (at > start) yield Buffer.from(data.subarray(start, at));
        start = at + 1;
      }
      data = data.subarray(start);
      if (data.length > maxRecord)
        throw new UserError(
          `${what} is longer than ${maxRecord} bytes${sep === 0 ? '' : ' (is the list NUL-separated? use -0)'}`,
        );
      pending = Buffer.from(data);
    }
    if (pending.length) yield pending;
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}
