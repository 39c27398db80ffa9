import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { MAX_SVG_REFERENCED } from '../rules.js';

/**
 * What sharp (librsvg) would do with an SVG beyond drawing it. Given a file path, librsvg
 * resolves `xi:include`, `<image href>`, `<use href>`, CSS `url()` and `@import` against the
 * file's folder; given the document's bytes with no base location, it resolves nothing outside
 * the document (only `data:` URLs). So the decoder always gets the bytes read here (inflated,
 * for an svgz), whatever the text says. The text is then only read, in one linear pass, for:
 * - a hint naming what reaches outside the document, so the refusal says why;
 * - the number of elements drawn through references (`<use>`, `url(#…)`), which librsvg
 *   expands at render time: ten levels of ten uses draw 10^10 shapes from a 2 KB file.
 */
export const SVG_SCAN_CAP = 16 * 1024 * 1024;

/** E_SVG_EXTERNAL: it reaches outside itself or is too large; E_SVG_REFERENCES: it draws too much again. */
export type SvgRefusalCode = 'E_SVG_EXTERNAL' | 'E_SVG_REFERENCES';
export type SvgForDecode = { bytes: Buffer; refusal: null } | { bytes: null; refusal: string; code: SvgRefusalCode };

/** The SVG bytes to hand the decoder, or why it must not get them. */
export function svgForDecode(path: string | Buffer, budget: bigint): SvgForDecode {
  const refuse = (refusal: string, code: SvgRefusalCode = 'E_SVG_EXTERNAL'): SvgForDecode => ({
    bytes: null,
    refusal,
    code,
  });
  let bytes = readCapped(path, SVG_SCAN_CAP);
  if (bytes === null)
    return refuse(
      `the SVG is larger than ${SVG_SCAN_CAP / 1048576} MiB: refused unread rather than handed to the decoder`,
    );
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const cap = Number(budget < BigInt(SVG_SCAN_CAP) ? budget : BigInt(SVG_SCAN_CAP));
    const tooLarge =
      `the svgz inflates to more than ${cap} bytes (the budget or the scan cap): ` + 'sharp would inflate it whole';
    try {
      bytes = gunzipSync(bytes, {
        maxOutputLength: cap + 1,
        finishFlush: 2 /* Z_SYNC_FLUSH: a cut stream still inflates */,
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return refuse(tooLarge);
      return refuse(`the svgz cannot be inflated: ${(e as Error).message}`);
    }
    if (bytes.length > cap) return refuse(tooLarge);
  }
  const scan = scanSvg(bytes.toString('latin1'));
  if (scan.external) return refuse(scan.external);
  const why = svgProblem(scan);
  return why === null ? { bytes, refusal: null } : refuse(why, 'E_SVG_REFERENCES');
}

/** Why this SVG must not be handed to sharp, or null when it is self-contained. */
export function svgRefusal(path: string | Buffer, budget: bigint): string | null {
  return svgForDecode(path, budget).refusal;
}

/** What is wrong with the document: a reference outside it, or too many drawn through references. */
export function svgProblem(text: string | Scan): string | null {
  const scan = typeof text === 'string' ? scanSvg(text) : text;
  if (scan.external) return scan.external;
  if (scan.cycle) return 'its references form a loop (an element draws itself)';
  if (scan.referenced > MAX_SVG_REFERENCED)
    return `it draws more than ${MAX_SVG_REFERENCED} elements through <use> and url(#…) references`;
  return null;
}

/** The first reference to something outside the document, described, or null. */
export function externalReference(text: string): string | null {
  return scanSvg(text).external;
}

/** How many elements the references of `text` draw (capped just past the bound). */
export function referencedElements(text: string): number {
  return scanSvg(text).referenced;
}

interface Scan {
  external: string | null;
  referenced: number;
  cycle: boolean;
}

/**
 * One pass over the markup (XML 1.0 section 2: comments, CDATA, processing instructions,
 * declarations, tags with quoted attributes). Every step moves forward with indexOf or a
 * bounded loop, so the time is linear in the text, whatever it holds.
 */
function scanSvg(text: string): Scan {
  let external: string | null = null;
  const note = (why: string) => {
    external ??= why;
  };
  const tree = new ElementTree();
  const stack: number[] = [];
  let styleDepth = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    if (styleDepth > 0 && lt > i) cssProblem(text.slice(i, lt), true, note);
    if (text.startsWith('<!--', lt)) {
      i = after(text, '-->', lt + 4);
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (styleDepth > 0) cssProblem(text.slice(lt + 9, end < 0 ? n : end), true, note);
      i = end < 0 ? n : end + 3;
    } else if (text.startsWith('<?', lt)) {
      const end = after(text, '?>', lt + 2);
      if (/^<\?xml-stylesheet\b/i.test(text.slice(lt, Math.min(end, lt + 20)))) note('it links an external stylesheet');
      i = end;
    } else if (text.startsWith('<!', lt)) {
      i = declarations(text, lt, note);
    } else if (text[lt + 1] === '/') {
      i = after(text, '>', lt + 2);
      const closed = stack.pop();
      if (closed !== undefined && tree.local[closed] === 'style') styleDepth--;
    } else {
      let end = lt + 1;
      while (end < n && !endsName(text.charCodeAt(end))) end++;
      const qname = text.slice(lt + 1, end);
      if (qname === '') {
        i = lt + 1; // a `<` that opens nothing
        continue;
      }
      const local = localName(qname);
      const parent = stack.length > 0 ? stack[stack.length - 1]! : -1;
      const node = tree.add(parent, local);
      if (local === 'include') note('it uses XInclude (xi:include), which librsvg follows to other files');
      const tag = readAttributes(text, end, (name, raw) => {
        const attr = localName(name);
        if (attr === 'id') tree.name(node, decodeReferences(raw).trim());
        else if (attr === 'href') {
          const ref = decodeReferences(raw).trim();
          if (ref.startsWith('#')) tree.refer(node, ref.slice(1));
          else if (local !== 'a' && !isInternal(ref)) note(`<${qname}> references ${JSON.stringify(ref.slice(0, 80))}`);
        } else if (raw.includes('(') || raw.includes('\\')) {
          for (const id of cssProblem(decodeReferences(raw), attr === 'style', note)) tree.refer(node, id);
        }
      });
      i = tag.end;
      if (!tag.selfClosing) {
        stack.push(node);
        if (local === 'style') styleDepth++;
      }
    }
  }
  if (styleDepth > 0 && i < n) cssProblem(text.slice(i), true, note);
  const { referenced, cycle } = tree.referenced(MAX_SVG_REFERENCED);
  return { external, referenced, cycle };
}

/** The index after the next `end` from `from`, or the text's end. */
function after(text: string, end: string, from: number): number {
  const at = text.indexOf(end, from);
  return at < 0 ? text.length : at + end.length;
}

const localName = (qname: string): string => qname.slice(qname.lastIndexOf(':') + 1).toLowerCase();

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
/** Space, tab, LF, CR (XML 1.0 production [3]). */
const isSpaceCode = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;
/** Where a name ends: space, `=`, `>`, `/`. */
const endsName = (c: number): boolean => isSpaceCode(c) || c === 61 || c === 62 || c === 47;

/**
 * The attributes of a start tag from just after its name, each handed to `attribute` (quoted
 * values may hold `>`); whether the tag closes itself, and the index after it.
 */
function readAttributes(
  text: string,
  from: number,
  attribute: (name: string, value: string) => void,
): { selfClosing: boolean; end: number } {
  const n = text.length;
  let i = from;
  while (i < n) {
    while (i < n && isSpaceCode(text.charCodeAt(i))) i++;
    const c = text.charCodeAt(i);
    if (c === 62 /* > */) return { selfClosing: false, end: i + 1 };
    if (c === 47 /* / */) {
      if (text.charCodeAt(i + 1) === 62) return { selfClosing: true, end: i + 2 };
      i++;
      continue;
    }
    const start = i;
    while (i < n && !endsName(text.charCodeAt(i))) i++;
    if (i === start) {
      i++; // a stray `=`
      continue;
    }
    const attr = text.slice(start, i);
    while (i < n && isSpaceCode(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== 61 /* = */) continue; // an attribute without a value
    i++;
    while (i < n && isSpaceCode(text.charCodeAt(i))) i++;
    const q = text.charCodeAt(i);
    if (q === 34 || q === 39) {
      const end = text.indexOf(text[i]!, i + 1);
      const stop = end < 0 ? n : end;
      attribute(attr, text.slice(i + 1, stop));
      i = stop + 1;
    } else {
      const valueStart = i;
      while (i < n && !isSpaceCode(text.charCodeAt(i)) && text.charCodeAt(i) !== 62) i++;
      attribute(attr, text.slice(valueStart, i));
    }
  }
  return { selfClosing: false, end: n };
}

/**
 * A `<!…>` declaration (DOCTYPE with its internal subset, or one on its own); notes external
 * entities and entities holding markup (their elements would escape the count). Returns the
 * index after it.
 */
function declarations(text: string, lt: number, note: (why: string) => void): number {
  const n = text.length;
  let i = lt + 2;
  let words: string[] = [];
  let word = '';
  const endWord = () => {
    if (word) words.push(word);
    word = '';
  };
  const endDeclaration = () => {
    endWord();
    const [kind, ...rest] = words;
    if (kind?.toUpperCase() === 'ENTITY') {
      const body = rest[0] === '%' ? rest.slice(2) : rest.slice(1);
      const keyword = body[0]?.toUpperCase();
      if (keyword === 'SYSTEM' || keyword === 'PUBLIC') note('it declares an external entity');
      else if (body[0]?.includes('<')) note('it declares an entity holding markup');
    }
    words = [];
  };
  let depth = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      const stop = end < 0 ? n : end;
      word += text.slice(i, stop);
      i = stop + 1;
    } else if (c === '[') {
      endDeclaration();
      depth++;
      i++;
    } else if (c === ']') {
      depth = Math.max(0, depth - 1);
      i++;
    } else if (depth > 0 && text.startsWith('<!--', i)) {
      i = after(text, '-->', i + 4);
    } else if (depth > 0 && text.startsWith('<!', i)) {
      endDeclaration();
      i += 2;
    } else if (c === '>') {
      endDeclaration();
      i++;
      if (depth === 0) return i;
    } else if (isSpace(c)) {
      endWord();
      i++;
    } else {
      word += c;
      i++;
    }
  }
  return n;
}

/** Character and predefined entity references of an attribute value (XML 1.0 section 4.1). */
function decodeReferences(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&#[xX]([0-9a-fA-F]{1,8});|&#([0-9]{1,10});|&(lt|gt|amp|quot|apos);/g, (m, hex, dec, name) => {
    if (name) return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[name]!;
    const code = hex ? Number.parseInt(hex, 16) : Number(dec);
    return code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

/** CSS escapes (`\72`, `\(`) resolved and comments removed (CSS Syntax 3, section 4.3.7). */
function plainCss(css: string): string {
  let out = '';
  let i = 0;
  for (let open = css.indexOf('/*'); open >= 0; open = css.indexOf('/*', i)) {
    out += css.slice(i, open);
    const close = css.indexOf('*/', open + 2);
    if (close < 0) return unescapeCss(out);
    i = close + 2;
  }
  return unescapeCss(out + css.slice(i));
}

function unescapeCss(css: string): string {
  if (!css.includes('\\')) return css;
  return css.replace(/\\([0-9a-fA-F]{1,6})[ \t\n]?|\\([^0-9a-fA-F\n])/g, (_, hex, c) => {
    if (c !== undefined) return c;
    const code = Number.parseInt(hex, 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
  });
}

/**
 * Notes `url()` of anything but a fragment or inline data, and (in a stylesheet) `@import`.
 * Returns the ids `url(#id)` names, which draw those elements again.
 */
function cssProblem(raw: string, stylesheet: boolean, note: (why: string) => void): string[] {
  const css = plainCss(raw);
  const lower = css.toLowerCase();
  if (stylesheet && lower.includes('@import')) note('its CSS uses @import');
  const ids: string[] = [];
  // A url( token runs to its closing quote or parenthesis; one left open runs to the end.
  for (let at = lower.indexOf('url('); at >= 0; ) {
    let i = at + 4;
    while (isSpace(css[i])) i++;
    const q = css[i];
    const quoted = q === '"' || q === "'";
    const end = quoted ? css.indexOf(q, i + 1) : css.indexOf(')', i);
    const ref = quoted ? css.slice(i + 1, end < 0 ? css.length : end) : css.slice(i, end < 0 ? css.length : end).trim();
    if (ref.startsWith('#')) ids.push(ref.slice(1));
    else if (!isInternal(ref)) note(`it references ${JSON.stringify(ref.slice(0, 80))} in url()`);
    if (end < 0) break;
    at = lower.indexOf('url(', end + 1);
  }
  return ids;
}

/** A fragment of this document or inline data: nothing is read from elsewhere. */
function isInternal(ref: string): boolean {
  const r = ref.trimStart();
  return r === '' || r.startsWith('#') || r.slice(0, 5).toLowerCase() === 'data:';
}

/** Elements in document order with their parent, id and the ids they draw again. */
class ElementTree {
  readonly parent: number[] = [];
  readonly local: string[] = [];
  readonly refs: (string[] | undefined)[] = [];
  readonly ids = new Map<string, number>();

  add(parent: number, local: string): number {
    this.parent.push(parent);
    this.local.push(local);
    this.refs.push(undefined);
    return this.parent.length - 1;
  }

  name(node: number, id: string): void {
    if (!this.ids.has(id)) this.ids.set(id, node);
  }

  refer(node: number, id: string): void {
    const refs = this.refs[node];
    if (refs) refs.push(id);
    else this.refs[node] = [id];
  }

  /**
   * Elements drawn through references: each reference draws its target's subtree, references
   * inside included. Counted bottom-up with memoised totals (linear); totals saturate at
   * `cap + 1` above the plain element count; a reference back into its own ancestry is a cycle.
   */
  referenced(cap: number): { referenced: number; cycle: boolean } {
    const count = this.parent.length;
    if (!this.refs.some((r) => r !== undefined)) return { referenced: 0, cycle: false };
    // Children as linked lists in document order.
    const firstChild = new Int32Array(count).fill(-1);
    const nextSibling = new Int32Array(count).fill(-1);
    for (let k = count - 1; k >= 0; k--) {
      const p = this.parent[k]!;
      if (p >= 0) {
        nextSibling[k] = firstChild[p]!;
        firstChild[p] = k;
      }
    }
    // Saturating past cap + count keeps `drawn - count` above the cap once it is.
    const limit = cap + 1 + count;
    // total[k]: elements k draws (itself, its subtree, and what its references draw).
    const total = new Float64Array(count);
    const state = new Uint8Array(count); // 0 new, 1 open (on the current path), 2 done
    let cycle = false;
    const targets = (k: number): number[] => {
      const out: number[] = [];
      for (const id of this.refs[k] ?? []) {
        const t = this.ids.get(id);
        // A gradient is a paint, not drawn elements: only what a reference draws again counts.
        if (t !== undefined && !this.local[t]!.endsWith('gradient')) out.push(t);
      }
      return out;
    };
    const stack: number[] = [];
    const push = (d: number) => {
      if (state[d] === 1) cycle = true;
      else if (state[d] === 0) stack.push(d);
    };
    let drawn = 0;
    for (let root = 0; root < count; root++) {
      if (this.parent[root] !== -1) continue;
      stack.push(root);
      while (stack.length > 0) {
        const k = stack[stack.length - 1]!;
        if (state[k] === 0) {
          state[k] = 1;
          for (let c = firstChild[k]!; c >= 0; c = nextSibling[c]!) push(c);
          if (this.refs[k]) for (const t of targets(k)) push(t);
          continue;
        }
        stack.pop();
        if (state[k] === 2) continue;
        let sum = 1;
        for (let c = firstChild[k]!; c >= 0; c = nextSibling[c]!) sum = Math.min(limit, sum + total[c]!);
        if (this.refs[k]) for (const t of targets(k)) sum = Math.min(limit, sum + (state[t] === 2 ? total[t]! : 0));
        total[k] = sum;
        state[k] = 2;
      }
      drawn = Math.min(limit, drawn + total[root]!);
    }
    return { referenced: Math.min(cap + 1, Math.max(0, drawn - count)), cycle };
  }
}

function readCapped(path: string | Buffer, cap: number): Buffer | null {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > cap) return null;
    const buf = Buffer.allocUnsafe(size);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, buf, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    return buf.subarray(0, at);
  } finally {
    closeSync(fd);
  }
}
