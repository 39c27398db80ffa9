import { describe, expect, it } from 'vitest';
import { readBlpHeader, sniffBlp } from '../../../src/probe/formats/blp.js';
import { concat, le32, src, text } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';
import { describePillowFormat, describeReleases } from '../../helpers/pillow-formats.js';

const blp1 = (w: number, h: number, alphaBits: number): Uint8Array =>
  concat(text('BLP1'), le32(1), le32(alphaBits), le32(w), le32(h), le32(5), le32(0), new Array(64).fill(0));
const blp2 = (w: number, h: number, alphaDepth: number, encoding = 1): Uint8Array =>
  concat(text('BLP2'), le32(1), [encoding, alphaDepth, 0, 0], le32(w), le32(h), new Array(64).fill(0));

describePillowFormat('BLP', {
  format: 'blp',
  sniff: sniffBlp,
  read: readBlpHeader,
  samples: () => [
    { name: 'BLP1 no alpha', bytes: blp1(64, 32, 0), current: { mode: 'RGB', width: 64, height: 32, frames: 1 } },
    { name: 'BLP2 palette', bytes: blp2(16, 8, 0), current: { mode: 'RGB', width: 16, height: 8, frames: 1 } },
    { name: 'BLP2 DXT alpha', bytes: blp2(16, 8, 8, 2), current: { mode: 'RGBA', width: 16, height: 8, frames: 1 } },
  ],
  written: {
    code: 'im = Image.new("P", (16, 8))\nim.save("a.blp")\nim.save("b.blp", blp_version="BLP1")',
    names: ['a.blp', 'b.blp'],
  },
});

describeReleases('BLP', readBlpHeader, [
  { name: 'BLP1 with 8-bit alpha (Pillow 9 reads byte 9)', bytes: blp1(64, 32, 8), modes: ['RGB', 'RGBA', 'RGBA'] },
]);

describe('readBlpHeader', () => {
  it('zero and 2^31 sizes fail cleanly', () => {
    expect(failure(() => readBlpHeader(src(blp2(0, 8, 0)))).code).toBe('E_DIMENSIONS');
    expect(failure(() => readBlpHeader(src(blp2(2 ** 31, 8, 0)))).code).toBe('E_DIMENSIONS');
  });
});
