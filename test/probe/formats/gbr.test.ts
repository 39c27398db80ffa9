import { describe, expect, it } from 'vitest';
import { readGbrHeader, sniffGbr } from '../../../src/probe/formats/gbr.js';
import { be32, concat, src, text } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';
import { describePillowFormat } from '../../helpers/pillow-formats.js';

function gbr(version: number, w: number, h: number, depth: number): Uint8Array {
  const name = text('brush\0');
  const extra = version === 2 ? concat(text('GIMP'), be32(25)) : new Uint8Array(0);
  const size = 20 + extra.length + name.length;
  return concat(be32(size), be32(version), be32(w), be32(h), be32(depth), extra, name, new Array(64).fill(0));
}

describePillowFormat('GIMP brush', {
  format: 'gbr',
  sniff: sniffGbr,
  read: readGbrHeader,
  samples: () => [
    { name: 'v1 grey', bytes: gbr(1, 7, 5, 1), current: { mode: 'L', width: 7, height: 5, frames: 1 } },
    { name: 'v2 grey', bytes: gbr(2, 7, 5, 1), current: { mode: 'L', width: 7, height: 5, frames: 1 } },
    { name: 'v2 rgba', bytes: gbr(2, 3, 9, 4), current: { mode: 'RGBA', width: 3, height: 9, frames: 1 } },
  ],
});

describe('readGbrHeader: hostile headers', () => {
  it('a v2 brush without its magic, a zero size, other depths are not claimed or fail cleanly', () => {
    const noMagic = gbr(2, 7, 5, 1);
    noMagic[20] = 0x20;
    expect(sniffGbr(noMagic)).toBe(false);
    expect(sniffGbr(gbr(1, 0, 5, 1))).toBe(false);
    expect(sniffGbr(gbr(1, 7, 5, 3))).toBe(false);
    expect(failure(() => readGbrHeader(src(gbr(2, 7, 5, 3)))).code).toBe('E_UNSUPPORTED_FEATURE');
    expect(failure(() => readGbrHeader(src(gbr(2, 2 ** 31, 5, 4)))).code).toBe('E_DIMENSIONS');
  });
});
