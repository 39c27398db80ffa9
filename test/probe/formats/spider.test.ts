import { describe, expect, it } from 'vitest';
import { readSpiderHeader, sniffSpider } from '../../../src/probe/formats/spider.js';
import { src } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';
import { describePillowFormat } from '../../helpers/pillow-formats.js';

/** A SPIDER header of 27+ float words (1-based), big- or little-endian, record length nsam x 4. */
function spider(
  nsam: number,
  nrow: number,
  opts: { le?: boolean; iform?: number; stack?: number; maxim?: number } = {},
) {
  const lenbyt = nsam * 4;
  const labrec = Math.ceil(256 / lenbyt);
  const w = new Array(28).fill(0);
  Object.assign(w, { 1: 1, 2: nrow, 5: opts.iform ?? 1, 12: nsam, 13: labrec, 22: labrec * lenbyt, 23: lenbyt });
  w[24] = opts.stack ?? 0;
  w[26] = opts.maxim ?? 0;
  const bytes = new Uint8Array(Math.max(labrec * lenbyt, 108) + 64);
  const view = new DataView(bytes.buffer);
  for (let n = 1; n <= 27; n++) view.setFloat32((n - 1) * 4, w[n], opts.le ?? false);
  return bytes;
}

describePillowFormat('SPIDER', {
  format: 'spider',
  sniff: sniffSpider,
  read: readSpiderHeader,
  samples: () => [
    { name: 'big-endian', bytes: spider(16, 5), current: { mode: 'F', width: 16, height: 5, frames: 1 } },
    {
      name: 'little-endian',
      bytes: spider(30, 2, { le: true }),
      current: { mode: 'F', width: 30, height: 2, frames: 1 },
    },
    {
      name: 'stack of 3',
      bytes: spider(8, 8, { stack: 2, maxim: 3 }),
      current: { mode: 'F', width: 8, height: 8, frames: 3 },
    },
  ],
  written: { code: 'Image.new("F", (13, 11)).save("a.spider", format="SPIDER")', names: ['a.spider'] },
});

describe('readSpiderHeader: hostile headers', () => {
  it('volumes and inconsistent record lengths are refused', () => {
    expect(failure(() => readSpiderHeader(src(spider(8, 8, { iform: 3 })))).code).toBe('E_UNSUPPORTED_FEATURE');
    const bad = spider(8, 8);
    new DataView(bad.buffer).setFloat32(21 * 4, 7);
    expect(failure(() => readSpiderHeader(src(bad))).code).toBe('E_BAD_HEADER');
  });
  it('NaN and infinite words are not whole numbers', () => {
    const nan = spider(8, 8);
    new DataView(nan.buffer).setFloat32(4, Number.NaN);
    expect(sniffSpider(nan)).toBe(false);
    new DataView(nan.buffer).setFloat32(4, Number.POSITIVE_INFINITY);
    expect(sniffSpider(nan)).toBe(false);
  });
  it('a 2^31 or negative size fails cleanly', () => {
    expect(failure(() => readSpiderHeader(src(spider(8, 2 ** 31)))).code).toBe('E_DIMENSIONS');
    expect(failure(() => readSpiderHeader(src(spider(8, -3)))).code).toBe('E_DIMENSIONS');
  });
});
