import { describe, expect, it } from 'vitest';
import { readFliHeader, sniffFli } from '../../../src/probe/formats/fli.js';
import { concat, le16, le32, src } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';
import { describePillowFormat } from '../../helpers/pillow-formats.js';

/** A FLIC header, then one empty frame chunk (size 16, type 0xF1FA, no sub-chunks). */
function fli(magic: number, frames: number, w: number, h: number, flags = 3): Uint8Array {
  const head = concat(le32(0), le16(magic), le16(frames), le16(w), le16(h), le16(8), le16(flags), le32(5));
  const frame = concat(le32(16), le16(0xf1fa), le16(0), new Array(8).fill(0));
  return concat(head, new Array(128 - head.length).fill(0), frame, frame);
}

describePillowFormat('FLI/FLC', {
  format: 'fli',
  sniff: sniffFli,
  read: readFliHeader,
  samples: () => [
    { name: 'FLI', bytes: fli(0xaf11, 1, 320, 200), current: { mode: 'P', width: 320, height: 200, frames: 1 } },
    {
      name: 'FLC, 2 frames',
      bytes: fli(0xaf12, 2, 64, 48, 0),
      current: { mode: 'P', width: 64, height: 48, frames: 2 },
    },
  ],
});

describe('readFliHeader: hostile headers', () => {
  it('no frames, no size, or flags Pillow refuses fail cleanly; set reserved bytes are a note', () => {
    expect(failure(() => readFliHeader(src(fli(0xaf12, 0, 64, 48)))).code).toBe('E_BAD_HEADER');
    expect(failure(() => readFliHeader(src(fli(0xaf12, 1, 0, 48)))).code).toBe('E_DIMENSIONS');
    expect(failure(() => readFliHeader(src(fli(0xaf12, 1, 8, 8, 7)))).code).toBe('E_UNSUPPORTED_FEATURE');
    const reserved = fli(0xaf12, 1, 8, 8);
    reserved[50] = 1;
    expect(readFliHeader(src(reserved)).notes?.[0]).toMatch(/Pillow 12 does not open it/);
  });
});
