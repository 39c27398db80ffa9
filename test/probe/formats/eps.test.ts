import { describe, expect, it } from 'vitest';
import { readEpsHeader, sniffEps } from '../../../src/probe/formats/eps.js';
import { concat, le32, src, text } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';
import { describePillowFormat, describeReleases } from '../../helpers/pillow-formats.js';

const eps = (lines: string[], body = 'newpath 0 0 moveto showpage\n'): Uint8Array =>
  new Uint8Array(text(`${lines.join('\n')}\n${body}%%EOF\n`));
const HEAD = ['%!PS-Adobe-3.0 EPSF-3.0', '%%Creator: hand'];
/** A DOS EPS: the 30-byte binary header, then the PostScript at offset 30. */
function dosEps(ps: Uint8Array): Uint8Array {
  return concat(le32(0xc6d3d0c5), le32(30), le32(ps.length), le32(0), le32(0), le32(0), le32(0), [0xff, 0xff], ps);
}

describePillowFormat('EPS', {
  format: 'eps',
  sniff: sniffEps,
  read: readEpsHeader,
  samples: () => [
    {
      name: 'bounding box',
      bytes: eps([...HEAD, '%%BoundingBox: 10 20 110 70', '%%EndComments']),
      current: { mode: 'RGB', width: 100, height: 50, frames: 1 },
    },
    {
      name: 'float box',
      bytes: eps([...HEAD, '%%BoundingBox: 0 0 30.7 20.2']),
      current: { mode: 'RGB', width: 30, height: 20, frames: 1 },
    },
    {
      name: 'ImageData RGB',
      bytes: eps([
        ...HEAD,
        '%%BoundingBox: 0 0 72 36',
        '%%EndComments',
        '%%BeginProlog',
        '%ImageData: 300 150 8 3 0 1 0 "beginimage"',
      ]),
      current: { mode: 'RGB', width: 300, height: 150, frames: 1 },
    },
    {
      name: 'DOS EPS',
      bytes: dosEps(eps([...HEAD, '%%BoundingBox: 0 0 64 48'])),
      current: { mode: 'RGB', width: 64, height: 48, frames: 1 },
    },
  ],
  written: { code: 'Image.new("RGB", (13, 11)).save("a.eps")', names: ['a.eps'] },
});

describeReleases('EPS', readEpsHeader, [
  {
    name: 'BoundingBox (atend)',
    bytes: eps([...HEAD, '%%BoundingBox: (atend)', '%%EndComments'], 'showpage\n%%Trailer\n%%BoundingBox: 0 0 40 30\n'),
    modes: [null, 'RGB', 'RGB'],
  },
]);

describe('readEpsHeader', () => {
  it('says Ghostscript is needed and counts RGB where %ImageData names another mode', () => {
    const h = readEpsHeader(
      src(
        eps([...HEAD, '%%BoundingBox: 0 0 72 36', '%%EndComments', '%%BeginSetup', '%ImageData: 30 15 8 1 0 1 0 "x"']),
      ),
    );
    expect([h.width, h.height, h.pillowMode]).toEqual([30, 15, 'RGB']);
    expect(h.notes?.join(' ')).toMatch(/Ghostscript.*Image\.open reports L/);
  });
  it('two boxes: current Pillow takes the first, Pillow 9 the last (noted)', () => {
    const h = readEpsHeader(src(eps([...HEAD, '%%BoundingBox: 0 0 30 20', '%%BoundingBox: 0 0 99 99'])));
    expect([h.width, h.height]).toEqual([30, 20]);
    expect(h.notes?.join(' ')).toMatch(/Pillow 9 takes the last %%BoundingBox, 0 0 99 99/);
  });
  it('the line right after %%EndComments is not read, as in Pillow', () => {
    const h = readEpsHeader(
      src(eps([...HEAD, '%%BoundingBox: 0 0 72 36', '%%EndComments', '%ImageData: 30 15 8 3 0 1 0 "x"'])),
    );
    expect([h.width, h.height]).toEqual([72, 36]);
  });
  it('(atend): the box comes from the trailer, even past the scanned part', () => {
    const lines = [...HEAD, '%%BoundingBox: (atend)', '%%EndComments'];
    const trailer = '%%Trailer\n%%BoundingBox: 0 0 40 30\n';
    expect(readEpsHeader(src(eps(lines, `showpage\n${trailer}`)))).toMatchObject({ width: 40, height: 30 });
    const long = eps(lines, `${'% filler line\n'.repeat(30000)}${trailer}`);
    expect(readEpsHeader(src(long))).toMatchObject({ width: 40, height: 30 });
  });
  it('missing comments, an empty box, overlong comments fail cleanly', () => {
    expect(failure(() => readEpsHeader(src(eps(['%!PS-Adobe-3.0', '%%Title: x'])))).code).toBe('E_BAD_HEADER');
    expect(failure(() => readEpsHeader(src(eps(['%!PS', '%%BoundingBox: 0 0 10 10'])))).code).toBe('E_BAD_HEADER');
    expect(failure(() => readEpsHeader(src(eps([...HEAD, '%%BoundingBox: 0 0 0 10'])))).code).toBe('E_DIMENSIONS');
    expect(failure(() => readEpsHeader(src(eps([...HEAD, `%%Title: ${'x'.repeat(300)}`])))).code).toBe('E_BAD_HEADER');
    expect(failure(() => readEpsHeader(src(eps([...HEAD, '%%BoundingBox: a b c d'])))).code).toBe('E_BAD_HEADER');
  });
  it('a DOS EPS offset past the end fails cleanly', () => {
    const bad = dosEps(eps([...HEAD, '%%BoundingBox: 0 0 64 48']));
    bad.set(le32(2 ** 31), 4);
    expect(() => readEpsHeader(src(bad))).toThrow();
  });
});
