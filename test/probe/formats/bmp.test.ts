import { describe } from 'vitest';
import { concat, le16, le32, text } from '../../helpers/bytes.js';
import { bmp } from '../../helpers/pillow-handmade.js';
import { readerCases } from '../../helpers/reader-cases.js';

const W = 37;
const H = 23;
const grey = Array.from({ length: 256 }, (_, i) => [i, i, i]);

/** A 40-byte-header BMP with the given width, height and bit count fields, and nothing after. */
const header = (w: number, h: number, bits = 24, extra: number[] = []): Uint8Array => {
  const fields = concat(
    text('BM'),
    le32(1000),
    le32(0),
    le32(54),
    le32(40),
    le32(w),
    le32(h),
    le16(1),
    le16(bits),
    extra,
  );
  return concat(fields, new Uint8Array(Math.max(0, 54 - fields.length)));
};

describe('BMP', () => {
  readerCases(
    'bmp',
    () => [
      { name: 'core 24-bit', bytes: bmp({ width: W, height: H, bits: 24, dib: 12 }), expect: { pillowMode: 'RGB' } },
      { name: '1-bit', bytes: bmp({ width: W, height: H, bits: 1 }), expect: { pillowMode: 'P', width: W } },
      {
        name: '1-bit black and white',
        bytes: bmp({
          width: W,
          height: H,
          bits: 1,
          palette: [
            [0, 0, 0],
            [255, 255, 255],
          ],
        }),
        expect: { pillowMode: '1' },
      },
      {
        name: '8-bit grey ramp',
        bytes: bmp({ width: W, height: H, bits: 8, palette: grey }),
        expect: { pillowMode: 'L' },
      },
      { name: 'RLE4', bytes: bmp({ width: W, height: H, bits: 4, compression: 2 }), expect: { pillowMode: 'P' } },
      { name: 'top-down', bytes: bmp({ width: W, height: H, bits: 24, topDown: true }), expect: { height: H } },
      {
        name: 'V4 32-bit with an alpha mask',
        bytes: bmp({
          width: W,
          height: H,
          bits: 32,
          dib: 108,
          compression: 3,
          masks: [0xff0000, 0xff00, 0xff, 0xff000000],
        }),
        expect: { pillowMode: 'RGBA', channels: 4 },
      },
      {
        name: '16-bit 565 bitfields',
        bytes: bmp({ width: W, height: H, bits: 16, compression: 3, masks: [0xf800, 0x7e0, 0x1f] }),
        expect: { pillowMode: 'RGB' },
      },
      {
        name: 'a bitfield layout Pillow has no unpacker for',
        bytes: bmp({ width: W, height: H, bits: 16, dib: 56, compression: 3, masks: [0xf00, 0xf0, 0xf, 0xf000] }),
        expect: { pillowRefusal: 'Pillow does not read this bitfield layout', width: W },
      },
      {
        name: 'V3 header (Pillow 9.5 on)',
        bytes: bmp({ width: W, height: H, bits: 24, dib: 56 }),
        expect: { pillowSince: 905 },
      },
    ],
    () => [
      ['width 0', header(0, 10), 'E_DIMENSIONS'],
      ['a negative width', header(-5, 10), 'E_DIMENSIONS'],
      ['width 2^31', header(2 ** 31, 10), 'E_DIMENSIONS'],
      ['a height negative beyond top-down', header(10, -(2 ** 30)), 'E_DIMENSIONS'],
      ['the header cut short', header(10, 10).subarray(0, 40), 'E_TRUNCATED'],
      [
        'a 2^31-colour palette',
        header(4, 4, 8, [...le32(0), ...le32(0), ...le32(0), ...le32(0), ...le32(2 ** 31), ...le32(0)]),
        'a header 4x4',
      ],
    ],
  );
});
