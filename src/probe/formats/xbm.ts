import { ascii } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { pillowHeader } from './pillow-layout.js';

/** Pillow (XbmImagePlugin) looks for the whole header in the first 512 bytes. */
const HEADER_BYTES = 512;

/**
 * X11 bitmap (XBM, X Window System Xlib "XReadBitmapFile" format): C source, `#define <name>_width
 * N`, `#define <name>_height N`, optional _x_hot/_y_hot defines, then `static char <name>_bits[]`.
 * The sniff wants `_width` on the first define, within the sniffed bytes, so other C headers pass.
 */
const SNIFF = /^[ \t\n\r\f\v]*#define[ \t]+[^\n]*_width[ \t]/;
const HEAD =
  /^[ \t\n\r\f\v]*#define[ \t]+[^\n]*_width[ \t]+([0-9]+)[\r\n]+#define[ \t]+[^\n]*_height[ \t]+([0-9]+)[\r\n]+/;

export function sniffXbm(h: Uint8Array): boolean {
  return SNIFF.test(ascii(h, 0, h.length));
}

/** Pillow opens it as mode 1 when the defines and `_bits[]` are all in the first 512 bytes. */
export function readXbmHeader(src: ByteSource): Header {
  const text = ascii(src.read(0, HEADER_BYTES), 0, HEADER_BYTES);
  const m = HEAD.exec(text);
  if (!m) throw fail('xbm', 'E_BAD_HEADER', 'no _width and _height defines at the start');
  if (!text.includes('_bits[]', m[0].length)) {
    throw fail('xbm', 'E_BAD_HEADER', 'no `_bits[]` array declared in the first 512 bytes');
  }
  return pillowHeader('xbm', { width: Number(m[1]), height: Number(m[2]), mode: '1' });
}
