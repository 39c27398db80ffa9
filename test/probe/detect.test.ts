/**
 * readHeader: the format comes from the bytes, and every reader's header comes out with the same
 * fields in the same order (one object shape for the code downstream).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readHeader } from '../../src/probe/detect.js';
import { bufferSource } from '../../src/probe/source.js';

const SAMPLES = fileURLToPath(new URL('../../samples/', import.meta.url));
const headers = readdirSync(SAMPLES)
  .filter((f) => !f.startsWith('notes') && !f.startsWith('truncated'))
  .map((f) => [f, readHeader(bufferSource(readFileSync(SAMPLES + f)))] as const);

describe('readHeader', () => {
  it('reads every sample format', () => {
    expect(new Set(headers.map(([, h]) => h.format))).toEqual(
      new Set(['gif', 'svg', 'png', 'tiff', 'avif', 'jpeg', 'webp']),
    );
  });
  it('gives every format the same fields in the same order', () => {
    const [first, ...rest] = headers.map(([f, h]) => [f, Object.keys(h).join(',')] as const);
    for (const [f, keys] of rest) expect(keys, f).toBe(first![1]);
    expect(first![1].split(',')).toContain('interlaced');
  });
});
