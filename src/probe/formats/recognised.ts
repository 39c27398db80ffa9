import { ascii, startsWith, u32be, u32le } from '../bytes.js';
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
export const RECOGNISED: Recognised[] = [
  { format: 'jxl', name: 'JPEG XL', sniff: (h) => startsWith(h, JXL_BOX) },
  // The bare codestream's 0xFF0A is short; its SizeHeader follows as variable-length bits.
  { format: 'jxl', name: 'JPEG XL codestream', sniff: (h) => startsWith(h, [0xff, 0x0a]) && h.length >= 4 },
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
  { format: 'pdf', name: 'PDF', sniff: (h) => ascii(h, 0, 5) === '%PDF-' },
  { format: 'exr', name: 'OpenEXR', sniff: (h) => startsWith(h, EXR) },
  {
    format: 'hdr',
    name: 'Radiance HDR',
    sniff: (h) => ascii(h, 0, 10) === '#?RADIANCE' || ascii(h, 0, 6) === '#?RGBE',
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
