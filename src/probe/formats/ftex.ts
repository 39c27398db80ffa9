import { ascii, i32le } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { pillowHeader } from './pillow-layout.js';

export function sniffFtex(h: Uint8Array): boolean {
  return ascii(h, 0, 4) === 'FTEX';
}

/**
 * FTEX texture (.ftc/.ftu, Independence War 2), as described in Pillow's FtexImagePlugin:
 * little-endian magic, version, width, height, mipmap count, format count (Pillow wants 1), then
 * format (0 DXT1: RGBA, 1 uncompressed: RGB) and the offset of the data, which starts with the
 * first mipmap's size. Pillow reads that whole mipmap into memory when it opens the file.
 */
export function readFtexHeader(src: ByteSource): Header {
  const h = src.need(0, 32, 'the FTEX header');
  if (!sniffFtex(h)) throw fail('ftex', 'E_BAD_SIGNATURE', 'not an FTEX header');
  if (i32le(h, 20) !== 1)
    throw fail('ftex', 'E_UNSUPPORTED_FEATURE', `${i32le(h, 20)} formats; Pillow reads files with 1`);
  const format = i32le(h, 24);
  if (format !== 0 && format !== 1) throw fail('ftex', 'E_UNSUPPORTED_FEATURE', `texture format ${format}`);
  const where = i32le(h, 28);
  if (where < 0) throw fail('ftex', 'E_BAD_HEADER', `the data offset ${where} is negative`);
  const mipmapBytes = i32le(src.need(where, 4, 'the first mipmap size'), 0);
  const notes =
    mipmapBytes > 0 ? [`Pillow reads the first mipmap (${mipmapBytes} bytes) into memory when it opens the file`] : [];
  return pillowHeader('ftex', { width: i32le(h, 8), height: i32le(h, 12), mode: format === 0 ? 'RGBA' : 'RGB', notes });
}
