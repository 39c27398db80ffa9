import { UserError } from '../user-error.js';
import { compileGlob, expandBraces, matchSegments, type Segment } from './glob.js';

/**
 * Ignore patterns (the `ignore` setting and `--ignore`), gitignore-like, matched with the glob
 * matcher against a path relative to the input it was found under (the `rel` that --shard
 * hashes): below the directory given, or below a glob's literal prefix.
 * - A pattern without `/` matches a name at any depth: `thumbs`, `*.tmp`.
 * - A pattern with `/` is anchored to that root: `raw/*.png`, `/cache` (a leading `/` only
 *   anchors). `**` spans directories: `**\/thumbs/*.png`, `data/**`.
 * - A trailing `/` matches directories only: `cache/`.
 * - Braces containing `/` are expanded first; each alternative is then a pattern of its own.
 * A matching directory is not descended into, so nothing below it is read.
 */
export interface IgnoreRule {
  segments: Segment[];
  dirOnly: boolean;
}

/** Compiles the patterns once; null when there are none, so the walk does no work per entry. */
export function compileIgnore(patterns: readonly string[] | undefined): IgnoreRule[] | null {
  const rules: IgnoreRule[] = [];
  for (const pattern of patterns ?? []) {
    // gitignore's `!` re-includes; silently taking it as a literal `!` would ignore nothing.
    if (pattern.startsWith('!'))
      throw new UserError(
        `${JSON.stringify(pattern)}: "!" (re-including) is not supported; write \\! for a name starting with !`,
      );
    for (const alt of expandBraces(pattern)) {
      const dirOnly = alt.endsWith('/');
      const body = alt.replace(/\/+$/, '');
      if (body.replace(/^\/+/, '') === '') continue; // `/` alone names nothing below the root
      const anchored = body.includes('/');
      rules.push({ segments: compileGlob(anchored ? body : `**/${body}`, 0).segments, dirOnly });
    }
  }
  return rules.length > 0 ? rules : null;
}

/** Whether the path `segs` (relative to its input), a directory when `isDir`, is ignored. */
export function isIgnored(rules: readonly IgnoreRule[], segs: readonly string[], isDir: boolean): boolean {
  for (const r of rules) {
    if (r.dirOnly && !isDir) continue;
    if (matchSegments(r.segments, segs, false)) return true;
  }
  return false;
}

/**
 * Whether a listed file (a path not found by a walk, e.g. from --files-from) is ignored: itself
 * or any directory on its path, as if the walk had reached it from the path's start.
 */
export function isIgnoredPath(rules: readonly IgnoreRule[], rel: string): boolean {
  const segs = rel.split('/').filter((s, i) => s !== '' || i === 0);
  for (let n = 1; n <= segs.length; n++) if (isIgnored(rules, segs.slice(0, n), n < segs.length)) return true;
  return false;
}
