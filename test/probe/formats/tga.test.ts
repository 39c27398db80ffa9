import { describe, expect, it } from 'vitest';
import { readHeader } from '../../../src/probe/detect.js';
import { sniffTga } from '../../../src/probe/formats/tga.js';
import { concat, le16, src, text } from '../../helpers/bytes.js';
import { tga } from '../../helpers/pillow-handmade.js';
import { readerCases } from '../../helpers/reader-cases.js';

const W = 37;
const H = 23;

describe('TGA', () => {
  readerCases(
    'tga',
    () => [
      {
        name: '24-bit',
        bytes: tga({ width: W, height: H, type: 2, depth: 24 }),
        expect: { pillowMode: 'RGB', width: W },
      },
      { name: '32-bit RLE', bytes: tga({ width: W, height: H, type: 10, depth: 32 }), expect: { pillowMode: 'RGBA' } },
      {
        name: '16-bit: RGB in 9.4, RGBA after',
        bytes: tga({ width: W, height: H, type: 2, depth: 16 }),
        expect: {
          pillowMode: 'RGBA',
          pillowModeSince: [
            [900, 'RGB'],
            [905, 'RGBA'],
          ],
        },
      },
      { name: 'grey 16-bit', bytes: tga({ width: W, height: H, type: 3, depth: 16 }), expect: { pillowMode: 'LA' } },
      { name: 'colour-mapped', bytes: tga({ width: W, height: H, type: 1, depth: 8 }), expect: { pillowMode: 'P' } },
    ],
    () => [],
  );

  it('is not claimed by text, other formats or near misses', () => {
    const near = [
      tga({ width: 0, height: 5, type: 2, depth: 24 }),
      tga({ width: 5, height: 5, type: 2, depth: 8 }),
      tga({ width: 5, height: 5, type: 4, depth: 24 }),
      concat([0, 1, 2], new Uint8Array(15)) as Uint8Array,
      concat([0, 0, 2, 0, 0, 5, 0, 0], le16(0), le16(0), le16(5), le16(5), [24, 0]),
      concat(text('\u0000\u0000\u0002 is not enough to be a TGA at all, the rest is text')),
    ];
    for (const b of near) expect(sniffTga(b)).toBe(false);
    // Every 18-byte prefix of printable text fails the sniff (byte 1 must be 0 or 1).
    for (let c = 0x20; c < 0x7f; c++) expect(sniffTga(new Uint8Array(18).fill(c))).toBe(false);
  });

  it('a header with a TGA shape but cut short is truncated, not another format', () => {
    const bytes = tga({ width: W, height: H, type: 2, depth: 24 });
    expect(readHeader(src(bytes.subarray(0, 18)))).toMatchObject({ format: 'tga', width: W });
  });
});
