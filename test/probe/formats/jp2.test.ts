import { describe, expect, it } from 'vitest';
import { readJp2Header, sniffJp2 } from '../../../src/probe/formats/jp2.js';
import { be16, be32, concat, src, text } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';
import { describePillowFormat, describeReleases } from '../../helpers/pillow-formats.js';

/** A raw codestream: SOC, SIZ with one Ssiz per depth, then EOC. */
function j2k(w: number, h: number, depths: number[], xo = 0): Uint8Array {
  const comps = depths.flatMap((d) => [d - 1, 1, 1]);
  const siz = concat(be16(38 + comps.length), be16(0), be32(w + xo), be32(h), be32(xo), be32(0));
  return concat(
    [0xff, 0x4f, 0xff, 0x51],
    siz,
    be32(w + xo),
    be32(h),
    be32(0),
    be32(0),
    be16(depths.length),
    comps,
    [0xff, 0xd9],
  );
}
const box = (type: string, body: ArrayLike<number>): Uint8Array => concat(be32(8 + body.length), text(type), body);
const SIGNATURE = box('jP  ', [0x0d, 0x0a, 0x87, 0x0a]);
const FTYP = box('ftyp', concat(text('jp2 '), be32(0), text('jp2 ')));
const ihdr = (w: number, h: number, nc: number, depth: number): Uint8Array =>
  box('ihdr', concat(be32(h), be32(w), be16(nc), [depth - 1, 7, 0, 0]));
const colr = (cs: number): Uint8Array => box('colr', concat([1, 0, 0], be32(cs)));
const pclr = (entries: number, depths: number[]): Uint8Array =>
  box(
    'pclr',
    concat(
      be16(entries),
      [depths.length],
      depths.map((d) => d - 1),
      new Array(entries * depths.length).fill(7),
    ),
  );
function jp2(...inner: Uint8Array[]): Uint8Array {
  return concat(SIGNATURE, FTYP, box('jp2h', concat(...inner)), box('jp2c', j2k(4, 4, [8])));
}

describePillowFormat('JPEG 2000', {
  format: 'jp2',
  sniff: sniffJp2,
  read: readJp2Header,
  samples: () => [
    { name: 'codestream grey', bytes: j2k(13, 11, [8]), current: { mode: 'L', width: 13, height: 11, frames: 1 } },
    {
      name: 'codestream 12-bit',
      bytes: j2k(13, 11, [12]),
      current: { mode: 'I;16', width: 13, height: 11, frames: 1 },
    },
    {
      name: 'codestream offset',
      bytes: j2k(7, 3, [8, 8, 8], 100),
      current: { mode: 'RGB', width: 7, height: 3, frames: 1 },
    },
    { name: 'codestream LA', bytes: j2k(5, 5, [8, 8]), current: { mode: 'LA', width: 5, height: 5, frames: 1 } },
    {
      name: 'jp2 rgba',
      bytes: jp2(ihdr(9, 4, 4, 8), colr(16)),
      current: { mode: 'RGBA', width: 9, height: 4, frames: 1 },
    },
    {
      name: 'jp2 16-bit grey',
      bytes: jp2(ihdr(9, 4, 1, 16)),
      current: { mode: 'I;16', width: 9, height: 4, frames: 1 },
    },
  ],
  written: {
    code:
      'for m in ["L", "LA", "RGB", "RGBA", "I;16"]:\n' +
      '  for e in ["jp2", "j2k"]: Image.new(m, (13, 11)).save(m[0] + m[-1] + "." + e)',
    names: ['LL.jp2', 'LL.j2k', 'LA.jp2', 'LA.j2k', 'RB.jp2', 'RB.j2k', 'RA.jp2', 'RA.j2k', 'I6.jp2', 'I6.j2k'],
  },
});

describeReleases('JPEG 2000', readJp2Header, [
  { name: '9-bit grey codestream', bytes: j2k(4, 4, [9]), modes: ['L', 'I;16', 'I;16'] },
  { name: 'colr CMYK, 4 components', bytes: jp2(ihdr(9, 4, 4, 8), colr(12)), modes: ['RGBA', 'CMYK', 'CMYK'] },
  { name: 'pclr palette', bytes: jp2(ihdr(9, 4, 1, 8), pclr(4, [8, 8, 8])), modes: ['L', 'P', 'P'] },
  { name: 'pclr palette, alpha', bytes: jp2(ihdr(9, 4, 2, 8), pclr(4, [8, 8, 8])), modes: ['LA', 'PA', 'PA'] },
  {
    name: 'pclr after a greyscale colr',
    bytes: jp2(ihdr(9, 4, 1, 8), colr(17), pclr(4, [8, 8, 8])),
    modes: ['L', 'P', 'L'],
  },
]);

describe('readJp2Header: hostile headers', () => {
  it('box lengths that are zero, too short or past the end fail cleanly', () => {
    const zero = concat(SIGNATURE, be32(0), text('jp2h'), ihdr(9, 4, 1, 8));
    expect(failure(() => readJp2Header(src(zero))).code).toBe('E_BAD_HEADER');
    const inner = concat(SIGNATURE, box('jp2h', concat(be32(4), text('ihdr'))));
    expect(failure(() => readJp2Header(src(inner))).code).toBe('E_BAD_HEADER');
    const past = concat(SIGNATURE, be32(1), text('jp2h'), be32(0xffffffff), be32(0xffffffff));
    expect(failure(() => readJp2Header(src(past))).code).toMatch(/E_BAD_HEADER|E_TRUNCATED/);
  });
  it('many small boxes before jp2h end at the box bound', () => {
    const many = concat(SIGNATURE, ...new Array(600).fill(box('free', [])));
    expect(failure(() => readJp2Header(src(many))).code).toBe('E_STRUCTURE_LOOP');
  });
  it('offsets past the size, 2^31 sizes and component counts Pillow does not open fail cleanly', () => {
    expect(failure(() => readJp2Header(src(j2k(0, 4, [8])))).code).toBe('E_DIMENSIONS');
    expect(failure(() => readJp2Header(src(j2k(2 ** 31, 4, [8])))).code).toBe('E_DIMENSIONS');
    expect(failure(() => readJp2Header(src(j2k(4, 4, [8, 8, 8, 8, 8])))).code).toBe('E_UNSUPPORTED_FEATURE');
    expect(failure(() => readJp2Header(src(jp2(ihdr(9, 4, 5, 8))))).code).toBe('E_BAD_HEADER');
  });
});
