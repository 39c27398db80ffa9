import { describe, expect, it } from 'vitest';
import { readXbmHeader, sniffXbm } from '../../../src/probe/formats/xbm.js';
import { src, text } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';
import { describePillowFormat } from '../../helpers/pillow-formats.js';

const xbm = (s: string): Uint8Array => new Uint8Array(text(s));
const BITS = 'static char im_bits[] = {\n0x00, 0x01, 0x02, 0x03,\n0x04, 0x05, 0x06, 0x07 };\n';

describePillowFormat('XBM', {
  format: 'xbm',
  sniff: sniffXbm,
  read: readXbmHeader,
  samples: () => [
    {
      name: 'plain',
      bytes: xbm(`#define im_width 16\n#define im_height 4\n${BITS}`),
      current: { mode: '1', width: 16, height: 4, frames: 1 },
    },
    {
      name: 'hotspot, CRLF, leading blank line',
      bytes: xbm(
        `\n#define cursor_width 8\r\n#define cursor_height 8\r\n#define cursor_x_hot 1\r\n#define cursor_y_hot ` +
          `2\r\n${BITS}`,
      ),
      current: { mode: '1', width: 8, height: 8, frames: 1 },
    },
  ],
  written: { code: 'Image.new("1", (13, 11)).save("a.xbm")', names: ['a.xbm'] },
});

describe('readXbmHeader: not every #define is a bitmap', () => {
  it('a C header with _width defines but no _bits[] array is a failure, not a size', () => {
    expect(failure(() => readXbmHeader(src(xbm('#define BUF_width 10\n#define BUF_height 3\nint x;\n')))).code).toBe(
      'E_BAD_HEADER',
    );
    expect(sniffXbm(xbm('#define BUFFER 10\n'))).toBe(false);
  });
  it('a size too large for Pillow fails cleanly', () => {
    const huge = xbm(`#define im_width 99999999999\n#define im_height 4\n${BITS}`);
    expect(failure(() => readXbmHeader(src(huge))).code).toBe('E_DIMENSIONS');
  });
});
