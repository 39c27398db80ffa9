import { describe, expect, it } from 'vitest';
import { readMcidasHeader, sniffMcidas } from '../../../src/probe/formats/mcidas.js';
import { be32, concat, src } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';
import { describePillowFormat, describeReleases } from '../../helpers/pillow-formats.js';

/** A 64-word area directory: lines, elements, bytes per element; the data right after it. */
function area(lines: number, elements: number, bytes: number): Uint8Array {
  const w = new Array(65).fill(0);
  w[2] = 4;
  w[9] = lines;
  w[10] = elements;
  w[11] = bytes;
  w[14] = 1;
  w[34] = 256;
  return concat(...w.slice(1).map(be32), new Array(Math.max(0, Math.min(lines * elements * bytes, 512))).fill(0));
}

describePillowFormat('McIDAS area', {
  format: 'mcidas',
  sniff: sniffMcidas,
  read: readMcidasHeader,
  samples: () => [
    { name: '1 byte', bytes: area(5, 7, 1), current: { mode: 'L', width: 7, height: 5, frames: 1 } },
    { name: '2 bytes', bytes: area(5, 7, 2), current: { mode: 'I;16B', width: 7, height: 5, frames: 1 } },
    { name: '4 bytes', bytes: area(3, 2, 4), current: { mode: 'I', width: 2, height: 3, frames: 1 } },
  ],
});

describeReleases('McIDAS area', readMcidasHeader, [
  { name: '2 bytes per element', bytes: area(5, 7, 2), modes: ['I', 'I;16B', 'I;16B'] },
]);

describe('readMcidasHeader: hostile headers', () => {
  it('other element sizes, negative and zero sizes fail cleanly', () => {
    expect(failure(() => readMcidasHeader(src(area(5, 7, 3)))).code).toBe('E_UNSUPPORTED_FEATURE');
    expect(failure(() => readMcidasHeader(src(area(-5, 7, 1)))).code).toBe('E_DIMENSIONS');
    expect(failure(() => readMcidasHeader(src(area(5, 0, 1)))).code).toBe('E_DIMENSIONS');
  });
});
