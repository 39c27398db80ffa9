/**
 * A small glob matcher (no dependency): `*` and `?` within one path segment, `**` as a whole
 * segment for any number of directories (zero included), `[abc]`, `[a-z]`, `[!a]` / `[^a]`
 * classes, and `{a,b}` alternatives (nesting allowed; an alternative may not contain `/`).
 * A `\` escapes the next character. Patterns are expanded by walking from their literal
 * prefix (`data/` in `data/**\/*.jpg`), never from the current directory as a whole.
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

const unescape = (s: string): string => s.replace(/\\(.)/g, '$1');

export function compileGlob(pattern: string): CompiledGlob {
  const parts = pattern.split('/');
  let k = 0;
  while (k < parts.length - 1 && !hasMagic(parts[k]!)) k++;
  const literal = parts.slice(0, k).map(unescape);
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
export function matchSegments(pattern: readonly Segment[], segs: readonly string[], partial: boolean, pi = 0, si = 0): boolean {
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
