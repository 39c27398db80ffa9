import { ascii, startsWith } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { pillowHeader } from './pillow-layout.js';

/** "P7 332": xv's thumbnail files (its visual schnauzer), 8-bit 3-3-2 colour. */
const XV_MAGIC = [0x50, 0x37, 0x20, 0x33, 0x33, 0x32];
/** The size line is looked for this far (xv writes a few comment lines before it). */
const MAX_HEADER = 64 * 1024;

export function sniffXvThumb(h: Uint8Array): boolean {
  return startsWith(h, XV_MAGIC);
}

/**
 * As Pillow's XVThumbImagePlugin reads it: the magic line, `#` comment lines, then "<width>
 * <height> <maxval>"; always mode P (a fixed 3-3-2 palette).
 */
export function readXvThumbHeader(src: ByteSource): Header {
  const text = ascii(src.read(0, MAX_HEADER), 0, MAX_HEADER);
  if (!text.startsWith('P7 332')) throw fail('xvthumb', 'E_BAD_SIGNATURE', 'not an XV thumbnail');
  const lines = text.split('\n');
  let i = 1;
  while (i < lines.length && lines[i]!.startsWith('#')) i++;
  // The last piece is empty at the end of the file, or may have been cut by the read bound.
  const last = i === lines.length - 1 && (lines[i] === '' || text.length === MAX_HEADER);
  if (i >= lines.length || last) throw fail('xvthumb', 'E_TRUNCATED', 'the file ends before the size line');
  const [w, h] = lines[i]!.trim().split(/\s+/);
  if (!/^[+-]?\d+$/.test(w ?? '') || !/^[+-]?\d+$/.test(h ?? '')) {
    throw fail(
      'xvthumb',
      'E_BAD_HEADER',
      `the size line is not two whole numbers: ${JSON.stringify(lines[i]!.slice(0, 40))}`,
    );
  }
  return pillowHeader('xvthumb', { width: Number(w), height: Number(h), mode: 'P' });
}
