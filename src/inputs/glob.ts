import { UserError } from '../user-error.js';

/**
 * A small glob matcher (no dependency): `*` and `?` within one path segment, `**` as a whole
 * segment for any number of directories (zero included), `[abc]`, `[a-z]`, `[!a]` / `[^a]`
 * classes, and `{a,b}` alternatives (nesting allowed). A `\` escapes the next character.
 *
 * Braces within one name (`*.{jpg,png}`) become a regular-expression alternation. Braces whose
 * alternatives contain `/` (`data/{train/a,val}/*.jpg`) are expanded first into several
 * patterns, as a shell does (`expandBraces`, capped at MAX_EXPANSIONS against brace bombs).
 *
 * Patterns are expanded by walking from their literal prefix (`data/` in `data/**\/*.jpg`),
 * never from the current directory as a whole. The alternatives of one pattern are walked
 * together from the literal prefix they share (`globWalks`), so a file that two of them match
 * is found once and the order is the walk's; nothing needs remembering what was seen.
 */

export const GLOBSTAR = Symbol('**');
export type Segment = RegExp | typeof GLOBSTAR;

export interface CompiledGlob {
  /** The literal directory to walk from ('' for the current directory). */
  base: string;
  segments: Segment[];
}

const MAGIC = /[*?[{]/;

/** Whether `s` has any glob syntax (an unescaped `*`, `?`, `[` or `{`). */
export function hasMagic(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') i++;
    else if (MAGIC.test(c)) return true;
  }
  return false;
}

const unescapeGlob = (s: string): string => s.replace(/\\(.)/g, '$1');

/** Compiles `pattern`; with `maxBase`, at most that many leading names go into `base`. */
export function compileGlob(pattern: string, maxBase = Infinity): CompiledGlob {
  const parts = pattern.split('/');
  const k = literalCount(parts, maxBase);
  const literal = parts.slice(0, k).map(unescapeGlob);
  const base = k === 0 ? '' : literal.join('/') || '/';
  const segments: Segment[] = [];
  for (const part of parts.slice(k)) {
    if (part === '') continue; // `a//b` and a trailing slash
    if (part === '**') {
      if (segments[segments.length - 1] !== GLOBSTAR) segments.push(GLOBSTAR);
    } else segments.push(new RegExp(`^${segmentSource(part)}$`, 's'));
  }
  return { base, segments };
}

/** How many leading names of `parts` are literal (never the last one: that is what is matched). */
function literalCount(parts: readonly string[], max = Infinity): number {
  let k = 0;
  while (k < Math.min(max, parts.length - 1) && !hasMagic(parts[k]!)) k++;
  return k;
}

function segmentSource(part: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    if (c === '\\' && i + 1 < part.length) out += escapeRe(part[++i]!);
    else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = part.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        let body = part.slice(i + 1, end);
        const negate = body[0] === '!' || body[0] === '^';
        if (negate) body = body.slice(1);
        out += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
        i = end;
      }
    } else if (c === '{') {
      out += '(?:';
      depth++;
    } else if (c === ',' && depth > 0) out += '|';
    else if (c === '}' && depth > 0) {
      out += ')';
      depth--;
    } else out += escapeRe(c);
  }
  return out + ')'.repeat(depth);
}

const escapeRe = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Whether the relative path `segs` matches. With `partial`, whether some path below the
 * directory `segs` could still match (so the walk can skip directories that cannot).
 */
export function matchSegments(
  pattern: readonly Segment[],
  segs: readonly string[],
  partial: boolean,
  pi = 0,
  si = 0,
): boolean {
  while (pi < pattern.length) {
    const p = pattern[pi]!;
    if (p === GLOBSTAR) {
      if (partial) return true;
      for (let k = si; k <= segs.length; k++) if (matchSegments(pattern, segs, false, pi + 1, k)) return true;
      return false;
    }
    if (si >= segs.length) return partial;
    if (!p.test(segs[si]!)) return false;
    pi++;
    si++;
  }
  return !partial && si === segs.length;
}

/** Whether any pattern matches (see matchSegments). */
export function matchAny(
  patterns: readonly (readonly Segment[])[],
  segs: readonly string[],
  partial: boolean,
): boolean {
  for (const p of patterns) if (matchSegments(p, segs, partial)) return true;
  return false;
}

/** Most patterns one pattern may expand to: `{a/b,c}` written 30 times would be 2^30. */
export const MAX_EXPANSIONS = 1024;
/** Deepest nesting of braces containing `/` (the expansion recurses once per level). */
const MAX_NESTING = 32;

/** One walk of a pattern: from `base`, keeping the paths below it that match any of `patterns`. */
export interface GlobWalk {
  base: string;
  patterns: Segment[][];
}

/**
 * The walks that expand `pattern`. Its alternatives (after expandBraces) share one walk from
 * the longest literal directory they have in common, with paths matched relative to it. Those
 * whose literal prefixes a walk cannot reach from the others — an absolute path beside relative
 * ones, or a name starting with `.` (`.`, `..`, a hidden name: directory listings never yield
 * `.` and `..`, and hidden names are skipped) — get walks of their own, in order of appearance.
 */
export function globWalks(pattern: string, max = MAX_EXPANSIONS): GlobWalk[] {
  const groups = new Map<string, { lit: string[]; pattern: string }[]>();
  for (const alt of new Set(expandBraces(pattern, max))) {
    const parts = alt.split('/');
    const lit = parts.slice(0, literalCount(parts)).map(unescapeGlob);
    let anchor = lit.length;
    while (anchor > 0 && lit[anchor - 1] !== '' && !lit[anchor - 1]!.startsWith('.')) anchor--;
    const key = JSON.stringify(lit.slice(0, anchor));
    const group = groups.get(key) ?? groups.set(key, []).get(key)!;
    group.push({ lit, pattern: alt });
  }
  return [...groups.values()].map((members) => {
    const first = members[0]!.lit;
    let common = first.length;
    for (const { lit } of members) {
      let i = 0;
      while (i < common && i < lit.length && lit[i] === first[i]) i++;
      common = i;
    }
    const compiled = members.map((m) => compileGlob(m.pattern, common));
    return { base: compiled[0]!.base, patterns: compiled.map((c) => c.segments) };
  });
}

/**
 * Expands the `{…}` groups whose alternatives contain `/` into separate patterns, left to right
 * with the first alternative first, as a shell does; the other braces stay for the segment
 * matcher. Throws UserError past `max` patterns. An unclosed `{` is an ordinary character.
 */
export function expandBraces(pattern: string, max = MAX_EXPANSIONS): string[] {
  if (!pattern.includes('{') || !pattern.includes('/')) return [pattern];
  const close = closingBraces(pattern);
  const expand = (from: number, to: number, depth: number): string[] => {
    let out = [''];
    let literal = from;
    const append = (options: readonly string[]) => {
      if (out.length * options.length > max)
        throw new UserError(`${JSON.stringify(pattern)} expands to more than ${max} patterns`);
      out = out.flatMap((head) => options.map((o) => head + o));
    };
    for (let i = from; i < to; ) {
      const end = close.get(i);
      if (end === undefined || !pattern.slice(i, end).includes('/')) {
        i = skipToken(pattern, i, close);
        continue;
      }
      if (depth >= MAX_NESTING)
        throw new UserError(`${JSON.stringify(pattern)} nests braces containing / more than ${MAX_NESTING} deep`);
      append([pattern.slice(literal, i)]);
      const options: string[] = [];
      for (const [a, b] of splitTopLevel(pattern, i + 1, end, close)) {
        options.push(...expand(a, b, depth + 1));
        if (options.length > max)
          throw new UserError(`${JSON.stringify(pattern)} expands to more than ${max} patterns`);
      }
      append(options);
      i = literal = end + 1;
    }
    append([pattern.slice(literal, to)]);
    return out;
  };
  return expand(0, pattern.length, 0);
}

/**
 * Splits a list of patterns at the commas outside braces, classes and escapes
 * (`*.tmp,*.{bak,old}` is two patterns); empty items are dropped.
 */
export function splitPatterns(text: string): string[] {
  const close = closingBraces(text);
  return splitTopLevel(text, 0, text.length, close)
    .map(([a, b]) => text.slice(a, b).trim())
    .filter(Boolean);
}

/** The `[from, to)` ranges between the commas of `s` that are outside any brace pair. */
function splitTopLevel(s: string, from: number, to: number, close: ReadonlyMap<number, number>): [number, number][] {
  const ranges: [number, number][] = [];
  let start = from;
  for (let i = from; i < to; ) {
    if (s[i] === ',') {
      ranges.push([start, i]);
      start = ++i;
    } else i = skipToken(s, i, close);
  }
  ranges.push([start, to]);
  return ranges;
}

/** The index after the token at `i`: an escape, a `[…]` class, a closed `{…}` group or one character. */
function skipToken(s: string, i: number, close: ReadonlyMap<number, number>): number {
  const c = s[i];
  if (c === '\\') return i + 2;
  if (c === '[') {
    // As segmentSource reads a class: `]` at least two on, within the same name.
    const end = s.indexOf(']', i + 2);
    if (end > 0 && !s.slice(i, end).includes('/')) return end + 1;
  }
  const end = close.get(i);
  return end === undefined ? i + 1 : end + 1;
}

/** For every `{` that is closed, the index of its `}` (escapes and classes skipped). */
function closingBraces(s: string): Map<number, number> {
  const close = new Map<number, number>();
  const open: number[] = [];
  const none = new Map<number, number>();
  for (let i = 0; i < s.length; ) {
    if (s[i] === '{') open.push(i);
    else if (s[i] === '}' && open.length > 0) close.set(open.pop()!, i);
    i = s[i] === '{' || s[i] === '}' ? i + 1 : skipToken(s, i, none);
  }
  return close;
}
