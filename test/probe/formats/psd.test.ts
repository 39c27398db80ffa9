import { describe } from 'vitest';
import { be16, be32, concat, text } from '../../helpers/bytes.js';
import { psd } from '../../helpers/pillow-handmade.js';
import { readerCases } from '../../helpers/reader-cases.js';

const W = 37;
const H = 23;
const head = (w: number, h: number, channels = 3, depth = 8, mode = 3): Uint8Array =>
  concat(text('8BPS'), be16(1), new Uint8Array(6), be16(channels), be32(h), be32(w), be16(depth), be16(mode));

describe('PSD', () => {
  readerCases(
    'psd',
    () => [
      {
        name: 'RGB',
        bytes: psd({ width: W, height: H, channels: 3, depth: 8, mode: 3 }),
        expect: { pillowMode: 'RGB', width: W, height: H },
      },
      {
        name: 'RGB with a fourth channel',
        bytes: psd({ width: W, height: H, channels: 4, depth: 8, mode: 3 }),
        expect: { pillowMode: 'RGBA' },
      },
      {
        name: 'CMYK',
        bytes: psd({ width: W, height: H, channels: 4, depth: 8, mode: 4 }),
        expect: { pillowMode: 'CMYK' },
      },
      {
        name: 'bitmap',
        bytes: psd({ width: W, height: H, channels: 1, depth: 1, mode: 0 }),
        expect: { pillowMode: '1' },
      },
      {
        name: 'indexed',
        bytes: psd({ width: W, height: H, channels: 1, depth: 8, mode: 2 }),
        expect: { pillowMode: 'P' },
      },
      {
        name: 'Lab',
        bytes: psd({ width: W, height: H, channels: 3, depth: 8, mode: 9 }),
        expect: { pillowMode: 'LAB' },
      },
      {
        name: '3 layers: 3 frames for Pillow',
        bytes: psd({ width: W, height: H, channels: 3, depth: 8, mode: 3, layers: 3 }),
        expect: { pillowFrames: 3, frames: 3 },
      },
      {
        name: '16-bit: sized, refused by Pillow',
        bytes: psd({ width: W, height: H, channels: 3, depth: 16, mode: 3 }),
        expect: { bitsPerSample: 16, pillowRefusal: 'Pillow does not read 16-bit RGB PSD files' },
      },
      {
        name: 'PSB: sized, refused by Pillow',
        bytes: psd({ width: W, height: H, channels: 3, depth: 8, mode: 3, version: 2 }),
        expect: { width: W, pillowRefusal: 'Pillow reads PSD (version 1), not PSB' },
      },
    ],
    () => [
      ['width 0', head(0, 5), 'E_DIMENSIONS'],
      ['width 2^32-1', head(2 ** 32 - 1, 5), 'E_DIMENSIONS'],
      ['0 channels', head(5, 5, 0), 'E_BAD_HEADER'],
      ['depth 7', head(5, 5, 3, 7), 'E_BAD_HEADER'],
      // Section lengths that point far past the end: the file is cut off before its image data.
      ['section lengths of 4 GiB', concat(head(5, 5), be32(0xfffffff0), be32(0xfffffff0)), 'E_TRUNCATED'],
      // A layer count the layer info is too short for (Pillow refuses to count it): no frames claimed.
      [
        '32767 layers in 10 bytes',
        concat(head(5, 5), be32(0), be32(0), be32(14), be32(10), be16(32767), new Uint8Array(8)),
        'a header 5x5',
      ],
    ],
  );
});
