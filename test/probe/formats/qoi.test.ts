import { describe } from 'vitest';
import { be32, concat, text } from '../../helpers/bytes.js';
import { readerCases } from '../../helpers/reader-cases.js';

const qoi = (w: number, h: number, channels = 4): Uint8Array =>
  concat(text('qoif'), be32(w), be32(h), [channels, 0], new Uint8Array(8), [0, 0, 0, 0, 0, 0, 0, 1]);

describe('QOI', () => {
  readerCases(
    'qoi',
    () => [
      { name: 'RGBA', bytes: qoi(37, 23), expect: { pillowMode: 'RGBA', width: 37, height: 23, channels: 4 } },
      { name: 'RGB', bytes: qoi(37, 23, 3), expect: { pillowMode: 'RGB', channels: 3 } },
    ],
    () => [
      ['width 0', qoi(0, 5), 'E_DIMENSIONS'],
      ['height 2^32-1', qoi(5, 2 ** 32 - 1), 'E_DIMENSIONS'],
      ['the header cut at 13 bytes', qoi(5, 5).subarray(0, 13), 'E_NOT_IMAGE'],
    ],
  );
});
