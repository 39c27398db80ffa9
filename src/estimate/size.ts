import type { Header, PixelLayout } from '../probe/header.js';

/**
 * The decoded size of one frame: the larger of the image as libvips loads it
 * (width x height x channels x bytes per sample) and the raw buffer sharp returns after converting
 * to sRGB (same sample size, `outputChannels` bands). BigInt, so 2^32 x 2^32 x 4 x 8 is exact.
 */
export function decodedBytes(layout: PixelLayout): bigint {
  const bands = Math.max(layout.channels, layout.outputChannels ?? layout.channels);
  const sampleBytes = Math.ceil(layout.bitsPerSample / 8);
  return BigInt(layout.width) * BigInt(layout.height) * BigInt(bands) * BigInt(sampleBytes);
}

export interface Estimate {
  /** Bytes to decode the first frame/page. */
  decodedBytes: bigint;
  /** Bytes to decode every frame/page. */
  decodedBytesAllFrames: bigint;
}

export function estimate(header: Header): Estimate {
  const first = decodedBytes(header);
  let all: bigint;
  if (header.otherPages && header.otherPages.length > 0) {
    all = first;
    for (const page of header.otherPages) all += decodedBytes(page);
  } else {
    all = first * BigInt(Math.max(1, header.frames));
  }
  return { decodedBytes: first, decodedBytesAllFrames: all };
}

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A byte count as a JSON-safe Number. Exact up to 2^53 (8 PiB); above that, rounded up to the
 * next representable double so a reported size is never below the true one.
 */
export function toReportedBytes(n: bigint): number {
  const x = Number(n);
  if (n <= MAX_EXACT || BigInt(x) >= n) return x;
  // Number() rounded down: step to the next double above.
  const buf = new Float64Array([x]);
  const bits = new BigUint64Array(buf.buffer);
  bits[0] = bits[0]! + 1n;
  return buf[0]!;
}
