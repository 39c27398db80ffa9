import { describe, expect, it } from 'vitest';
import { readSgiHeader, sniffSgi } from '../../../src/probe/formats/sgi.js';
import { be16, concat, src } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';
import { describePillowFormat } from '../../helpers/pillow-formats.js';

/** A 512-byte SGI header and a little verbatim pixel data. */
const sgi = (bpc: number, dimension: number, x: number, y: number, z: number, storage = 0): Uint8Array =>
  concat(
    be16(474),
    [storage, bpc],
    be16(dimension),
    be16(x),
    be16(y),
    be16(z),
    new Array(500 + Math.min(x * y * z * bpc, 256)).fill(0),
  );

describePillowFormat('SGI', {
  format: 'sgi',
  sniff: sniffSgi,
  read: readSgiHeader,
  samples: () => [
    { name: 'grey', bytes: sgi(1, 2, 7, 5, 1), current: { mode: 'L', width: 7, height: 5, frames: 1 } },
    { name: 'one row', bytes: sgi(1, 1, 9, 1, 1), current: { mode: 'L', width: 9, height: 1, frames: 1 } },
    { name: '16-bit grey', bytes: sgi(2, 2, 4, 3, 1), current: { mode: 'L', width: 4, height: 3, frames: 1 } },
    { name: 'rgb', bytes: sgi(1, 3, 6, 2, 3), current: { mode: 'RGB', width: 6, height: 2, frames: 1 } },
    { name: 'rgba 16-bit', bytes: sgi(2, 3, 3, 3, 4), current: { mode: 'RGBA', width: 3, height: 3, frames: 1 } },
  ],
  written: {
    code: 'for m in ["L", "RGB", "RGBA"]: Image.new(m, (13, 11)).save(m + ".sgi")',
    names: ['L.sgi', 'RGB.sgi', 'RGBA.sgi'],
  },
});

describe('readSgiHeader: hostile headers', () => {
  it('zero sizes and channel counts Pillow does not open fail cleanly', () => {
    expect(failure(() => readSgiHeader(src(sgi(1, 2, 0, 5, 1)))).code).toBe('E_DIMENSIONS');
    expect(failure(() => readSgiHeader(src(sgi(1, 3, 5, 5, 2)))).code).toBe('E_UNSUPPORTED_FEATURE');
    expect(failure(() => readSgiHeader(src(sgi(1, 2, 5, 5, 3)))).code).toBe('E_UNSUPPORTED_FEATURE');
  });
  it('the sniff wants a storage, depth and dimension the spec defines', () => {
    expect(sniffSgi(sgi(3, 2, 5, 5, 1))).toBe(false);
    expect(sniffSgi(sgi(1, 4, 5, 5, 1))).toBe(false);
    expect(sniffSgi(sgi(1, 2, 5, 5, 1, 2))).toBe(false);
  });
  it('the largest header sizes are read as they are', () => {
    expect(readSgiHeader(src(sgi(1, 3, 65535, 65535, 3).subarray(0, 512)))).toMatchObject({
      width: 65535,
      height: 65535,
    });
  });
});
