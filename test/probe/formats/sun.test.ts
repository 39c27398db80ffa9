import { describe, expect, it } from 'vitest';
import { readSunHeader, sniffSun } from '../../../src/probe/formats/sun.js';
import { be32, concat, src } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';
import { describePillowFormat } from '../../helpers/pillow-formats.js';

function sun(w: number, h: number, depth: number, type = 1, mapType = 0, map: number[] = []): Uint8Array {
  const head = concat(
    be32(0x59a66a95),
    be32(w),
    be32(h),
    be32(depth),
    be32(0),
    be32(type),
    be32(mapType),
    be32(map.length),
  );
  return concat(head, map, new Array(64).fill(0));
}
const rgbMap = Array.from({ length: 48 }, (_, i) => i * 5);

describePillowFormat('Sun raster', {
  format: 'sun',
  sniff: sniffSun,
  read: readSunHeader,
  samples: () => [
    { name: '1-bit', bytes: sun(17, 3, 1), current: { mode: '1', width: 17, height: 3, frames: 1 } },
    { name: '8-bit grey', bytes: sun(5, 4, 8), current: { mode: 'L', width: 5, height: 4, frames: 1 } },
    {
      name: '4-bit with map',
      bytes: sun(5, 4, 4, 1, 1, rgbMap),
      current: { mode: 'P', width: 5, height: 4, frames: 1 },
    },
    {
      name: '8-bit RLE with map',
      bytes: sun(5, 4, 8, 2, 1, rgbMap),
      current: { mode: 'P', width: 5, height: 4, frames: 1 },
    },
    { name: '24-bit', bytes: sun(6, 2, 24, 3), current: { mode: 'RGB', width: 6, height: 2, frames: 1 } },
    { name: '32-bit', bytes: sun(6, 2, 32), current: { mode: 'RGB', width: 6, height: 2, frames: 1 } },
  ],
});

describe('readSunHeader: hostile headers', () => {
  it('depths, types and maps Pillow does not open are unsupported', () => {
    expect(failure(() => readSunHeader(src(sun(5, 5, 16)))).code).toBe('E_UNSUPPORTED_FEATURE');
    expect(failure(() => readSunHeader(src(sun(5, 5, 8, 6)))).code).toBe('E_UNSUPPORTED_FEATURE');
    expect(failure(() => readSunHeader(src(sun(5, 5, 8, 1, 2, rgbMap)))).code).toBe('E_UNSUPPORTED_FEATURE');
  });
  it('zero and 2^31 sizes fail cleanly', () => {
    expect(failure(() => readSunHeader(src(sun(0, 5, 8)))).code).toBe('E_DIMENSIONS');
    expect(failure(() => readSunHeader(src(sun(2 ** 31, 5, 8)))).code).toBe('E_DIMENSIONS');
    expect(failure(() => readSunHeader(src(sun(5, 0xffffffff, 8)))).code).toBe('E_DIMENSIONS');
  });
});
