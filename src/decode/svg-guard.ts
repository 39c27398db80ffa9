import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/**
 * What sharp (librsvg) would do with an SVG beyond drawing it: librsvg follows `xi:include`,
 * `<image href>`, `<use href>` to other files, CSS `@import` and `url()` to other files, and
 * sharp inflates an svgz whole. Before an SVG reaches sharp, imgguard reads the document (capped)
 * and refuses one that reaches outside itself or inflates past the budget.
 */
export const SVG_SCAN_CAP = 16 * 1024 * 1024;

/** Why this SVG must not be handed to sharp, or null when it is self-contained. */
export function svgRefusal(path: string | Buffer, budget: bigint): string | null {
  let bytes = readCapped(path, SVG_SCAN_CAP);
  if (bytes === null)
    return `the SVG is larger than ${SVG_SCAN_CAP / 1048576} MiB: refused unread rather than handed to the decoder`;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const cap = Number(budget < BigInt(SVG_SCAN_CAP) ? budget : BigInt(SVG_SCAN_CAP));
    try {
      bytes = gunzipSync(bytes, {
        maxOutputLength: cap + 1,
        finishFlush: 2 /* Z_SYNC_FLUSH: a cut stream still inflates */,
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        return `the svgz inflates to more than ${cap} bytes (the budget or the scan cap): sharp would inflate it whole`;
      return `the svgz cannot be inflated: ${(e as Error).message}`;
    }
    if (bytes.length > cap)
      return `the svgz inflates to more than ${cap} bytes (the budget or the scan cap): sharp would inflate it whole`;
  }
  return externalReference(bytes.toString('latin1'));
}

/** The first reference to something outside the document, described, or null. */
export function externalReference(text: string): string | null {
  if (/<(?:[\w.-]+:)?include\b[^>]*\bhref\s*=/i.test(text) || /XInclude/i.test(text))
    return 'it uses XInclude (xi:include), which librsvg follows to other files';
  if (/<!ENTITY\s+%?\s*[\w.-]+\s+(?:SYSTEM|PUBLIC)\b/i.test(text)) return 'it declares an external entity';
  if (/<!DOCTYPE[^>[]*(?:SYSTEM|PUBLIC)\s/i.test(text)) return 'its DOCTYPE names an external DTD';
  if (/@import\b/i.test(text)) return 'its CSS uses @import';
  if (/<\?xml-stylesheet\b/i.test(text)) return 'it links an external stylesheet';
  // Every element that loads its href (image, use, feImage, tref, …); a link (<a>) loads nothing.
  for (const m of text.matchAll(/<([\w:.-]+)\b[^>]*?\b(?:xlink:)?href\s*=\s*(["'])(.*?)\2/gis)) {
    if (/^(?:[\w.-]+:)?a$/i.test(m[1]!)) continue;
    if (!isInternal(m[3]!)) return `<${m[1]}> references ${JSON.stringify(m[3]!.slice(0, 80))}`;
  }
  for (const m of text.matchAll(/\burl\(\s*(["']?)(.*?)\1\s*\)/gis)) {
    if (!isInternal(m[2]!)) return `it references ${JSON.stringify(m[2]!.slice(0, 80))} in url()`;
  }
  return null;
}

/** A fragment of this document or inline data: nothing is read from elsewhere. */
const isInternal = (ref: string): boolean => /^\s*(?:#|data:)/i.test(ref) || ref.trim() === '';

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
