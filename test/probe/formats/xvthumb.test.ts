import { describe, expect, it } from 'vitest';
import { readXvThumbHeader, sniffXvThumb } from '../../../src/probe/formats/xvthumb.js';
import { concat, src, text } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';
import { describePillowFormat } from '../../helpers/pillow-formats.js';

const xv = (s: string): Uint8Array => concat(text(s), new Array(64).fill(7));

describePillowFormat('XV thumbnail', {
  format: 'xvthumb',
  sniff: sniffXvThumb,
  read: readXvThumbHeader,
  samples: () => [
    {
      name: 'as xv writes it',
      bytes: xv('P7 332\n#XVVERSION:Version 3.10a\n#IMGINFO:80x60 RGB\n#END_OF_COMMENTS\n8 6 255\n'),
      current: { mode: 'P', width: 8, height: 6, frames: 1 },
    },
    { name: 'no comments', bytes: xv('P7 332\n4 2 255\n'), current: { mode: 'P', width: 4, height: 2, frames: 1 } },
  ],
});

describe('readXvThumbHeader', () => {
  it('a missing or broken size line fails cleanly', () => {
    expect(failure(() => readXvThumbHeader(src(new Uint8Array(text('P7 332\n#only comments\n'))))).code).toBe(
      'E_TRUNCATED',
    );
    expect(failure(() => readXvThumbHeader(src(xv('P7 332\n\n4 2 255\n')))).code).toBe('E_BAD_HEADER');
    expect(failure(() => readXvThumbHeader(src(xv('P7 332\n4x2 255\n')))).code).toBe('E_BAD_HEADER');
    expect(failure(() => readXvThumbHeader(src(xv('P7 332\n0 2 255\n')))).code).toBe('E_DIMENSIONS');
  });
});
