import { fail, ProbeFailure } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { lazyRequire } from '../../require.js';

/**
 * SVG and gzip-compressed SVG (svgz), as librsvg sizes them for libvips' svgload at sharp's
 * default density of 72 DPI.
 *
 * Follows SVG 2 §8.2 (the outermost svg element's width/height, "auto" and percentages), §8.6
 * (viewBox), CSS Values 3 §5–6 (numbers, absolute and font-relative lengths) and librsvg's
 * "intrinsic dimensions" rule:
 * - width and height both absolute lengths: that size (the viewBox does not matter);
 * - otherwise, with a valid viewBox (libvips' own computation): both auto/percentage → the
 *   viewBox's size; one absolute → the other from the viewBox's aspect ratio, with em = 12px and
 *   ex = 6px whatever the font-size, and an explicit 0 counting as auto;
 * - otherwise librsvg measures the drawing's bounding box, which only rendering can tell: such a
 *   file is reported unsupported (E_UNSUPPORTED_FEATURE), never `ok` on a guess.
 * Missing or invalid values (negative, unknown units such as `q`, `vw`, `rem`) count as auto.
 * CSS can set width, height and font-size on the root (a `style` attribute, a `<style>` element
 * anywhere in the document, an `<?xml-stylesheet?>`); the style attribute is applied, and a
 * stylesheet that may touch those properties makes the size indeterminate.
 * libvips rounds to whole pixels half up (floor(x + 0.5)); a size that rounds to 0 fails
 * ("bad dimensions"); sharp refuses to render one above 32767 px a side (metadata works, the decode
 * fails), so such a file is unsupported. The image loads as 4 bands of 8 bits (sRGB with alpha).
 *
 * Safety: the text is only scanned. Entities are never expanded, nothing external (DTD, entity,
 * href, stylesheet, xi:include) is resolved, and every read and inflate is capped.
 */

/** The root start tag (after any prolog) must end within this many bytes. */
export const SVG_ROOT_PREFIX = 64 * 1024;
/** Most bytes of (decompressed) document scanned for stylesheets. Larger documents are refused. */
export const SVG_DOCUMENT_CAP = 4 * 1024 * 1024;

/** Units in CSS px at 72 DPI (librsvg: in = dpi, cm = dpi/2.54, mm = dpi/25.4, pt = dpi/72, pc = dpi/6). */
const DPI = 72;
const ABSOLUTE_UNITS: Record<string, number> = {
  '': 1,
  px: 1,
  in: DPI,
  cm: DPI / 2.54,
  mm: DPI / 25.4,
  pt: DPI / 72,
  pc: DPI / 6,
};
/** librsvg's initial font-size ("medium") is 12 px; an ex is half an em. */
const DEFAULT_FONT_SIZE = 12;
const FONT_KEYWORDS: Record<string, number> = {
  'xx-small': 12 / 1.2 ** 3,
  'x-small': 12 / 1.2 ** 2,
  small: 12 / 1.2,
  medium: 12,
  large: 12 * 1.2,
  'x-large': 12 * 1.2 ** 2,
  'xx-large': 12 * 1.2 ** 3,
  larger: 12 * 1.2,
  smaller: 12 / 1.2, // relative to the (initial) parent size
};
/** sharp renders SVGs up to this many px a side ("Input SVG image exceeds 32767x32767 pixel limit"). */
const SHARP_SVG_LIMIT = 32767;
/** Largest dimension libvips accepts (an int). */
const MAX_DIMENSION = 0x7fffffff;

/** A CSS <number> (CSS Syntax 3 §4.3.12): no trailing dot, an exponent only with digits. */
const NUMBER = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/;

type Length = { kind: 'px'; px: number } | { kind: 'em'; em: number } | { kind: 'auto' };

/** Whether the first bytes look like the start of an SVG/XML text or a gzip stream. */
export function sniffSvg(head: Uint8Array): boolean {
  if (head[0] === 0x1f && head[1] === 0x8b) return true;
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && isSpace(head[i]!)) i++;
  if (i === head.length && i > 0) return true; // only whitespace so far: let the reader decide
  const rest = String.fromCharCode(...head.subarray(i, i + 9));
  return (
    rest.startsWith('<?xml') ||
    rest.startsWith('<!--') ||
    rest.startsWith('<!DOCTYPE') ||
    /^<([A-Za-z_][\w.-]*:)?svg[\s/>]/.test(rest) ||
    rest === '<svg'
  );
}

export function readSvgHeader(src: ByteSource): Header {
  const gzip = src.read(0, 2);
  const doc = gzip[0] === 0x1f && gzip[1] === 0x8b ? inflateDocument(src) : plainDocument(src);
  const root = findRoot(doc.prefix);
  const size = intrinsicSize(root.attrs);
  // Only now pay for the whole document: a stylesheet anywhere in it can resize the root.
  const whole = doc.whole();
  if (whole === null) {
    throw fail(
      'svg',
      'E_UNSUPPORTED_FEATURE',
      `the document is larger than ${SVG_DOCUMENT_CAP} bytes; a stylesheet further on could change its size, so ` +
        `it is not sized from a partial scan`,
    );
  }
  checkStylesheets(whole, size.usesEm);
  const notes = root.internalSubset
    ? ['the DOCTYPE declares entities; they were not expanded (sized from the root attributes only)']
    : [];
  return {
    format: 'svg',
    width: size.width,
    height: size.height,
    channels: 4,
    bitsPerSample: 8,
    frames: 1,
    space: 'srgb',
    ...(notes.length ? { notes } : {}),
  };
}

interface Document {
  /** The first SVG_ROOT_PREFIX bytes, as latin1 text. */
  prefix: string;
  /** The whole document as text, or null when it is longer than SVG_DOCUMENT_CAP. */
  whole(): string | null;
}

function plainDocument(src: ByteSource): Document {
  const prefix = latin1(src.read(0, SVG_ROOT_PREFIX));
  return {
    prefix,
    whole: () => {
      if (src.size <= SVG_ROOT_PREFIX) return prefix;
      if (src.size > SVG_DOCUMENT_CAP) return null;
      return latin1(src.read(0, src.size));
    },
  };
}

/** Compressed-input steps: each inflates from the start; 1 KiB of deflate yields at most ~1 MiB. */
const INFLATE_STEPS = [1024, 8 * 1024, 64 * 1024, 512 * 1024, SVG_DOCUMENT_CAP + 1024];

/**
 * svgz (RFC 1952 gzip around the SVG text). Inflates growing compressed prefixes with a hard
 * output cap, so a decompression bomb costs at most a few capped inflates.
 */
function inflateDocument(src: ByteSource): Document {
  const { constants, gunzipSync } = lazyRequire('node:zlib') as typeof import('node:zlib');
  let out = '';
  let complete = false;
  for (const step of INFLATE_STEPS) {
    const input = src.read(0, step);
    let text: Buffer;
    try {
      text = gunzipSync(input, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: SVG_DOCUMENT_CAP });
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') break; // more than the cap
      if (input.length < 18) throw fail('svg', 'E_TRUNCATED', 'the gzip stream ends inside its header');
      throw fail('svg', 'E_BAD_HEADER', `the gzip stream is corrupt (${(e as Error).message})`);
    }
    out = latin1(text);
    if (input.length >= src.size) {
      complete = true;
      break;
    }
  }
  if (!complete && out.length === 0) throw fail('svg', 'E_BAD_HEADER', 'the gzip stream yields no data');
  const prefix = out.slice(0, SVG_ROOT_PREFIX);
  return { prefix, whole: () => (complete ? out : null) };
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

interface Root {
  attrs: Map<string, string>;
  internalSubset: boolean;
}

const notSvg = (why: string): ProbeFailure => new ProbeFailure('E_NOT_IMAGE', `not an image: ${why}`);
const tooLarge = (): ProbeFailure =>
  fail('svg', 'E_HEADER_TOO_LARGE', `the <svg> root start tag does not end within the first ${SVG_ROOT_PREFIX} bytes`);

/**
 * Walks the prolog (XML 1.0 §2.8: BOM, XML declaration, comments, processing instructions,
 * DOCTYPE) to the root element's start tag and reads its attributes (§3.1) as text.
 */
function findRoot(text: string): Root {
  let i = text.startsWith('\u00ef\u00bb\u00bf') ? 3 : 0;
  let internalSubset = false;
  const end = (needle: string, from: number): number => {
    const at = text.indexOf(needle, from);
    if (at < 0)
      throw text.length >= SVG_ROOT_PREFIX
        ? tooLarge()
        : fail('svg', 'E_TRUNCATED', `the document ends inside its prolog (no '${needle}')`);
    return at + needle.length;
  };
  for (;;) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (i >= text.length) {
      if (text.length >= SVG_ROOT_PREFIX) throw tooLarge();
      if (text.trim() === '' || text === '\u00ef\u00bb\u00bf') throw notSvg('only whitespace');
      throw fail('svg', 'E_TRUNCATED', 'the document ends before its root element');
    }
    if (text.startsWith('<?', i)) i = end('?>', i + 2);
    else if (text.startsWith('<!--', i)) i = end('-->', i + 4);
    else if (text.startsWith('<!DOCTYPE', i)) {
      const r = skipDoctype(text, i);
      i = r.next;
      internalSubset ||= r.internalSubset;
    } else break;
  }
  if (text.charCodeAt(i) !== 0x3c /* < */) throw notSvg('text that is not XML');
  const name = /^<([^\s/>]*)/.exec(text.slice(i, i + 256))![1]!;
  if (i + 1 + name.length >= text.length) {
    throw text.length >= SVG_ROOT_PREFIX
      ? tooLarge()
      : fail('svg', 'E_TRUNCATED', 'the document ends inside the root start tag');
  }
  if (name !== 'svg' && !/^[A-Za-z_][\w.-]*:svg$/.test(name)) {
    throw notSvg(`an XML document whose root is <${name.slice(0, 40)}>, not <svg>`);
  }
  return { attrs: readAttributes(text, i + 1 + name.length), internalSubset };
}

/** Skips `<!DOCTYPE ...>`, with an internal subset `[...]` whose strings and comments may hold `>`. */
function skipDoctype(text: string, start: number): { next: number; internalSubset: boolean } {
  let i = start + 9;
  let depth = 0;
  let subset = false;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      if (close < 0) break;
      i = close + 1;
      continue;
    }
    if (depth > 0 && text.startsWith('<!--', i)) {
      const close = text.indexOf('-->', i + 4);
      if (close < 0) break;
      i = close + 3;
      continue;
    }
    // A processing instruction in the subset may hold ']>' that does not end the DOCTYPE.
    if (depth > 0 && text.startsWith('<?', i)) {
      const close = text.indexOf('?>', i + 2);
      if (close < 0) break;
      i = close + 2;
      continue;
    }
    if (c === '[') {
      depth++;
      subset = true;
    } else if (c === ']') depth--;
    else if (c === '>' && depth <= 0) {
      // libxml2 applies ATTLIST defaults (a default width sizes the root: observed in sharp);
      // a parameter-entity reference could declare one out of sight.
      if (subset && /<!ATTLIST|%[A-Za-z_:][\w.:-]*;/.test(text.slice(start, i))) {
        throw fail(
          'svg',
          'E_UNSUPPORTED_FEATURE',
          'the DOCTYPE declares attribute defaults (<!ATTLIST> or parameter entities), which could size the root; ' +
            'not evaluated',
        );
      }
      return { next: i + 1, internalSubset: subset };
    }
    i++;
  }
  throw text.length >= SVG_ROOT_PREFIX
    ? tooLarge()
    : fail('svg', 'E_TRUNCATED', 'the document ends inside its DOCTYPE');
}

/** The root's attributes, as XML 1.0 §3.1 writes them: name = "value" or 'value', space-separated. */
function readAttributes(text: string, from: number): Map<string, string> {
  const attrs = new Map<string, string>();
  let i = from;
  for (let n = 0; ; n++) {
    const spaceStart = i;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (i >= text.length)
      throw text.length >= SVG_ROOT_PREFIX
        ? tooLarge()
        : fail('svg', 'E_TRUNCATED', 'the document ends inside the root start tag');
    if (text[i] === '>' || text.startsWith('/>', i)) return attrs;
    if (n > 0 && i === spaceStart)
      throw fail('svg', 'E_BAD_HEADER', 'attributes of the root element are not separated by whitespace');
    const name = /^[^\s=/>"'<]+/.exec(text.slice(i, i + 256))?.[0];
    if (!name) throw fail('svg', 'E_BAD_HEADER', `malformed attribute in the root element at byte ${i}`);
    i += name.length;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (text[i] !== '=') {
      if (i >= text.length)
        throw text.length >= SVG_ROOT_PREFIX
          ? tooLarge()
          : fail('svg', 'E_TRUNCATED', 'the document ends inside the root start tag');
      throw fail('svg', 'E_BAD_HEADER', `attribute ${JSON.stringify(name)} of the root element has no value`);
    }
    i++;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    const quote = text[i];
    if (quote !== '"' && quote !== "'") {
      if (i >= text.length)
        throw text.length >= SVG_ROOT_PREFIX
          ? tooLarge()
          : fail('svg', 'E_TRUNCATED', 'the document ends inside the root start tag');
      throw fail('svg', 'E_BAD_HEADER', `attribute ${JSON.stringify(name)} of the root element is not quoted`);
    }
    const close = text.indexOf(quote, i + 1);
    if (close < 0)
      throw text.length >= SVG_ROOT_PREFIX
        ? tooLarge()
        : fail('svg', 'E_TRUNCATED', 'the document ends inside an attribute of the root element');
    const raw = text.slice(i + 1, close);
    if (raw.includes('<'))
      throw fail(
        'svg',
        'E_BAD_HEADER',
        `attribute ${JSON.stringify(name)} of the root element contains '<', which XML forbids`,
      );
    if (attrs.has(name))
      throw fail('svg', 'E_BAD_HEADER', `attribute ${JSON.stringify(name)} is repeated on the root element`);
    attrs.set(name, raw);
    i = close + 1;
  }
}

/** XML 1.0 §3.3.3 attribute-value normalisation, with character references and the five
 * predefined entities decoded. Any other entity reference is refused: it is never expanded. */
function attributeValue(name: string, raw: string): string {
  const value = raw.replace(/&(#x[0-9A-Fa-f]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g, (_, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    }
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[ref as 'lt']!;
  });
  if (/&/.test(raw.replace(/&(#x[0-9A-Fa-f]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g, ''))) {
    throw fail(
      'svg',
      'E_UNSUPPORTED_FEATURE',
      `the root's ${name} attribute uses an entity reference, which is never expanded here`,
    );
  }
  return value.replace(/[\t\n\r]/g, ' ');
}

/** A CSS length (CSS Values 3 §5.1 numbers, §6 units; ASCII case-insensitive units). */
function parseLength(value: string): { n: number; unit: string } | null {
  const v = value.trim();
  const m = NUMBER.exec(v);
  if (!m) return null;
  const n = Math.fround(Number(m[0]));
  const unit = v.slice(m[0].length).toLowerCase();
  if (!Number.isFinite(n)) return null;
  if (!(unit in ABSOLUTE_UNITS) && unit !== 'em' && unit !== 'ex' && unit !== '%') return null;
  return { n, unit };
}

/** width/height: an absolute or font-relative length, or auto (percentages, missing, invalid). */
function sizeLength(value: string | undefined): Length {
  if (value === undefined) return { kind: 'auto' };
  const l = parseLength(value);
  if (!l || l.n < 0 || l.unit === '%') return { kind: 'auto' };
  if (l.unit === 'em') return { kind: 'em', em: l.n };
  if (l.unit === 'ex') return { kind: 'em', em: l.n / 2 };
  return { kind: 'px', px: l.n * ABSOLUTE_UNITS[l.unit]! };
}

/** The root's font-size in px (only needed for em/ex sizes). Invalid values are ignored. */
function fontSize(value: string | undefined, current: number): number {
  if (value === undefined) return current;
  const v = value.trim().toLowerCase();
  if (v in FONT_KEYWORDS) return FONT_KEYWORDS[v]!;
  const l = parseLength(v);
  if (!l) return current;
  const px =
    l.unit === '%'
      ? (l.n / 100) * DEFAULT_FONT_SIZE
      : l.unit === 'em'
        ? l.n * DEFAULT_FONT_SIZE
        : l.unit === 'ex'
          ? (l.n * DEFAULT_FONT_SIZE) / 2
          : l.n * ABSOLUTE_UNITS[l.unit]!;
  if (!(px > 0))
    throw fail(
      'svg',
      'E_UNSUPPORTED_FEATURE',
      `the root's font-size ${JSON.stringify(value.slice(0, 40))} is not positive; em sizes are undefined`,
    );
  return px;
}

const validSize = (v: string): boolean => v.toLowerCase() === 'auto' || (parseLength(v)?.n ?? -1) >= 0;
const validFont = (v: string): boolean => v.toLowerCase() in FONT_KEYWORDS || parseLength(v) !== null;
const VALID: Record<string, (v: string) => boolean> = { width: validSize, height: validSize, 'font-size': validFont };

/**
 * Declarations of the root's `style` attribute (CSS Style Attributes §2) that bear on its size.
 * As in CSS, an invalid declaration is dropped, the last valid one wins, and !important beats
 * a normal declaration.
 */
function styleDeclarations(style: string): Map<string, string> {
  const out = new Map<string, string>();
  const important = new Set<string>();
  const body = style.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const decl of body.split(';')) {
    const colon = decl.indexOf(':');
    if (colon < 0) continue;
    const prop = decl.slice(0, colon).trim().toLowerCase();
    if (!['width', 'height', 'font-size', 'font', 'all'].includes(prop) && !prop.includes('\\')) continue;
    const raw = decl.slice(colon + 1).trim();
    const isImportant = /!\s*important$/i.test(raw);
    const value = raw.replace(/!\s*important$/i, '').trim();
    if (
      prop === 'font' ||
      prop === 'all' ||
      prop.includes('\\') ||
      /^(inherit|initial|unset|revert(-layer)?)$/i.test(value) ||
      /[()\\]/.test(value)
    ) {
      throw fail(
        'svg',
        'E_UNSUPPORTED_FEATURE',
        `the root's style sets ${JSON.stringify(decl.trim().slice(0, 60))}, which this reader does not evaluate`,
      );
    }
    if (!VALID[prop]!(value) || (important.has(prop) && !isImportant)) continue;
    out.set(prop, value);
    if (isImportant) important.add(prop);
  }
  return out;
}

interface Size {
  width: number;
  height: number;
  usesEm: boolean;
}

/**
 * The size in px at 72 DPI, rounded as libvips rounds it. Two paths, as observed in sharp:
 * - width and height both absolute: librsvg's intrinsic size, with em/ex from the root's
 *   font-size (default 12px; ex = em/2);
 * - otherwise libvips computes from the viewBox itself, with em = 12px and ex = 6px whatever the
 *   font-size, auto counting as 0: both 0 → the viewBox's size; one 0 → that side from the other
 *   and the viewBox's aspect ratio (so an explicit 0 with an auto side gives the viewBox's size).
 * Numbers are single precision, as librsvg's CSS parser reads them (33.3 x 5 rounds to 166).
 */
function intrinsicSize(attrs: Map<string, string>): Size {
  const get = (name: string): string | undefined => {
    const raw = attrs.get(name);
    return raw === undefined ? undefined : attributeValue(name, raw);
  };
  const style = get('style');
  const css = style === undefined ? new Map<string, string>() : styleDeclarations(style);
  // A (valid) style declaration overrides the presentation attribute.
  const pick = (prop: string): string | undefined => css.get(prop) ?? get(prop);
  const w = sizeLength(pick('width'));
  const h = sizeLength(pick('height'));
  const usesEm = w.kind === 'em' || h.kind === 'em';
  const box = viewBox(get('viewBox'));

  let width: number;
  let height: number;
  if (w.kind !== 'auto' && h.kind !== 'auto') {
    const em = usesEm ? fontSize(pick('font-size'), DEFAULT_FONT_SIZE) : DEFAULT_FONT_SIZE;
    const px = (l: Length): number => (l.kind === 'px' ? l.px : l.kind === 'em' ? l.em * em : 0);
    [width, height] = [px(w), px(h)];
  } else if (!box) {
    throw fail(
      'svg',
      'E_UNSUPPORTED_FEATURE',
      'the size is indeterminate from the header: without absolute width and height or a viewBox, librsvg sizes ' +
        "the image from its drawing's bounding box",
    );
  } else {
    const px = (l: Length): number => (l.kind === 'px' ? l.px : l.kind === 'em' ? l.em * DEFAULT_FONT_SIZE : 0);
    const [w0, h0] = [px(w), px(h)];
    if (w0 === 0 && h0 === 0) [width, height] = [box.w, box.h];
    else if (w0 === 0) [width, height] = [(h0 * box.w) / box.h, h0];
    else [width, height] = [w0, (w0 * box.h) / box.w];
  }

  const W = Math.floor(width + 0.5);
  const H = Math.floor(height + 0.5);
  if (!Number.isFinite(W) || !Number.isFinite(H) || W < 1 || H < 1 || W > MAX_DIMENSION || H > MAX_DIMENSION) {
    throw fail('svg', 'E_DIMENSIONS', `invalid size ${width}x${height} px (each must round to 1..2^31-1)`);
  }
  if (W > SHARP_SVG_LIMIT || H > SHARP_SVG_LIMIT) {
    throw fail(
      'svg',
      'E_UNSUPPORTED_FEATURE',
      `the SVG is ${W}x${H} px; sharp refuses to render an SVG larger than ${SHARP_SVG_LIMIT}x${SHARP_SVG_LIMIT}`,
    );
  }
  return { width: W, height: H, usesEm: usesEm && w.kind !== 'auto' && h.kind !== 'auto' };
}

/** SVG 2 §8.6: four numbers separated by whitespace and/or a comma; a negative size disables it. */
function viewBox(value: string | undefined): { w: number; h: number } | null {
  if (value === undefined) return null;
  const parts = value.trim().split(/\s*,\s*|\s+/);
  if (parts.length !== 4) return null;
  const nums = parts.map((p) => {
    const m = NUMBER.exec(p);
    return m && m[0].length === p.length ? Math.fround(Number(m[0])) : NaN;
  });
  if (nums.some((n) => !Number.isFinite(n))) return null;
  const [, , w, h] = nums as [number, number, number, number];
  if (w < 0 || h < 0) return null;
  return { w, h };
}

/**
 * A stylesheet can set the root's width, height or font-size (CSS applies to the outermost svg
 * element in SVG 2). `<?xml-stylesheet?>` may load another file and `@import` likewise: both make
 * the size indeterminate. A `<style>` element does when it declares one of those properties.
 */
function checkStylesheets(doc: string, usesEm: boolean): void {
  if (/<\?xml-stylesheet[\s?]/.test(doc)) {
    throw fail(
      'svg',
      'E_UNSUPPORTED_FEATURE',
      'an <?xml-stylesheet?> could change the size; stylesheets are not loaded or evaluated',
    );
  }
  // From the first <style> element to the end: not just its content, since where it ends is
  // itself CSS/CDATA text a file could use to hide a declaration ('</style>' inside a comment).
  // A property name is matched after '{', ';', whitespace, '>', '[' or a comment's end, and
  // followed by ':' or a comment; one pass, linear in the capped document.
  const open = /<([A-Za-z_][\w.-]*:)?style[\s>/]/.exec(doc);
  if (!open) return;
  const raw = doc.slice(open.index);
  // XML decodes character references before CSS sees the text ('&#119;idth' is 'width'), and a
  // DTD entity could hold a declaration: decode the former, refuse the latter.
  if (/&(?!(?:lt|gt|amp|quot|apos);|#)[A-Za-z_:][\w.:-]*;/.test(raw)) {
    throw fail(
      'svg',
      'E_UNSUPPORTED_FEATURE',
      'an entity reference after a <style> element could inject CSS; entities are never expanded here',
    );
  }
  const rest = raw.replace(/&#(x[0-9A-Fa-f]{1,6}|[0-9]{1,7});/g, (_, ref: string) => {
    const code = ref[0] === 'x' ? parseInt(ref.slice(1), 16) : parseInt(ref, 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
  });
  const props = usesEm ? 'width|height|font|font-size|all' : 'width|height|all';
  if (new RegExp(`(?:^|[{;\\s>\\[]|\\*/)(?:${props})\\s*(?::|/\\*)`, 'i').test(rest) || /@import|\\/i.test(rest)) {
    throw fail(
      'svg',
      'E_UNSUPPORTED_FEATURE',
      "a <style> element may set the root's width, height or font-size; CSS is not evaluated, so the size is " +
        'indeterminate',
    );
  }
}
