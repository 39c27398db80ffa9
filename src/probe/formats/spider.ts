import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { pillowHeader } from './pillow-layout.js';

/** File types (IFORM) Pillow's check accepts; only 1 (a 2D image) opens. */
const IFORMS = new Set([1, 3, -11, -12, -21, -22]);

/** Header word n (1-based) of a SPIDER header read as 32-bit floats in one byte order. */
function words(h: Uint8Array, littleEndian: boolean): (n: number) => number {
  const view = new DataView(h.buffer, h.byteOffset, h.byteLength);
  return (n) => (n * 4 <= h.length ? view.getFloat32((n - 1) * 4, littleEndian) : Number.NaN);
}

/**
 * The checks Pillow (SpiderImagePlugin) makes on the words, both byte orders tried (big-endian
 * first): NZ, NROW, IFORM, NSAM, LABREC, LABBYT, LENBYT whole numbers, IFORM a known type, LABBYT =
 * LABREC x LENBYT. The sniff sees only the first 16 words and checks what lies there.
 */
function order(h: Uint8Array, full: boolean): ((n: number) => number) | null {
  for (const le of [false, true]) {
    const w = words(h, le);
    const whole = (full ? [1, 2, 5, 12, 13, 22, 23] : [1, 2, 5, 12, 13]).every((n) => Number.isInteger(w(n)));
    if (!whole || !IFORMS.has(w(5))) continue;
    if (!full || (w(22) !== 0 && w(22) === w(13) * w(23))) return w;
  }
  return null;
}

export function sniffSpider(h: Uint8Array): boolean {
  return h.length >= 52 && order(h, false) !== null;
}

/**
 * SPIDER image (Frank et al., SPIDER file format): IFORM 1 is a 2D image of NSAM x NROW 32-bit
 * floats, mode F. A stack (ISTACK > 0, IMGNUM 0) holds MAXIM images of that size.
 */
export function readSpiderHeader(src: ByteSource): Header {
  const h = src.need(0, 108, 'the SPIDER header');
  const w = order(h, true);
  if (w === null) throw fail('spider', 'E_BAD_HEADER', 'not a consistent SPIDER header');
  if (w(5) !== 1) throw fail('spider', 'E_UNSUPPORTED_FEATURE', `file type ${w(5)}: Pillow opens 2D images (1) only`);
  const stack = Math.trunc(w(24));
  const image = Math.trunc(w(27));
  let frames = 1;
  if (stack > 0 && image === 0) frames = Math.max(1, Math.trunc(w(26)));
  else if (stack !== 0 || image !== 0) {
    throw fail('spider', 'E_UNSUPPORTED_FEATURE', `stack fields ${stack}/${image}, which Pillow does not open`);
  }
  return pillowHeader('spider', { width: Math.trunc(w(12)), height: Math.trunc(w(2)), mode: 'F', frames });
}
