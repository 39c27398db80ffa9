import { ascii } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { pillowHeader } from './pillow-layout.js';

/** Pillow reads header lines of at most 100 bytes; this many bytes cover any real header. */
const MAX_HEADER = 4096;

/** `width N`, `height N` or `pixel n8` first (after `*` comment lines): the IM Tools header's fields. */
export function sniffImt(h: Uint8Array): boolean {
  return /^(\*[^\n]*\n)*(width|height|pixel) [^ \r\n]/.test(ascii(h, 0, h.length));
}

/**
 * IM Tools (IMT), as Pillow's ImtImagePlugin reads it: lines `key value` (lowercase key), `*`
 * comments, up to a form feed (0x0C) that starts the pixels; `width`, `height` and `pixel n8`
 * (8-bit grey, mode L, the only layout it opens). Pillow stops at the first line that is not a
 * field, or longer than 100 bytes.
 */
export function readImtHeader(src: ByteSource): Header {
  const text = ascii(src.read(0, MAX_HEADER), 0, MAX_HEADER);
  if (!text.slice(0, 100).includes('\n')) throw fail('imt', 'E_BAD_HEADER', 'no line break in the first 100 bytes');
  let width = 0;
  let height = 0;
  let grey = false;
  for (let at = 0; at < text.length && text[at] !== '\x0c'; ) {
    const eol = text.indexOf('\n', at);
    const line = text.slice(at, eol < 0 ? text.length : eol);
    at = eol < 0 ? text.length : eol + 1;
    if (line.length <= 1 || line.length > 100) break;
    if (line.startsWith('*')) continue;
    const m = /^([a-z]*) ([^ \r\n]*)/.exec(line);
    if (!m) break;
    if (m[1] === 'width' || m[1] === 'height') {
      if (!/^[+-]?\d+$/.test(m[2]!)) throw fail('imt', 'E_BAD_HEADER', `${m[1]} is not a whole number: ${m[2]}`);
      if (m[1] === 'width') width = Number(m[2]);
      else height = Number(m[2]);
    } else if (m[1] === 'pixel' && m[2] === 'n8') grey = true;
  }
  if (!grey) throw fail('imt', 'E_UNSUPPORTED_FEATURE', 'no `pixel n8` field: Pillow opens 8-bit grey only');
  return pillowHeader('imt', { width, height, mode: 'L' });
}
