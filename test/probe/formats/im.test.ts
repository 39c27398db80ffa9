import { describe, expect, it } from 'vitest';
import { readImHeader, sniffIm } from '../../../src/probe/formats/im.js';
import { concat, src, text } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';
import { describePillowFormat, describeReleases } from '../../helpers/pillow-formats.js';

/** An IM header as Pillow writes it: CRLF lines, NUL padding to 511, then 0x1A; then `after`. */
function im(lines: string[], after: ArrayLike<number> = new Array(64).fill(0)): Uint8Array {
  const head = text(lines.map((l) => `${l}\r\n`).join(''));
  return concat(head, new Array(511 - head.length).fill(0), [0x1a], after);
}
const colourLut = concat(
  Array.from({ length: 256 }, (_, i) => i),
  new Array(256).fill(0),
  new Array(256).fill(9),
);
const greyLut = concat(...[0, 1, 2].map(() => Array.from({ length: 256 }, (_, i) => 255 - i)));

describePillowFormat('IM', {
  format: 'im',
  sniff: sniffIm,
  read: readImHeader,
  samples: () => [
    {
      name: 'rgb',
      bytes: im(['Image type: RGB image', 'Image size (x*y): 7*5']),
      current: { mode: 'RGB', width: 7, height: 5, frames: 1 },
    },
    {
      name: 'frames and LF lines',
      bytes: concat(text('Image type: L 16 image\nImage size (x*y): 3*2\nFile size (no of images): 4\n\x1a')),
      current: { mode: 'I;16', width: 3, height: 2, frames: 4 },
    },
    {
      name: 'default size',
      bytes: im(['Image type: Greyscale image']),
      current: { mode: 'L', width: 512, height: 512, frames: 1 },
    },
    {
      name: 'grey with a colour Lut',
      bytes: im(['Image type: Greyscale image', 'Image size (x*y): 4*4', 'Lut: 1'], colourLut),
      current: { mode: 'P', width: 4, height: 4, frames: 1 },
    },
    {
      name: 'grey with a grey Lut',
      bytes: im(['Image type: Greyscale image', 'Image size (x*y): 4*4', 'Lut: 1'], greyLut),
      current: { mode: 'L', width: 4, height: 4, frames: 1 },
    },
    {
      name: 'float, a name and a comment',
      bytes: im(['Image type: L 32F image', 'Name: x', 'Comment: made by hand', 'Image size (x*y): 9*1']),
      current: { mode: 'F', width: 9, height: 1, frames: 1 },
    },
  ],
  written: {
    code:
      'for m in ["1", "L", "LA", "P", "I", "I;16", "F", "RGB", "RGBA", "CMYK", "YCbCr"]:\n' +
      '  Image.new(m, (13, 11)).save(m.replace(";", "") + ".im")',
    names: ['1.im', 'L.im', 'LA.im', 'P.im', 'I.im', 'I16.im', 'F.im', 'RGB.im', 'RGBA.im', 'CMYK.im', 'YCbCr.im'],
  },
});

describeReleases('IM', readImHeader, [
  { name: 'RGBX', bytes: im(['Image type: RGBX image', 'Image size (x*y): 2*2']), modes: ['RGBX', 'RGB', 'RGB'] },
]);

describe('readImHeader', () => {
  it('a line too long, a line without a key, no end mark, unknown types fail cleanly', () => {
    expect(failure(() => readImHeader(src(im(['Image type: RGB image', `Name: ${'x'.repeat(120)}`])))).code).toBe(
      'E_BAD_HEADER',
    );
    expect(failure(() => readImHeader(src(im(['Image type: RGB image', '12 monkeys'])))).code).toBe('E_BAD_HEADER');
    expect(failure(() => readImHeader(src(new Uint8Array(text('Image type: RGB image\r\n'))))).code).toBe(
      'E_TRUNCATED',
    );
    expect(failure(() => readImHeader(src(im(['Image type: Purple image'])))).code).toBe('E_UNSUPPORTED_FEATURE');
    expect(failure(() => readImHeader(src(im(['Image type: Greyscale image', 'Image size (x*y): 2.5*3'])))).code).toBe(
      'E_BAD_HEADER',
    );
    expect(
      failure(() => readImHeader(src(im(['Image type: Greyscale image', 'Image size (x*y): 99999999999*3'])))).code,
    ).toBe('E_DIMENSIONS');
  });
  it('mail and notes starting Name:, Date: or Comment: are not IM', () => {
    for (const t of ['Name: Alice\nDate: today\n', 'Date: Mon, 1 Jan 2024\n', 'Comment: hi\n', 'Image type:\n']) {
      expect(sniffIm(new Uint8Array(text(t))), t).toBe(false);
    }
  });
});
