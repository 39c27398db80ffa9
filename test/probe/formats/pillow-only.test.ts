import { describe, expect, it } from 'vitest';
import { readHeader } from '../../../src/probe/detect.js';
import { PILLOW_ONLY } from '../../../src/probe/formats/pillow-only.js';
import { be16, concat, src } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';
import { DECODER_TABLE } from '../../../src/estimate/decoders.js';

describe('formats only Pillow opens', () => {
  it('are recognised and sized; the decoder table says Pillow opens them and sharp does not', () => {
    const sgi = concat(be16(474), [0, 1], be16(3), be16(640), be16(480), be16(3), new Array(600).fill(0));
    const h = readHeader(src(sgi));
    expect([h.format, h.width, h.height, h.pillowMode]).toEqual(['sgi', 640, 480, 'RGB']);
    expect(DECODER_TABLE.sgi).toMatchObject({ sharp: false, pillow: 900 });
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
