import { describe, expect, it } from 'vitest';
import { decodedBytes, estimate, toReportedBytes } from '../../src/estimate/size.js';

describe('decodedBytes', () => {
  it('takes the larger of loaded and sRGB output bands', () => {
    expect(decodedBytes({ width: 10, height: 10, channels: 1, bitsPerSample: 8, outputChannels: 3 })).toBe(300n);
    expect(decodedBytes({ width: 10, height: 10, channels: 4, bitsPerSample: 8, outputChannels: 3 })).toBe(400n);
    expect(decodedBytes({ width: 10, height: 10, channels: 2, bitsPerSample: 16, outputChannels: 4 })).toBe(800n);
  });
  it('is exact for 2^32 x 2^32 x 4 bands x 8 bytes', () => {
    const side = 2 ** 32 - 1;
    expect(decodedBytes({ width: side, height: side, channels: 4, bitsPerSample: 64 })).toBe(
      BigInt(side) * BigInt(side) * 32n,
    );
  });
});

describe('estimate', () => {
  it('multiplies a shared canvas by the frame count', () => {
    const e = estimate({ format: 'gif', width: 100, height: 50, channels: 4, bitsPerSample: 8, frames: 7 });
    expect(e).toEqual({ decodedBytes: 20000n, decodedBytesAllFrames: 140000n });
  });
  it('sums pages of different layouts', () => {
    const e = estimate({
      format: 'tiff',
      width: 10,
      height: 10,
      channels: 1,
      bitsPerSample: 8,
      outputChannels: 3,
      frames: 2,
      otherPages: [{ width: 100, height: 100, channels: 3, bitsPerSample: 16 }],
    });
    expect(e).toEqual({ decodedBytes: 300n, decodedBytesAllFrames: 300n + 60000n });
  });
});

describe('toReportedBytes', () => {
  it('is exact up to 2^53', () => {
    expect(toReportedBytes(2n ** 53n)).toBe(2 ** 53);
    expect(toReportedBytes(12345n)).toBe(12345);
  });
  it('never reports less than the true size above 2^53', () => {
    for (const n of [2n ** 53n + 1n, 2n ** 64n + 12345n, (2n ** 32n - 1n) ** 2n * 32n]) {
      const r = toReportedBytes(n);
      expect(BigInt(r) >= n).toBe(true);
      expect(Number.isInteger(r)).toBe(true);
    }
  });
});
