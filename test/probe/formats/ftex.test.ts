import { describe, expect, it } from 'vitest';
import { readFtexHeader, sniffFtex } from '../../../src/probe/formats/ftex.js';
import { concat, le32, src, text } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';
import { describePillowFormat } from '../../helpers/pillow-formats.js';

function ftex(w: number, h: number, format: number, formats = 1, where = 32): Uint8Array {
  const data = format === 0 ? Math.ceil(w / 4) * Math.ceil(h / 4) * 8 : w * h * 3;
  return concat(text('FTEX'), le32(0x3f800000), le32(w), le32(h), le32(1), le32(formats), le32(format), le32(where), [
    ...le32(data),
    ...new Array(Math.max(0, Math.min(data, 256))).fill(0),
  ]);
}

describePillowFormat('FTEX', {
  format: 'ftex',
  sniff: sniffFtex,
  read: readFtexHeader,
  samples: () => [
    { name: 'DXT1', bytes: ftex(8, 4, 0), current: { mode: 'RGBA', width: 8, height: 4, frames: 1 } },
    { name: 'uncompressed', bytes: ftex(4, 2, 1), current: { mode: 'RGB', width: 4, height: 2, frames: 1 } },
  ],
});

describe('readFtexHeader', () => {
  it('notes the mipmap Pillow reads into memory at open', () => {
    expect(readFtexHeader(src(ftex(8, 4, 0))).notes?.[0]).toMatch(/first mipmap \(16 bytes\)/);
  });
  it('other format counts, formats, offsets and sizes fail cleanly', () => {
    expect(failure(() => readFtexHeader(src(ftex(8, 4, 0, 2)))).code).toBe('E_UNSUPPORTED_FEATURE');
    expect(failure(() => readFtexHeader(src(ftex(8, 4, 3)))).code).toBe('E_UNSUPPORTED_FEATURE');
    expect(failure(() => readFtexHeader(src(ftex(8, 4, 0, 1, -4)))).code).toBe('E_BAD_HEADER');
    expect(failure(() => readFtexHeader(src(ftex(8, 4, 0, 1, 2 ** 30)))).code).toBe('E_TRUNCATED');
    expect(failure(() => readFtexHeader(src(ftex(-8, 4, 0)))).code).toBe('E_DIMENSIONS');
  });
});
