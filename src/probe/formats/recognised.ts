import { ascii, i32le, startsWith, u16be, u16le, u32be, u32le } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header, RecognisedFormat } from '../header.js';
import type { ByteSource } from '../source.js';

/**
 * Formats recognised by their signature that sharp cannot decode here (its libvips has no loader
 * for them: sharp.format.<name>.input is false). Each answers E_UNSUPPORTED_FORMAT naming the
 * format, and the size in the message where the first bytes carry it. Sniffs check more than a
 * two-byte magic where one is that short, so text files do not misfire.
 */
export interface Recognised {
  format: RecognisedFormat;
  /** A human name for messages. */
  name: string;
  sniff(head: Uint8Array): boolean;
  /** "WxH" from the first bytes, where it is there to read. */
  size?(head: Uint8Array): [number, number] | null;
}

const JXL_BOX = [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20, 0x0d, 0x0a, 0x87, 0x0a]; // ISO 18181-2 signature box
const KTX1 = [0xab, 0x4b, 0x54, 0x58, 0x20, 0x31, 0x31, 0xbb, 0x0d, 0x0a, 0x1a, 0x0a]; // «KTX 11»
const KTX2 = [0xab, 0x4b, 0x54, 0x58, 0x20, 0x32, 0x30, 0xbb, 0x0d, 0x0a, 0x1a, 0x0a]; // «KTX 20»
const EXR = [0x76, 0x2f, 0x31, 0x01];
/** BITMAPCOREHEADER, OS/2 v2 (16 and 64), INFOHEADER, V2, V3, V4, V5 sizes. */
const BMP_DIB_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

/** ICO/CUR (ICONDIR): reserved 0, type 1 or 2, 1..255 entries whose reserved byte is 0. */
function iconDir(h: Uint8Array, type: number): boolean {
  if (!startsWith(h, [0, 0, type, 0])) return false;
  const count = u16le(h, 4);
  if (count < 1 || count > 255 || h.length < 22) return false;
  const planes = u16le(h, 10);
  const offset = u32le(h, 18);
  return h[9] === 0 && (type === 2 || planes <= 1) && offset >= 6 + 16 * count;
}

/**
 * PNM (Netpbm): P1–P6 then width and height as decimal text, comments allowed; P7 (PAM) then a header keyword; PF/Pf
 * (PFM).
 */
const PNM = /^P([1-6]|F|f)(?:\s+(?:#[^\n]*\n\s*)*)(\d{1,10})\s+(?:#[^\n]*\n\s*)*(\d{1,10})\s/;
const PAM = /^P7\s+(?:#[^\n]*\n\s*)*(WIDTH|HEIGHT|DEPTH|MAXVAL|TUPLTYPE|ENDHDR)\s/;

export const RECOGNISED: Recognised[] = [
  { format: 'jxl', name: 'JPEG XL', sniff: (h) => startsWith(h, JXL_BOX) },
  // The bare codestream's 0xFF0A is short; its SizeHeader follows as variable-length bits.
  { format: 'jxl', name: 'JPEG XL codestream', sniff: (h) => startsWith(h, [0xff, 0x0a]) && h.length >= 4 },
  {
    format: 'psd',
    name: 'Photoshop (PSD/PSB)',
    sniff: (h) => ascii(h, 0, 4) === '8BPS' && (u16be(h, 4) === 1 || u16be(h, 4) === 2),
    size: (h) => (h.length >= 22 ? [u32be(h, 18), u32be(h, 14)] : null),
  },
  {
    format: 'bmp',
    name: 'BMP',
    sniff: (h) => ascii(h, 0, 2) === 'BM' && BMP_DIB_SIZES.has(u32le(h, 14)) && u32le(h, 10) >= 26,
    size: (h) => {
      if (h.length < 26) return null;
      if (u32le(h, 14) === 12) return [u16le(h, 18), u16le(h, 20)];
      return [Math.abs(i32le(h, 18)), Math.abs(i32le(h, 22))];
    },
  },
  { format: 'ico', name: 'ICO', sniff: (h) => iconDir(h, 1) },
  { format: 'cur', name: 'CUR', sniff: (h) => iconDir(h, 2) },
  {
    format: 'dds',
    name: 'DirectDraw Surface (DDS)',
    sniff: (h) => ascii(h, 0, 4) === 'DDS ' && u32le(h, 4) === 124,
    size: (h) => (h.length >= 20 ? [u32le(h, 16), u32le(h, 12)] : null),
  },
  {
    format: 'ktx',
    name: 'KTX texture',
    sniff: (h) => startsWith(h, KTX1) || startsWith(h, KTX2),
    size: (h) => {
      if (startsWith(h, KTX2)) return h.length >= 28 ? [u32le(h, 20), u32le(h, 24)] : null;
      const le = u32le(h, 12) === 0x04030201;
      return h.length >= 44 ? (le ? [u32le(h, 36), u32le(h, 40)] : [u32be(h, 36), u32be(h, 40)]) : null;
    },
  },
  {
    format: 'pnm',
    name: 'Netpbm (PNM/PAM/PFM)',
    sniff: (h) => PNM.test(ascii(h, 0, h.length)) || PAM.test(ascii(h, 0, h.length)),
    size: (h) => {
      const m = PNM.exec(ascii(h, 0, h.length));
      return m ? [Number(m[2]), Number(m[3])] : null;
    },
  },
  { format: 'pdf', name: 'PDF', sniff: (h) => ascii(h, 0, 5) === '%PDF-' },
  { format: 'exr', name: 'OpenEXR', sniff: (h) => startsWith(h, EXR) },
  {
    format: 'hdr',
    name: 'Radiance HDR',
    sniff: (h) => ascii(h, 0, 10) === '#?RADIANCE' || ascii(h, 0, 6) === '#?RGBE',
  },
  {
    // QOI header: 'qoif', width, height, channels 3 or 4, colorspace 0 or 1.
    format: 'qoi',
    name: 'QOI',
    sniff: (h) => ascii(h, 0, 4) === 'qoif' && (h[12] === 3 || h[12] === 4) && (h[13] === 0 || h[13] === 1),
    size: (h) => [u32be(h, 4), u32be(h, 8)],
  },
];

/** A reader for a recognised format: never a Header, always E_UNSUPPORTED_FORMAT naming it. */
export function unsupportedReader(r: Recognised): (src: ByteSource) => Header {
  return (src) => {
    const head = src.read(0, 64);
    const size = r.size?.(head);
    const dims = size && size[0] > 0 && size[1] > 0 ? ` ${size[0]}x${size[1]}` : '';
    throw fail(r.format, 'E_UNSUPPORTED_FORMAT', `the file is ${r.name}${dims}, a format sharp cannot decode here`);
  };
}
