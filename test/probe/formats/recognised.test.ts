import { describe, expect, it } from 'vitest';
import { readHeader } from '../../../src/probe/detect.js';
import { be16, be32, concat, le16, le32, src, text } from '../../helpers/bytes.js';
import { sharp } from '../../helpers/sharp.js';
import { failure } from '../../helpers/failure.js';
import { DECODER_TABLE } from '../../../src/estimate/decoders.js';
import type { Format, Header } from '../../../src/probe/header.js';

const pad = (bytes: Uint8Array, n = 64): Uint8Array => concat(bytes, new Uint8Array(Math.max(0, n - bytes.length)));

/** [format, bytes, size named in the message or null]. */
const SAMPLES: [string, Uint8Array, string | null][] = [
  ['jxl', pad(concat([0, 0, 0, 12], text('JXL '), [0x0d, 0x0a, 0x87, 0x0a])), null],
  ['jxl', pad(new Uint8Array([0xff, 0x0a, 0xba, 0x21, 0xc5])), null],
  [
    'psd',
    pad(concat(text('8BPS'), be16(1), new Array(6).fill(0), be16(3), be32(456), be32(123), be16(8), be16(3))),
    '123x456',
  ],
  [
    'bmp',
    pad(concat(text('BM'), le32(1000), le32(0), le32(54), le32(40), le32(123), le32(-456), le16(1), le16(24))),
    '123x456',
  ],
  ['ico', pad(concat([0, 0, 1, 0], le16(1), [32, 32, 0, 0], le16(1), le16(32), le32(100), le32(22))), null],
  ['cur', pad(concat([0, 0, 2, 0], le16(1), [32, 32, 0, 0], le16(3), le16(4), le32(100), le32(22))), null],
  ['dds', pad(concat(text('DDS '), le32(124), le32(0x1007), le32(456), le32(123))), '123x456'],
  [
    'ktx',
    pad(
      concat(
        [0xab, 0x4b, 0x54, 0x58, 0x20, 0x31, 0x31, 0xbb, 0x0d, 0x0a, 0x1a, 0x0a],
        le32(0x04030201),
        new Array(20).fill(0),
        le32(123),
        le32(456),
      ),
    ),
    '123x456',
  ],
  [
    'ktx',
    pad(
      concat(
        [0xab, 0x4b, 0x54, 0x58, 0x20, 0x32, 0x30, 0xbb, 0x0d, 0x0a, 0x1a, 0x0a],
        le32(37),
        le32(1),
        le32(123),
        le32(456),
      ),
    ),
    '123x456',
  ],
  ['pnm', Buffer.from('P6\n# made by hand\n123 456\n255\n'), '123x456'],
  ['pnm', Buffer.from('P1 3 2\n0 1 0\n1 0 1\n'), '3x2'],
  ['pnm', Buffer.from('P7\nWIDTH 4\nHEIGHT 2\nDEPTH 3\nMAXVAL 255\nTUPLTYPE RGB\nENDHDR\n'), null],
  ['pnm', Buffer.from('PF\n4 2\n-1.0\n'), '4x2'],
  ['pdf', Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n', 'latin1'), null],
  ['exr', pad(new Uint8Array([0x76, 0x2f, 0x31, 0x01, 2, 0, 0, 0])), null],
  ['hdr', Buffer.from('#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 2 +X 3\n'), null],
  ['hdr', Buffer.from('#?RGBE\nFORMAT=32-bit_rle_rgbe\n\n-Y 2 +X 3\n'), null],
  ['qoi', pad(concat(text('qoif'), be32(123), be32(456), [4, 0])), '123x456'],
];

/** Formats with a reader of their own: a header, sized; the decoder table refuses them for sharp. */
const READ = new Set(['psd', 'bmp', 'ico', 'cur', 'dds', 'pnm', 'qoi']);

describe('recognised formats sharp cannot decode: E_UNSUPPORTED_FORMAT naming the format', () => {
  for (const [format, bytes, size] of SAMPLES.filter(([f]) => !READ.has(f))) {
    it(`${format}: ${Buffer.from(bytes.subarray(0, 8))
      .toString('latin1')
      .replace(/[^\x20-\x7e]/g, '.')}`, () => {
      const f = failure(() => readHeader(src(bytes)));
      expect([f.code, f.status, f.format]).toEqual(['E_UNSUPPORTED_FORMAT', 'unsupported', format]);
      if (size) expect(f.message).toContain(size);
    });
  }

  for (const [format, bytes, size] of SAMPLES.filter(([f]) => READ.has(f))) {
    it(`${format} (read for Pillow): ${Buffer.from(bytes.subarray(0, 8))
      .toString('latin1')
      .replace(/[^\x20-\x7e]/g, '.')}`, () => {
      expect(DECODER_TABLE[format as Format].sharp).toBe(false);
      // Some samples stop after the first bytes: their readers need more (the image an icon points to).
      let h: Header;
      try {
        h = readHeader(src(bytes));
      } catch {
        const f = failure(() => readHeader(src(bytes)));
        expect([f.status, f.format]).toEqual(['corrupt', format]);
        return;
      }
      expect(h.format).toBe(format);
      if (size) expect(`${h.width}x${h.height}`).toBe(size);
    });
  }

  it('this sharp has no loader for them', () => {
    const formats = sharp.format as unknown as Record<string, { input: { file: boolean } } | undefined>;
    for (const name of ['jp2k', 'jxl', 'pdf', 'fits', 'magick', 'ppm', 'rad', 'openslide']) {
      expect(formats[name]?.input.file ?? false).toBe(false);
    }
  });

  it('sharp refuses each sample', async () => {
    for (const [, bytes] of SAMPLES) {
      await expect(sharp(Buffer.from(bytes)).metadata()).rejects.toThrow();
    }
  });
});

describe('recognised sniffs do not misfire on text', () => {
  const texts = [
    'P1 is the first priority.\n',
    'P6 - notes\n',
    'BM: a text file starting with BM',
    'SIMPLE things first',
    'qoif you please',
    '8BPS is not enough',
    '%PD something',
    '#?RADIO\n',
    'icns',
    "icns are fun, aren't they",
    'DDS is a text',
  ];
  for (const t of texts) {
    it(JSON.stringify(t), () => {
      expect(failure(() => readHeader(src(Buffer.from(t)))).code).toBe('E_NOT_IMAGE');
    });
  }
  it('an ICO-like prefix with an impossible directory is not ICO', () => {
    const bytes = pad(concat([0, 0, 1, 0], le16(0)));
    expect(failure(() => readHeader(src(bytes))).code).toBe('E_NOT_IMAGE');
  });
});
