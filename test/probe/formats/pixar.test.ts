import { describe, expect, it } from 'vitest';
import { readPixarHeader, sniffPixar } from '../../../src/probe/formats/pixar.js';
import { concat, le16, src } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';
import { describePillowFormat } from '../../helpers/pillow-formats.js';

function pixar(w: number, h: number, layout: [number, number] = [14, 2]): Uint8Array {
  const head = new Uint8Array(1024);
  head.set([0x80, 0xe8, 0, 0]);
  head.set(concat(le16(h), le16(w), le16(0), le16(0), le16(layout[0]), le16(layout[1])), 416);
  return concat(head, new Array(64).fill(0));
}

describePillowFormat('PIXAR', {
  format: 'pixar',
  sniff: sniffPixar,
  read: readPixarHeader,
  samples: () => [{ name: 'rgb', bytes: pixar(7, 5), current: { mode: 'RGB', width: 7, height: 5, frames: 1 } }],
});

describe('readPixarHeader', () => {
  it('layouts Pillow does not open, and empty sizes, fail cleanly', () => {
    expect(failure(() => readPixarHeader(src(pixar(7, 5, [14, 1])))).code).toBe('E_UNSUPPORTED_FEATURE');
    expect(failure(() => readPixarHeader(src(pixar(0, 5)))).code).toBe('E_DIMENSIONS');
  });
});
