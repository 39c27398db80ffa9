import { describe, expect, it } from 'vitest';
import { readMspHeader, sniffMsp } from '../../../src/probe/formats/msp.js';
import { concat, le16, src, text } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';
import { describePillowFormat } from '../../helpers/pillow-formats.js';

/** An MSP header with a correct checksum (the last word makes the XOR of all sixteen zero). */
function msp(magic: string, w: number, h: number): Uint8Array {
  const words = [...text(magic), ...le16(w), ...le16(h), ...new Array(22).fill(0)];
  let x = 0;
  for (let i = 0; i < 30; i += 2) x ^= words[i]! | (words[i + 1]! << 8);
  return concat(words, le16(x), new Array(64).fill(0));
}

describePillowFormat('MSP', {
  format: 'msp',
  sniff: sniffMsp,
  read: readMspHeader,
  samples: () => [
    { name: 'version 1', bytes: msp('DanM', 17, 3), current: { mode: '1', width: 17, height: 3, frames: 1 } },
    { name: 'version 2', bytes: msp('LinS', 640, 480), current: { mode: '1', width: 640, height: 480, frames: 1 } },
  ],
  written: { code: 'Image.new("1", (13, 11)).save("a.msp")', names: ['a.msp'] },
});

describe('readMspHeader: hostile headers', () => {
  it('a wrong checksum and a zero size fail cleanly', () => {
    const bad = msp('DanM', 17, 3);
    bad[30] = bad[30]! ^ 1;
    expect(failure(() => readMspHeader(src(bad))).code).toBe('E_BAD_HEADER');
    expect(failure(() => readMspHeader(src(msp('DanM', 0, 3)))).code).toBe('E_DIMENSIONS');
  });
});
