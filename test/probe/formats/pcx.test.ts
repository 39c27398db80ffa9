import { describe, expect, it } from 'vitest';
import { readPcxHeader, sniffPcx } from '../../../src/probe/formats/pcx.js';
import { concat, src } from '../../helpers/bytes.js';
import { pcx } from '../../helpers/pcx.js';
import { failure } from '../../helpers/failure.js';
import { describePillowFormat } from '../../helpers/pillow-formats.js';

const greyRamp = concat([12], ...Array.from({ length: 256 }, (_, i) => [i, i, i]));
const colours = concat([12], ...Array.from({ length: 256 }, (_, i) => [i, 0, 255 - i]));

describePillowFormat('PCX', {
  format: 'pcx',
  sniff: sniffPcx,
  read: readPcxHeader,
  samples: () => [
    { name: '1-bit', bytes: pcx(5, 1, 1, 17, 3), current: { mode: '1', width: 17, height: 3, frames: 1 } },
    { name: '4 planes', bytes: pcx(2, 1, 4, 8, 8), current: { mode: 'P', width: 8, height: 8, frames: 1 } },
    {
      name: '8-bit, no palette',
      bytes: pcx(5, 8, 1, 6, 4, new Array(800).fill(0)),
      current: { mode: 'L', width: 6, height: 4, frames: 1 },
    },
    {
      name: '8-bit, grey ramp',
      bytes: pcx(5, 8, 1, 6, 4, [...greyRamp]),
      current: { mode: 'L', width: 6, height: 4, frames: 1 },
    },
    {
      name: '8-bit, palette',
      bytes: pcx(5, 8, 1, 6, 4, [...colours]),
      current: { mode: 'P', width: 6, height: 4, frames: 1 },
    },
    { name: 'rgb', bytes: pcx(5, 8, 3, 9, 2), current: { mode: 'RGB', width: 9, height: 2, frames: 1 } },
  ],
  written: {
    code: 'for m in ["1", "L", "P", "RGB"]: Image.new(m, (13, 11)).save(m + ".pcx")',
    names: ['1.pcx', 'L.pcx', 'P.pcx', 'RGB.pcx'],
  },
});

describe('readPcxHeader: hostile headers', () => {
  it('an empty or inverted window fails cleanly', () => {
    expect(failure(() => readPcxHeader(src(pcx(5, 8, 1, 0, 4)))).code).toBe('E_DIMENSIONS');
    const inverted = pcx(5, 8, 1, 4, 4);
    inverted[4] = 200; // Xmin past Xmax
    expect(failure(() => readPcxHeader(src(inverted))).code).toBe('E_DIMENSIONS');
  });
  it('layouts Pillow does not open are unsupported', () => {
    expect(failure(() => readPcxHeader(src(pcx(5, 4, 1, 4, 4)))).code).toBe('E_UNSUPPORTED_FEATURE');
    expect(failure(() => readPcxHeader(src(pcx(3, 8, 1, 4, 4)))).code).toBe('E_UNSUPPORTED_FEATURE');
  });
  it('an 8-bit file shorter than the palette Pillow seeks to is one Pillow cannot open', () => {
    expect(failure(() => readPcxHeader(src(pcx(5, 8, 1, 6, 4)))).code).toBe('E_TRUNCATED');
  });
  it('a text file starting with a newline is not PCX', () => {
    expect(sniffPcx(new Uint8Array(Buffer.from('\n\nhello')))).toBe(false);
  });
});
