import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeLimits } from '../../src/budget/limits.js';
import { checkSync } from '../../src/check.js';
import { be32, makePng, pngChunk } from '../helpers/bytes.js';
import { tempDir } from '../helpers/sharp.js';

const { dir, cleanup } = tempDir('imgguard-limits-');
afterAll(cleanup);

let n = 0;
function png(width: number, height: number, frames = 1): string {
  const chunks = frames > 1 ? [pngChunk('acTL', [...be32(frames), ...be32(0)])] : [];
  const file = join(dir, `img-${n++}.png`);
  writeFileSync(file, makePng({ width, height, chunks }));
  return file;
}

const HUGE = 1n << 60n; // a budget nothing here reaches: only the limits decide

describe('limits beside the budget', () => {
  const file = png(300, 200, 5);

  it('each exceeded limit gives over_budget and names the limit', () => {
    const cases: [object, string][] = [
      [{ maxPixels: 59_999 }, '--max-pixels'],
      [{ maxWidth: 299 }, '--max-width'],
      [{ maxHeight: 199 }, '--max-height'],
      [{ maxFrames: 4 }, '--max-frames'],
      [{ maxFileSize: 10 }, '--max-file-size'],
    ];
    for (const [imageLimits, flag] of cases) {
      const r = checkSync(file, { budget: HUGE, imageLimits });
      expect(r.status).toBe('over_budget');
      expect(r.limits).toEqual([flag]);
      expect(r.reason).toContain(flag);
    }
  });

  it('values at the limit pass', () => {
    const r = checkSync(file, {
      budget: HUGE,
      imageLimits: { maxPixels: 60_000, maxWidth: 300, maxHeight: 200, maxFrames: 5, maxFileSize: 1 << 20 },
    });
    expect(r.status).toBe('ok');
    expect(r.reason).toBeNull();
    expect(r.limits).toBeUndefined();
  });

  it('several exceeded limits and the budget are all named', () => {
    const r = checkSync(file, { budget: 1000, imageLimits: { maxWidth: 10, maxHeight: 10 } });
    expect(r.limits).toEqual(['--max-width', '--max-height']);
    expect(r.reason).toMatch(
      /width 300 is over --max-width 10; height 200 is over --max-height 10; decodes to .* over the budget/,
    );
  });

  it('pixel counts are exact beyond 2^53', () => {
    const v = judgeLimits({ width: 2 ** 31 - 1, height: 2 ** 31 - 1, frames: 1 }, null, {
      maxPixels: Number.MAX_SAFE_INTEGER,
    });
    expect(v.exceeded).toEqual(['--max-pixels']);
  });

  it('file size is not judged for pipes (no size)', () => {
    expect(judgeLimits({ width: 1, height: 1, frames: 1 }, null, { maxFileSize: 0 }).exceeded).toEqual([]);
  });
});

describe('--pillow-compat: Pillow decompression-bomb thresholds', () => {
  // MAX_IMAGE_PIXELS = 89,478,485 = 5 × 17,895,697; the error level is twice that.
  const pillowCompat = { pillowCompat: true };
  it('at MAX_IMAGE_PIXELS: ok, no warning', () => {
    const r = checkSync(png(5, 17_895_697), { budget: HUGE, imageLimits: pillowCompat });
    expect(r.status).toBe('ok');
    expect(r.warnings).toBeUndefined();
  });
  it('one pixel above: ok with a DecompressionBombWarning warning', () => {
    const r = checkSync(png(1, 89_478_486), { budget: HUGE, imageLimits: pillowCompat });
    expect(r.status).toBe('ok');
    expect(r.warnings?.[0]).toContain('DecompressionBombWarning');
  });
  it('at 2 × MAX_IMAGE_PIXELS: still only a warning', () => {
    const r = checkSync(png(10, 17_895_697), { budget: HUGE, imageLimits: pillowCompat });
    expect(r.status).toBe('ok');
    expect(r.warnings).toHaveLength(1);
  });
  it('one pixel above 2 × MAX_IMAGE_PIXELS: over_budget, DecompressionBombError', () => {
    const r = checkSync(png(1, 178_956_971), { budget: HUGE, imageLimits: pillowCompat });
    expect(r.status).toBe('over_budget');
    expect(r.limits).toEqual(['--pillow-compat']);
    expect(r.reason).toContain('DecompressionBombError');
  });
  it('without the preset the same image is only judged on memory', () => {
    expect(checkSync(png(1, 178_956_971), { budget: HUGE }).status).toBe('ok');
  });
});
