import { describe, expect, it } from 'vitest';
import { readImtHeader, sniffImt } from '../../../src/probe/formats/imt.js';
import { concat, src, text } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';
import { describePillowFormat } from '../../helpers/pillow-formats.js';

const imt = (s: string): Uint8Array => concat(text(s), [0x0c], new Array(64).fill(0));

describePillowFormat('IM Tools', {
  format: 'imt',
  sniff: sniffImt,
  read: readImtHeader,
  samples: () => [
    {
      name: 'plain',
      bytes: imt('width 7\nheight 5\npixel n8\n'),
      current: { mode: 'L', width: 7, height: 5, frames: 1 },
    },
    {
      name: 'comment first',
      bytes: imt('* made by hand\npixel n8\nheight 2\nwidth 3\n'),
      current: { mode: 'L', width: 3, height: 2, frames: 1 },
    },
  ],
});

describe('readImtHeader', () => {
  it('no pixel field, a bad number, no size fail cleanly', () => {
    expect(failure(() => readImtHeader(src(imt('width 7\nheight 5\n')))).code).toBe('E_UNSUPPORTED_FEATURE');
    expect(failure(() => readImtHeader(src(imt('width seven\nheight 5\npixel n8\n')))).code).toBe('E_BAD_HEADER');
    expect(failure(() => readImtHeader(src(imt('pixel n8\n')))).code).toBe('E_DIMENSIONS');
  });
  it('prose starting with "width" and no field after is not claimed by the sniff, or is refused', () => {
    expect(sniffImt(new Uint8Array(text('Widths of things\n')))).toBe(false);
    expect(failure(() => readImtHeader(src(new Uint8Array(text('width of the road is 5 m\nok\n'))))).code).toBe(
      'E_BAD_HEADER',
    );
  });
});
