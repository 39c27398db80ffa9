import { describe, expect, it } from 'vitest';
import { readHeader } from '../../../src/probe/detect.js';
import { readPcdHeader } from '../../../src/probe/formats/pcd.js';
import { ProbeFailure } from '../../../src/probe/failure.js';
import { concat, src, text } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';
import { hasPillow, PILLOW_9, PILLOW_CURRENT, pillowOpen } from '../../helpers/pillow-open.js';

/** An image pack's first sectors: 2048 bytes of 0xFF, then 'PCD_IPI' and the IPI header. */
function pcd(orientation: number): Uint8Array {
  const ipi = new Uint8Array(2048);
  ipi.set(text('PCD_IPI'));
  ipi[1538] = orientation;
  return concat(new Array(2048).fill(0xff), ipi, new Array(256).fill(0));
}

describe('readPcdHeader', () => {
  it('is found past the sniffed bytes, and sized 768x512 RGB', () => {
    expect(readPcdHeader(src(pcd(0)))).toMatchObject({ format: 'pcd', width: 768, height: 512, pillowMode: 'RGB' });
    expect(readHeader(src(pcd(0)))).toMatchObject({ format: 'pcd', width: 768, height: 512 });
  });
  it('a quarter turn is 512x768, with the note on what load() holds', () => {
    for (const o of [1, 3]) {
      const h = readPcdHeader(src(pcd(o)));
      expect([h.width, h.height]).toEqual([512, 768]);
      expect(h.notes?.[0]).toMatch(/Pillow 9 reports 768x512/);
    }
    expect(readPcdHeader(src(pcd(2)))).toMatchObject({ width: 768, height: 512 });
  });
  it.runIf(hasPillow(PILLOW_9))('agrees with Pillow 9.4 (768x512 at open whatever the turn)', () => {
    expect(pillowOpen(PILLOW_9, [pcd(0), pcd(1)])).toEqual([
      { mode: 'RGB', width: 768, height: 512, frames: 1 },
      { mode: 'RGB', width: 768, height: 512, frames: 1 },
    ]);
  });
  it.runIf(hasPillow(PILLOW_CURRENT))('agrees with the configured current Pillow', () => {
    const truth = pillowOpen(PILLOW_CURRENT, [pcd(0), pcd(1), pcd(3)]);
    expect(truth.map((t) => (typeof t === 'string' ? t : [t.width, t.height]))).toEqual([
      [768, 512],
      [512, 768],
      [512, 768],
    ]);
  });
  it('cut anywhere in the IPI header: a clean failure; without the signature: not an image', () => {
    const bytes = pcd(0);
    for (let cut = 2048; cut < 2048 + 1539; cut += 7) {
      expect(() => readPcdHeader(src(bytes.subarray(0, cut)))).toThrow(ProbeFailure);
    }
    expect(failure(() => readHeader(src(new Uint8Array(4096).fill(0xff)))).code).toBe('E_NOT_IMAGE');
  });
});
