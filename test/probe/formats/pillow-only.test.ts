import { describe, expect, it } from 'vitest';
import { readHeader } from '../../../src/probe/detect.js';
import { PILLOW_ONLY } from '../../../src/probe/formats/pillow-only.js';
import { be16, concat, src } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';

describe('formats only Pillow opens', () => {
  it('are recognised and sized; sharp cannot decode them, so the answer is unsupported naming the size', () => {
    const sgi = concat(be16(474), [0, 1], be16(3), be16(640), be16(480), be16(3), new Array(600).fill(0));
    const f = failure(() => readHeader(src(sgi)));
    expect(f.code).toBe('E_UNSUPPORTED_FORMAT');
    expect(f.format).toBe('sgi');
    expect(f.message).toMatch(/SGI image 640x480 \(Pillow mode RGB\)/);
  });
  it('a broken header of one of them is corrupt, not unsupported', () => {
    const sgi = concat(be16(474), [0, 1], be16(3), be16(0), be16(480), be16(3));
    expect(failure(() => readHeader(src(sgi))).status).toBe('corrupt');
  });
  it('each format has one reader', () => {
    const names = PILLOW_ONLY.map((f) => f.format);
    expect(new Set(names).size).toBe(names.length);
  });
});
