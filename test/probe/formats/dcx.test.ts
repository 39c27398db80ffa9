import { describe, expect, it } from 'vitest';
import { readDcxHeader, sniffDcx } from '../../../src/probe/formats/dcx.js';
import { concat, le32, src } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';
import { describePillowFormat } from '../../helpers/pillow-formats.js';
import { pcx } from '../../helpers/pcx.js';

/** A DCX file holding the given PCX pages. */
function dcx(pages: Uint8Array[]): Uint8Array {
  let at = 4 + 4 * (pages.length + 1);
  const offsets = pages.map((p) => {
    const o = at;
    at += p.length;
    return le32(o);
  });
  return concat(le32(0x3ade68b1), ...offsets, le32(0), ...pages);
}

describePillowFormat('DCX', {
  format: 'dcx',
  sniff: sniffDcx,
  read: readDcxHeader,
  samples: () => [
    { name: 'one page', bytes: dcx([pcx(5, 8, 3, 9, 2)]), current: { mode: 'RGB', width: 9, height: 2, frames: 1 } },
    {
      name: 'three pages of two sizes',
      bytes: dcx([pcx(5, 1, 1, 10, 10), pcx(5, 1, 1, 30, 20), pcx(5, 1, 1, 10, 10)]),
      current: { mode: '1', width: 10, height: 10, frames: 3 },
    },
  ],
});

describe('readDcxHeader', () => {
  it('pages of other sizes are listed, so the largest counts', () => {
    const h = readDcxHeader(src(dcx([pcx(5, 1, 1, 10, 10), pcx(5, 8, 3, 30, 20)])));
    expect(h.otherPages).toEqual([{ width: 30, height: 20, channels: 3, bitsPerSample: 8 }]);
  });
  it('an empty page table, or one without its end, fails cleanly', () => {
    expect(failure(() => readDcxHeader(src(concat(le32(0x3ade68b1), le32(0))))).code).toBe('E_BAD_HEADER');
    expect(failure(() => readDcxHeader(src(concat(le32(0x3ade68b1), le32(8))))).code).toBe('E_TRUNCATED');
  });
  it('a page offset past the end, or a broken later page, is a failure or a note', () => {
    expect(failure(() => readDcxHeader(src(concat(le32(0x3ade68b1), le32(2 ** 31), le32(0))))).code).toBe(
      'E_TRUNCATED',
    );
    const h = readDcxHeader(src(dcx([pcx(5, 1, 1, 10, 10), new Uint8Array(200)])));
    expect(h.frames).toBe(2);
    expect(h.notes?.[0]).toMatch(/page 2/);
  });
  it('1024 pages pointing at one header read once each, within the bounds', () => {
    const page = pcx(5, 1, 1, 4, 4);
    const at = 4 + 4 * 1025;
    const bytes = concat(le32(0x3ade68b1), ...new Array(1024).fill(le32(at)), le32(0), page);
    expect(readDcxHeader(src(bytes)).frames).toBe(1024);
  });
});
