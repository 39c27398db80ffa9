import { ascii } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { PILLOW_9_0, PILLOW_9_5, PILLOW_11_3, pillowHeader } from './pillow-layout.js';

/** FITS 4.0 §3.3: headers are 80-byte card images in 2880-byte blocks. */
const CARD = 80;
const BLOCK = 2880;
/** Most cards read over all the headers walked (a generous bound on real files' few hundred). */
const MAX_CARDS = 20000;
/** The cards Pillow 9 parses, whole (a `/ comment` on one of them stops it). */
const PILLOW9_PARSED = new Set(['SIMPLE', 'NAXIS', 'NAXIS1', 'NAXIS2', 'BITPIX']);

/** §4.4.1.1: the first card is SIMPLE = T (the value in column 30; Pillow accepts it anywhere). */
export function sniffFits(h: Uint8Array): boolean {
  return /^SIMPLE {2}= +T[ /]/.test(ascii(h, 0, Math.min(h.length, CARD)));
}

/**
 * Pillow (FitsImagePlugin) sizes the first header unit with NAXIS > 0: NAXIS1 x NAXIS2 (1 x NAXIS1
 * for one axis; further axes are not loaded), mode from BITPIX: 8 L, 16 I;16 (I in Pillow 9),
 * 32 I, -32 and -64 F. Current Pillow walks on past an empty primary unit to the extensions (a
 * tile-compressed GZIP_1 image: ZNAXIS1, ZNAXIS2, ZBITPIX); Pillow 9 reads the primary unit only,
 * and does not strip `/ comments` from values, so a comment on SIMPLE, NAXIS* or BITPIX stops it.
 */
export function readFitsHeader(src: ByteSource): Header {
  const cards = new Map<string, string>();
  let at = 0;
  let units = 0;
  let commented = false;
  for (let n = 0; ; n++) {
    if (n >= MAX_CARDS) throw fail('fits', 'E_HEADER_TOO_LARGE', `more than ${MAX_CARDS} header cards`);
    const card = ascii(src.need(at, CARD, 'a FITS header card'), 0, CARD);
    at += CARD;
    const keyword = card.slice(0, 8).trim();
    const [raw = '', comment] = card.slice(8).split('/', 2);
    let value = raw.trim();
    if (value.startsWith('=')) value = value.slice(1).trim();
    if (n === 0 && (keyword !== 'SIMPLE' || value !== 'T')) throw fail('fits', 'E_BAD_SIGNATURE', 'not SIMPLE = T');
    if (keyword !== 'END') {
      if (comment !== undefined && units === 0 && PILLOW9_PARSED.has(keyword)) commented = true;
      cards.set(keyword, value);
      continue;
    }
    units++;
    const found = imageOf(cards);
    if (found) return fitsHeader(found, units, commented);
    // An empty unit: current Pillow goes on to the next header, after the data blocks (none here).
    at = Math.ceil(at / BLOCK) * BLOCK;
    const next = src.read(at, 8);
    if (ascii(next, 0, 8).trim() !== 'XTENSION')
      throw fail('fits', 'E_UNSUPPORTED_FEATURE', 'no image data (NAXIS = 0)');
  }
}

interface FitsImage {
  width: number;
  height: number;
  bitpix: number;
  compressed: boolean;
}

/** The image the cards so far describe, or null when NAXIS is 0 (cards accumulate over units, as in Pillow). */
function imageOf(cards: Map<string, string>): FitsImage | null {
  const compressed =
    cards.get('XTENSION') === "'BINTABLE'" && cards.get('ZIMAGE') === 'T' && cards.get('ZCMPTYPE') === "'GZIP_1  '";
  const p = compressed ? 'Z' : '';
  const naxis = integer(cards, `${p}NAXIS`);
  if (naxis === 0) return null;
  const width = naxis === 1 ? 1 : integer(cards, `${p}NAXIS1`);
  const height = naxis === 1 ? integer(cards, `${p}NAXIS1`) : integer(cards, `${p}NAXIS2`);
  return { width, height, bitpix: integer(cards, `${p}BITPIX`), compressed };
}

function integer(cards: Map<string, string>, keyword: string): number {
  const v = cards.get(keyword);
  if (v === undefined || !/^[+-]?\d+$/.test(v)) {
    throw fail('fits', 'E_BAD_HEADER', `${keyword} is ${v === undefined ? 'missing' : `not an integer: ${v}`}`);
  }
  return Number(v);
}

const MODES: Readonly<Record<number, [string, string]>> = {
  8: ['L', 'L'],
  16: ['I;16', 'I'],
  32: ['I', 'I'],
  [-32]: ['F', 'F'],
  [-64]: ['F', 'F'],
};

function fitsHeader(image: FitsImage, units: number, commented: boolean): Header {
  const modes = MODES[image.bitpix];
  if (!modes) throw fail('fits', 'E_UNSUPPORTED_FEATURE', `BITPIX ${image.bitpix}, which Pillow does not open`);
  const notes: string[] = [];
  if (units > 1 || image.compressed) notes.push('the image is in an extension: Pillow 9 does not open it');
  if (commented) notes.push('SIMPLE, NAXIS or BITPIX cards carry comments: Pillow 9 does not open it');
  // I;16 is measured in 11.3; before it the larger I is taken.
  const history: [number, string][] = [
    [PILLOW_9_0, modes[1]],
    [PILLOW_11_3, modes[0]],
  ];
  const since = notes.length > 0 ? PILLOW_9_5 : undefined;
  return pillowHeader('fits', { width: image.width, height: image.height, mode: modes[0], history, since, notes });
}
