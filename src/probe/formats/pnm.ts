import { ascii } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';

/**
 * Netpbm (netpbm.sourceforge.net pbm/pgm/ppm/pam/pfm pages): a magic P1–P6 (plain and raw
 * bitmap, greymap, pixmap), P7 (PAM), PF/Pf (PFM colour/grey float), then whitespace-separated
 * decimal fields, '#' comments to the end of a line: width, height, and maxval (not for
 * bitmaps; PFM: a scale whose sign is the byte order). PAM names its fields instead (WIDTH,
 * HEIGHT, DEPTH, MAXVAL, TUPLTYPE, ENDHDR). Modes as Pillow's PpmImagePlugin gives them: 1, L (I
 * above maxval 255), RGB, F; it reads neither PAM nor colour PFM.
 */

const PNM = /^P([1-6]|F|f)(?:\s+(?:#[^\n]*\n\s*)*)(\d{1,10})\s+(?:#[^\n]*\n\s*)*(\d{1,10})\s/;
const PAM = /^P7\s+(?:#[^\n]*\n\s*)*(WIDTH|HEIGHT|DEPTH|MAXVAL|TUPLTYPE|ENDHDR)\s/;

export function sniffPnm(h: Uint8Array): boolean {
  const text = ascii(h, 0, h.length);
  return PNM.test(text) || PAM.test(text);
}

/** A header's text is read up to here; comments longer than that are not a picture's. */
const MAX_HEADER = 4096;
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);

/** Pillow's tokeniser: fields of at most 10 characters, '#' comments skipped up to CR or LF. */
class Tokens {
  at: number;
  constructor(
    readonly text: Uint8Array,
    at: number,
  ) {
    this.at = at;
  }
  next(what: string): string {
    let token = '';
    const t = this.text;
    while (this.at < t.length) {
      const c = t[this.at++]!;
      if (WHITESPACE.has(c)) {
        if (token) break;
      } else if (c === 0x23) {
        while (this.at < t.length && t[this.at] !== 0x0a && t[this.at] !== 0x0d) this.at++;
      } else {
        token += String.fromCharCode(c);
        if (token.length > 10) throw fail('pnm', 'E_BAD_HEADER', `the ${what} field is over 10 characters`);
      }
    }
    if (!token) throw fail('pnm', 'E_TRUNCATED', `the header ends before the ${what}`);
    return token;
  }
  number(what: string): number {
    const token = this.next(what);
    if (!/^\d+$/.test(token))
      throw fail('pnm', 'E_BAD_HEADER', `the ${what} is not a number: ${JSON.stringify(token)}`);
    return Number(token);
  }
}

export function readPnmHeader(src: ByteSource): Header {
  const text = src.read(0, MAX_HEADER);
  const magic = ascii(text, 0, 2);
  if (magic === 'P7') return readPam(text);
  const t = new Tokens(text, 2);
  const width = t.number('width');
  const height = t.number('height');
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff)
    throw fail('pnm', 'E_DIMENSIONS', `invalid dimensions ${width}x${height}`);
  const header = (mode: string, channels: number, bits: number, extra: Partial<Header> = {}): Header => ({
    format: 'pnm',
    width,
    height,
    channels,
    bitsPerSample: bits,
    frames: 1,
    pillowMode: mode,
    ...extra,
  });
  if (magic === 'P1' || magic === 'P4') return header('1', 1, 8);
  if (magic === 'PF' || magic === 'Pf') {
    const scale = Number(t.next('scale'));
    if (!Number.isFinite(scale) || scale === 0)
      throw fail('pnm', 'E_BAD_HEADER', 'the PFM scale must be finite, not 0');
    if (magic === 'PF') return header('F', 3, 32, { pillowRefusal: 'Pillow reads grey PFM (Pf), not colour (PF)' });
    // Measured: 9.4 does not read PFM, 11.3 and 12.3 do; 9.5 is the first release it may be in.
    return header('F', 1, 32, { pillowSince: 905, space: 'float' });
  }
  const maxval = t.number('maxval');
  if (maxval < 1 || maxval > 65535) throw fail('pnm', 'E_BAD_HEADER', `maxval ${maxval} is not 1..65535`);
  const deep = maxval > 255;
  if (magic === 'P2' || magic === 'P5') return header(deep ? 'I' : 'L', 1, deep ? 16 : 8);
  return header('RGB', 3, deep ? 16 : 8);
}

/** PAM: named fields up to ENDHDR; Pillow does not read it, so only the size and bands matter. */
function readPam(text: Uint8Array): Header {
  const lines = ascii(text, 3, text.length).split('\n');
  const fields: Record<string, number> = {};
  let ended = false;
  for (const line of lines) {
    const [key, value] = line.trim().split(/\s+/, 2);
    if (key === 'ENDHDR') {
      ended = true;
      break;
    }
    if (key && value && /^\d{1,10}$/.test(value)) fields[key] = Number(value);
  }
  if (!ended) throw fail('pnm', 'E_TRUNCATED', 'the PAM header ends before ENDHDR');
  const width = fields.WIDTH ?? 0;
  const height = fields.HEIGHT ?? 0;
  const depth = fields.DEPTH ?? 0;
  const maxval = fields.MAXVAL ?? 0;
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff)
    throw fail('pnm', 'E_DIMENSIONS', `invalid dimensions ${width}x${height}`);
  if (depth < 1 || depth > 4 || maxval < 1 || maxval > 65535)
    throw fail('pnm', 'E_BAD_HEADER', `invalid PAM DEPTH ${depth} or MAXVAL ${maxval}`);
  return {
    format: 'pnm',
    width,
    height,
    channels: depth,
    bitsPerSample: maxval > 255 ? 16 : 8,
    frames: 1,
    pillowRefusal: 'Pillow does not read PAM (P7)',
  };
}
