import { describe, expect, it } from 'vitest';
import { fitPlan, fitScale, fullPlan, peakOf, planAt, planForTarget } from '../../src/estimate/fit.js';
import type { Header } from '../../src/probe/header.js';

const jpeg: Header = { format: 'jpeg', width: 8000, height: 6000, channels: 3, bitsPerSample: 8, frames: 1 };
const baseline = { progressive: false };

describe('planForTarget follows sharp 0.35 shrink-on-load rules', () => {
  it('JPEG: 1/2 needs a shrink of 3, 1/4 of 5, 1/8 of 9 (libjpeg rounding guard)', () => {
    const shrinkFor = (k: number) =>
      planForTarget(jpeg, Math.floor(jpeg.width / k), Math.floor(jpeg.height / k)).shrink;
    expect([1.5, 2, 2.9, 3, 4, 4.9, 5, 8, 8.9, 9, 20].map(shrinkFor)).toEqual([1, 1, 1, 2, 2, 2, 4, 4, 4, 8, 8]);
  });
  it('JPEG loads at ceil(W/d) × ceil(H/d)', () => {
    const h: Header = { ...jpeg, width: 1001, height: 999 };
    expect(planAt(h, 2)).toMatchObject({ loadWidth: 501, loadHeight: 500 });
  });
  it('PNG never shrinks on load; WebP loads at the target size', () => {
    expect(planForTarget({ ...jpeg, format: 'png' }, 100, 75).shrink).toBe(1);
    expect(planForTarget({ ...jpeg, format: 'webp' }, 2000, 1500)).toMatchObject({ loadWidth: 2000, loadHeight: 1500 });
  });
});

describe('fitPlan picks the largest reduction that fits', () => {
  it('JPEG: a budget between the 1/4 and 1/2 peaks gives 1/4, with a target that makes sharp load at 1/4', () => {
    const p2 = peakOf(jpeg, baseline, planAt(jpeg, 2)).peakBytes;
    const p4 = peakOf(jpeg, baseline, planAt(jpeg, 4)).peakBytes;
    expect(p4).toBeLessThan(p2);
    for (const budget of [p4, (p4 + p2) / 2n, p2 - 1n]) {
      const fp = fitPlan(jpeg, baseline, budget)!;
      expect(fp.shrink).toBe(4);
      expect(fp.peak.peakBytes).toBeLessThanOrEqual(budget);
      expect(planForTarget(jpeg, fp.targetWidth, fp.targetHeight).shrink).toBe(4);
    }
    expect(fitPlan(jpeg, baseline, p2)!.shrink).toBe(2);
    expect(fitScale(jpeg, baseline, p2)).toBe(0.5);
  });
  it('JPEG: below the 1/8 peak nothing fits', () => {
    const p8 = peakOf(jpeg, baseline, planAt(jpeg, 8)).peakBytes;
    expect(fitPlan(jpeg, baseline, p8 - 1n)).toBeNull();
    expect(fitScale(jpeg, baseline, p8 - 1n)).toBeNull();
  });
  it('progressive JPEG: the coefficient buffers do not shrink with the IDCT scale', () => {
    const prog = {
      progressive: true,
      sampling: [
        [2, 2],
        [1, 1],
        [1, 1],
      ] as [number, number][],
    };
    const coef = (p: ReturnType<typeof peakOf>) => p.hidden.find((x) => x.what.includes('coefficient'))!.bytes;
    const full = peakOf(jpeg, prog, fullPlan(jpeg));
    const eighth = peakOf(jpeg, prog, planAt(jpeg, 8));
    // 4:2:0: luma 1000×750 blocks, chroma 500×375 blocks each, 64 coefficients × 2 bytes.
    expect(coef(full)).toBe((1000n * 750n + 2n * 500n * 375n) * 128n);
    expect(coef(eighth)).toBe(coef(full));
    expect(fitPlan(jpeg, prog, coef(full))).toBeNull();
  });
  it('WebP: any scale; the chosen width fits and one pixel more does not', () => {
    const webp: Header = { ...jpeg, format: 'webp' };
    const budget = peakOf(webp, {}, fullPlan(webp)).peakBytes / 7n;
    const fp = fitPlan(webp, {}, budget)!;
    expect(fp.peak.peakBytes).toBeLessThanOrEqual(budget);
    const th = Math.floor((webp.height * (fp.targetWidth + 1)) / webp.width);
    expect(peakOf(webp, {}, planForTarget(webp, fp.targetWidth + 1, th)).peakBytes).toBeGreaterThan(budget);
  });
  it('PNG: fits whole or not at all', () => {
    const png: Header = { ...jpeg, format: 'png' };
    const peak = peakOf(png, { interlaced: false }, fullPlan(png)).peakBytes;
    expect(fitScale(png, { interlaced: false }, peak)).toBe(1);
    expect(fitScale(png, { interlaced: false }, peak - 1n)).toBeNull();
  });
});
