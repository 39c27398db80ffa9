import { describe } from 'vitest';
import { concat, le16, le32 } from '../../helpers/bytes.js';
import { icon, iconDib } from '../../helpers/pillow-handmade.js';
import { readerCases } from '../../helpers/reader-cases.js';
import { makePng } from '../../helpers/bytes.js';

/** An icon directory of `n` entries that all point at `offset`. */
const dir = (type: number, n: number, offset: number, w = 32): Uint8Array =>
  concat(
    [0, 0, type, 0],
    le16(n),
    ...Array.from({ length: n }, () => [w, w, 0, 0, ...le16(1), ...le16(32), ...le32(100), ...le32(offset)]),
  );

describe('ICO', () => {
  readerCases(
    'ico',
    () => [
      {
        name: 'one 32-bit DIB',
        bytes: icon(1, [[32, 32, 32, iconDib(32, 32, 32)]]),
        expect: { width: 32, height: 32, pillowMode: 'RGBA' },
      },
      {
        name: 'the largest entry, fewest colours among equals',
        bytes: icon(1, [
          [16, 16, 8, iconDib(16, 16, 8)],
          [48, 48, 32, iconDib(48, 48, 32)],
          [48, 48, 4, iconDib(48, 48, 4)],
        ]),
        expect: { width: 48, height: 48, pillowMode: 'RGBA' },
      },
      {
        name: 'a PNG entry keeps its PNG mode and its own size',
        bytes: icon(1, [[0, 0, 32, makePng({ width: 300, height: 200, depth: 8, colourType: 3 })]]),
        expect: { width: 300, height: 200, pillowMode: 'P' },
      },
    ],
    () => [
      ['an entry pointing past the end', dir(1, 1, 5000), 'E_TRUNCATED'],
      // Entries pointing back into the directory (a loop) are not an icon directory at all.
      ['every entry pointing at the directory itself', dir(1, 200, 6), 'E_NOT_IMAGE'],
      ['200 entries all pointing at one image past the directory', dir(1, 200, 6 + 16 * 200), 'E_TRUNCATED'],
      [
        'a DIB of height 1 (no image above its mask)',
        icon(1, [[1, 1, 32, concat(le32(40), le32(1), le32(1), le16(1), le16(32), new Uint8Array(24))]]),
        'E_DIMENSIONS',
      ],
      [
        'a PNG entry of width 0',
        icon(1, [[0, 0, 32, makePng({ width: 0, height: 5, depth: 8, colourType: 2 })]]),
        'E_DIMENSIONS',
      ],
    ],
  );
});

describe('CUR', () => {
  readerCases(
    'cur',
    () => [
      {
        name: '1-bit black and white: 1 in Pillow 9.x and 11.x, LA since 12',
        bytes: icon(2, [
          [
            32,
            32,
            1,
            iconDib(32, 32, 1, [
              [0, 0, 0],
              [255, 255, 255],
            ]),
          ],
        ]),
        expect: {
          width: 32,
          height: 32,
          pillowMode: 'LA',
          pillowModeSince: [
            [900, '1'],
            [1200, 'LA'],
          ],
        },
      },
      { name: '1-bit colour palette', bytes: icon(2, [[32, 32, 1, iconDib(32, 32, 1)]]), expect: { pillowMode: 'P' } },
      {
        name: 'the later entry larger both ways',
        bytes: icon(2, [
          [16, 16, 4, iconDib(16, 16, 4)],
          [32, 32, 24, iconDib(32, 32, 24)],
        ]),
        expect: { width: 32, pillowMode: 'RGB' },
      },
    ],
    () => [
      ['an entry pointing past the end', dir(2, 1, 5000), 'E_TRUNCATED'],
      ['every entry pointing at the directory', dir(2, 100, 6), 'E_NOT_IMAGE'],
    ],
  );
});
