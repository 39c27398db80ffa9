import { describe, expect, it } from 'vitest';
import { readFitsHeader, sniffFits } from '../../../src/probe/formats/fits.js';
import { concat, src, text } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';
import { describePillowFormat, describeReleases } from '../../helpers/pillow-formats.js';

const card = (keyword: string, value?: string, comment?: string): string => {
  if (value === undefined) return keyword.padEnd(80);
  const v = `${keyword.padEnd(8)}= ${value.padStart(20)}`;
  return (comment ? `${v} / ${comment}` : v).padEnd(80);
};
/** Header units padded to 2880-byte blocks, each followed by `data` bytes. */
function fits(units: string[][], data = 0): Uint8Array {
  return concat(
    ...units.map((cards) => {
      const head = [...cards, card('END')].join('');
      return concat(text(head.padEnd(Math.ceil(head.length / 2880) * 2880)), new Array(data).fill(0));
    }),
  );
}
const image = (bitpix: number, ...axes: number[]): string[] => [
  card('SIMPLE', 'T'),
  card('BITPIX', String(bitpix)),
  card('NAXIS', String(axes.length)),
  ...axes.map((n, i) => card(`NAXIS${i + 1}`, String(n))),
];

describePillowFormat('FITS', {
  format: 'fits',
  sniff: sniffFits,
  read: readFitsHeader,
  samples: () => [
    { name: '8-bit', bytes: fits([image(8, 7, 5)], 35), current: { mode: 'L', width: 7, height: 5, frames: 1 } },
    { name: '16-bit', bytes: fits([image(16, 7, 5)], 70), current: { mode: 'I;16', width: 7, height: 5, frames: 1 } },
    { name: '32-bit', bytes: fits([image(32, 3, 2)], 24), current: { mode: 'I', width: 3, height: 2, frames: 1 } },
    {
      name: 'float, 3 axes',
      bytes: fits([image(-32, 4, 3, 2)], 96),
      current: { mode: 'F', width: 4, height: 3, frames: 1 },
    },
    { name: 'double', bytes: fits([image(-64, 2, 2)], 32), current: { mode: 'F', width: 2, height: 2, frames: 1 } },
    { name: 'one axis', bytes: fits([image(8, 9)], 9), current: { mode: 'L', width: 1, height: 9, frames: 1 } },
    {
      name: 'comments on other cards',
      bytes: fits([[...image(8, 6, 2), card('OBJECT', "'M31'", 'the galaxy')]], 12),
      current: { mode: 'L', width: 6, height: 2, frames: 1 },
    },
  ],
});

describeReleases('FITS', readFitsHeader, [
  { name: '16-bit', bytes: fits([image(16, 7, 5)], 70), modes: ['I', 'I;16', 'I;16'] },
  {
    name: 'image in an extension',
    bytes: concat(fits([image(8)]), fits([[card('XTENSION', "'IMAGE   '"), ...image(16, 8, 3).slice(1)]], 48)),
    modes: [null, 'I;16', 'I;16'],
  },
  {
    name: 'comment on NAXIS1',
    bytes: fits(
      [[card('SIMPLE', 'T'), card('BITPIX', '8'), card('NAXIS', '2'), card('NAXIS1', '4', 'w'), card('NAXIS2', '4')]],
      16,
    ),
    modes: [null, 'L', 'L'],
  },
]);

describe('readFitsHeader: where Pillow releases differ', () => {
  it('an image in an extension after an empty primary unit: current Pillow opens it, Pillow 9 does not', () => {
    const ext = [card('XTENSION', "'IMAGE   '"), card('BITPIX', '16'), card('NAXIS', '2'), card('NAXIS1', '8')];
    const h = readFitsHeader(src(fits([image(8), [...ext, card('NAXIS2', '3')]], 0)));
    expect([h.width, h.height, h.pillowMode]).toEqual([8, 3, 'I;16']);
    expect(h.notes?.join()).toMatch(/Pillow 9 does not open it/);
  });
  it('a comment on NAXIS1 stops Pillow 9, not current Pillow', () => {
    const cards = [
      card('SIMPLE', 'T'),
      card('BITPIX', '8'),
      card('NAXIS', '2'),
      card('NAXIS1', '4', 'w'),
      card('NAXIS2', '4'),
    ];
    const h = readFitsHeader(src(fits([cards], 16)));
    expect([h.width, h.height]).toEqual([4, 4]);
    expect(h.notes?.join()).toMatch(/comments: Pillow 9 does not open it/);
  });
});

describe('readFitsHeader: hostile headers', () => {
  it('no image, a missing or non-integer axis, an unknown BITPIX fail cleanly', () => {
    expect(failure(() => readFitsHeader(src(fits([image(8)])))).code).toBe('E_UNSUPPORTED_FEATURE');
    const noAxis = [card('SIMPLE', 'T'), card('BITPIX', '8'), card('NAXIS', '2'), card('NAXIS1', '4')];
    expect(failure(() => readFitsHeader(src(fits([noAxis])))).code).toBe('E_BAD_HEADER');
    expect(failure(() => readFitsHeader(src(fits([image(8, 2 ** 31, 2)])))).code).toBe('E_DIMENSIONS');
    expect(failure(() => readFitsHeader(src(fits([image(8, -4, 2)])))).code).toBe('E_DIMENSIONS');
    expect(failure(() => readFitsHeader(src(fits([image(12, 4, 2)])))).code).toBe('E_UNSUPPORTED_FEATURE');
  });
  it('a header without END stops at the card bound or the end of the file', () => {
    const endless = text([card('SIMPLE', 'T'), ...new Array(30000).fill(card('COMMENT'))].join(''));
    expect(failure(() => readFitsHeader(src(new Uint8Array(endless)))).code).toMatch(/E_HEADER_TOO_LARGE/);
    expect(failure(() => readFitsHeader(src(new Uint8Array(text(card('SIMPLE', 'T')))))).code).toBe('E_TRUNCATED');
  });
  it('SIMPLE = F, or SIMPLE in prose, is not FITS', () => {
    expect(sniffFits(new Uint8Array(text(card('SIMPLE', 'F'))))).toBe(false);
    expect(sniffFits(new Uint8Array(text('SIMPLE  = things are best')))).toBe(false);
  });
});
