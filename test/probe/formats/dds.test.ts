import { describe } from 'vitest';
import { concat, le32, text } from '../../helpers/bytes.js';
import { dds } from '../../helpers/pillow-handmade.js';
import { readerCases } from '../../helpers/reader-cases.js';

const W = 37;
const H = 23;
const head = (w: number, h: number): Uint8Array => concat(text('DDS '), le32(124), le32(0x1007), le32(h), le32(w));

describe('DDS', () => {
  readerCases(
    'dds',
    () => [
      {
        name: 'DXT1',
        bytes: dds({ width: W, height: H, flags: 4, fourcc: 'DXT1' }),
        expect: { pillowMode: 'RGBA', width: W },
      },
      { name: 'ATI1', bytes: dds({ width: W, height: H, flags: 4, fourcc: 'ATI1' }), expect: { pillowMode: 'L' } },
      {
        name: 'BC5 (DX10)',
        bytes: dds({ width: W, height: H, flags: 4, fourcc: 'DX10', dxgi: 83 }),
        expect: { pillowMode: 'RGB' },
      },
      {
        name: 'BC1 (DX10), Pillow 9.5 on',
        bytes: dds({ width: W, height: H, flags: 4, fourcc: 'DX10', dxgi: 71 }),
        expect: { pillowMode: 'RGBA', pillowSince: 905 },
      },
      {
        name: 'uncompressed RGB',
        bytes: dds({ width: W, height: H, flags: 0x40, bits: 24 }),
        expect: { pillowMode: 'RGB' },
      },
      {
        name: 'luminance 8-bit',
        bytes: dds({ width: W, height: H, flags: 0x20000, bits: 8 }),
        expect: { pillowMode: 'L' },
      },
      {
        name: 'palette',
        bytes: dds({ width: W, height: H, flags: 0x20, bits: 8 }),
        expect: { pillowMode: 'P', pillowSince: 905 },
      },
      {
        name: 'an unknown FourCC: sized, refused by Pillow',
        bytes: dds({ width: W, height: H, flags: 4, fourcc: 'XYZW' }),
        expect: { width: W, pillowRefusal: 'Pillow does not read the pixel format "XYZW"' },
      },
    ],
    () => [
      ['width 0', concat(head(0, 5), new Uint8Array(108)), 'E_DIMENSIONS'],
      ['width 2^32-1', concat(head(2 ** 32 - 1, 5), new Uint8Array(108)), 'E_DIMENSIONS'],
      ['a header cut at 100 bytes', concat(head(5, 5), new Uint8Array(80)), 'E_TRUNCATED'],
      ['DX10 without its header', dds({ width: 5, height: 5, flags: 4, fourcc: 'DX10', data: 0 }), 'E_TRUNCATED'],
    ],
  );
});
