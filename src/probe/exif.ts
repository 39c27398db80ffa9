import { u16be, u16le, u32be, u32le } from './bytes.js';
import type { ByteSource } from './source.js';

/**
 * The EXIF Orientation tag (0x0112) from a TIFF-structured EXIF block that starts at `offset`
 * (the byte-order mark "II"/"MM") and is `length` bytes long. Only IFD0 is read (CIPA DC-008
 * "Exif 2.32" §4.6.2, TIFF 6.0 §2). Returns undefined when absent or invalid: a broken EXIF block
 * never makes an image corrupt, as libvips ignores it too.
 */
export function readExifOrientation(src: ByteSource, offset: number, length: number): number | undefined {
  const value = readIfd0Tag(src, offset, length, 0x0112, true);
  return value !== undefined && value >= 1 && value <= 8 ? value : undefined;
}

/**
 * A SHORT or LONG tag of IFD0 (for a longer value: its offset) in a TIFF structure at `offset`,
 * `length` bytes long (TIFF 6.0 §2: byte order, 42, the IFD offset; 12-byte entries of tag, type,
 * count, value). Also read by MPF
 * (CIPA DC-007 §5.2: the MP Index IFD has the same layout). Undefined when absent or invalid.
 */
export function readIfd0Tag(
  src: ByteSource,
  offset: number,
  length: number,
  tag: number,
  /** Read the value as a SHORT whatever the type (how Orientation has always been read). */
  asShort = false,
): number | undefined {
  if (length < 8) return undefined;
  const head = src.read(offset, 8);
  if (head.length < 8) return undefined;
  const le = head[0] === 0x49 && head[1] === 0x49;
  const be = head[0] === 0x4d && head[1] === 0x4d;
  if (!le && !be) return undefined;
  const r16 = le ? u16le : u16be;
  const r32 = le ? u32le : u32be;
  if (r16(head, 2) !== 42) return undefined;
  const ifd = r32(head, 4);
  if (ifd + 2 > length) return undefined;
  const count = r16(src.read(offset + ifd, 2), 0);
  // Each entry is 12 bytes; read them in one go but never past the block.
  const n = Math.min(count, Math.floor((length - ifd - 2) / 12));
  const entries = src.read(offset + ifd + 2, n * 12);
  for (let i = 0; i + 12 <= entries.length; i += 12) {
    if (r16(entries, i) === tag) {
      const type = r16(entries, i + 2);
      // SHORT values sit in the first two bytes; LONG values, and the offsets of longer values, fill all four.
      return asShort || type === 3 ? r16(entries, i + 8) : r32(entries, i + 8);
    }
  }
  return undefined;
}
