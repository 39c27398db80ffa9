import { readdirSync, statSync, type Dirent } from 'node:fs';
import { ioFailure } from '../probe/open.js';
import type { ProbeFailure } from '../probe/failure.js';

/** One path to check, as the walk found it. */
export interface InputEntry {
  path: string;
  /** Named by the user rather than found in a directory. */
  explicit: boolean;
  /** Why this entry cannot be checked, found while walking (e.g. an unreadable directory). */
  failure?: ProbeFailure;
}

/** Byte-order comparison of names: stable across locales and machines. */
export const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/**
 * Expands files and directories into entries, depth-first in sorted order. Directories are
 * read one at a time, so memory holds one listing per level, never the whole tree.
 * Symbolic links found inside directories are not followed.
 */
export function* walkInputs(inputs: Iterable<string>): Generator<InputEntry> {
  for (const input of inputs) {
    let isDir = false;
    try {
      isDir = statSync(input).isDirectory();
    } catch {
      // Reported by the check itself when it fails to open the path.
    }
    if (isDir) yield* walkDirectory(input);
    else yield { path: input, explicit: true };
  }
}

function* walkDirectory(dir: string): Generator<InputEntry> {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    yield { path: dir, explicit: false, failure: ioFailure(e, dir) };
    return;
  }
  entries.sort((a, b) => byName(a.name, b.name));
  for (const entry of entries) {
    const path = joinPath(dir, entry.name);
    if (entry.isDirectory()) yield* walkDirectory(path);
    else if (!entry.isSymbolicLink()) yield { path, explicit: false };
  }
}
