import { u16le } from '../bytes.js';
import { fail, ProbeFailure } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';

/** libvips (and libnsgif) accept any "GIF8" signature: GIF87a, GIF89a and odd variants alike. */
export const GIF_SIGNATURE = [0x47, 0x49, 0x46, 0x38];

/** Bytes fetched per read while walking the blocks: the walk is O(file), so reads are large. */
const WINDOW = 64 * 1024;
/** How far back of a refill the window starts. */
const LOOK_BACK = 16;
/** The fewest bytes a complete frame can take: descriptor (10), LZW code size (1), terminator (1). */
const MIN_FRAME_BYTES = 12;
/** libnsgif rejects an LZW minimum code size of 12 or more (codes are at most 12 bits). */
const LZW_CODE_MAX = 12;

/**
 * Logical screen sizes that libnsgif distrusts: images saved with the creator's screen size. For
 * these, for a zero dimension, and for either dimension above 2048, the canvas starts at 1x1 and
 * the first frame alone sets it.
 */
const DISTRUSTED_SCREENS = [
  [640, 480],
  [640, 512],
  [800, 600],
  [1024, 768],
  [1280, 1024],
  [1600, 1200],
];

/** A cursor over the file that refills a large window, returning -1 past the end of the file. */
class Cursor {
  private buf: Uint8Array = new Uint8Array(0);
  private start = 0;
  constructor(private readonly src: ByteSource) {}
  at(pos: number): number {
    if (pos < this.start || pos >= this.start + this.buf.length) {
      if (pos >= this.src.size) return -1;
      // Start a little before `pos`: the walk looks back a few bytes (a descriptor's first byte
      // after checking its tenth), and must not re-read a whole window for that.
      const start = Math.max(0, pos - LOOK_BACK);
      this.buf = this.src.read(start, WINDOW);
      this.start = start;
      if (pos >= start + this.buf.length) return -1;
      return this.buf[pos - start]!;
    }
    return this.buf[pos - this.start]!;
  }
}

/** Why the block walk stopped: the trailer or the end of the data (libnsgif: END_OF_DATA). */
type WalkEnd = { kind: 'end' } | { kind: 'cap'; at: number; failure: ProbeFailure };

/**
 * GIF87a/GIF89a (GIF89a specification §17 data stream, §18 header, §19 logical screen descriptor,
 * §20 image descriptor, §21 local colour table, §22 table-based image data, §23 graphic control
 * extension, §24-§26 other extensions, §27 trailer), as libvips loads it through libnsgif:
 *
 * - The canvas is the logical screen, except that a screen of 0 or more than 2048 in either
 *   dimension, or one of a few common monitor sizes, is replaced by 1x1; then the FIRST frame's
 *   extent (left + width, top + height) enlarges the canvas. So a 1x1 screen with a 500x500 frame
 *   at (19000, 19000) loads as 19500x19500.
 * - 3 bands, or 4 when any complete frame has a graphic control extension with the transparency
 *   flag; always 8-bit.
 * - Frames are the image descriptors with their data (sub-blocks through the terminator). A file
 *   cut inside a later frame keeps it once 3 bytes of its data are present (libnsgif's scan),
 *   transparency included; one cut before the first frame's terminator fails (libvips decodes
 *   it), and so does a byte other than an extension or image separator where a frame starts
 *   (when 10 or more bytes are left; fewer are the end of the data).
 *
 * Counting frames needs every block's length byte, so the walk reads the whole file in large
 * windows. When the source's byte cap stops it, the frame count and bands are bounded from above
 * (4 bands; every remaining 12 bytes one more frame) and a note says so.
 */
export function readGifHeader(src: ByteSource): Header {
  const head = src.need(0, 13, 'the GIF header and logical screen descriptor');
  if (head[0] !== 0x47 || head[1] !== 0x49 || head[2] !== 0x46 || head[3] !== 0x38) {
    throw fail('gif', 'E_BAD_SIGNATURE', 'not a GIF signature');
  }
  let width = u16le(head, 6);
  let height = u16le(head, 8);
  if (
    width === 0 ||
    height === 0 ||
    width > 2048 ||
    height > 2048 ||
    DISTRUSTED_SCREENS.some(([w, h]) => w === width && h === height)
  ) {
    width = 1;
    height = 1;
  }
  const screenFlags = head[10]!;
  let pos = 13 + (screenFlags & 0x80 ? 3 << ((screenFlags & 7) + 1) : 0);
  if (pos >= src.size) throw fail('gif', 'E_TRUNCATED', 'the file ends before the first frame');

  const c = new Cursor(src);
  let frames = 0;
  let transparent = false;
  let sawDescriptor = false;
  let end: WalkEnd = { kind: 'end' };

  /** Skips data sub-blocks from `p` (§15); the position after the terminator, or -1 at the end. */
  const skipSubBlocks = (p: number): number => {
    for (;;) {
      const n = c.at(p);
      if (n < 0) return -1;
      p += n + 1;
      if (n === 0) return p;
    }
  };

  try {
    // Every step advances `pos` by at least one byte, and every byte comes through the bounded
    // source, so the walk ends within the file size and the source's caps.
    walk: for (;;) {
      const first = c.at(pos);
      if (first < 0 || first === 0x3b) break; // end of data, or the trailer (§27)
      let frameTransparent = false;
      // Extensions before the frame (§23-§26). libnsgif reads the graphic control flags at the
      // label + 2, whatever the block size says.
      while (c.at(pos) === 0x21) {
        const label = c.at(pos + 1);
        if (label < 0) break walk;
        if (label === 0xf9) {
          if (c.at(pos + 6) < 0) break walk;
          if (c.at(pos + 3) & 1) frameTransparent = true;
        }
        const next = skipSubBlocks(pos + 2);
        if (next < 0) break walk;
        pos = next;
      }
      // The image descriptor (§20): fewer than 10 bytes left is the end of the data.
      if (c.at(pos + 9) < 0) break;
      if (c.at(pos) !== 0x2c) {
        throw fail('gif', 'E_BAD_HEADER', `byte ${pos} is neither an extension nor an image separator`);
      }
      const d = src.read(pos, 10);
      const left = u16le(d, 1);
      const top = u16le(d, 3);
      const frameWidth = u16le(d, 5);
      const frameHeight = u16le(d, 7);
      const flags = d[9]!;
      if (!sawDescriptor) {
        sawDescriptor = true;
        width = Math.max(width, left + frameWidth);
        height = Math.max(height, top + frameHeight);
      }
      pos += 10 + (flags & 0x80 ? 3 << ((flags & 7) + 1) : 0);
      const codeSize = c.at(pos);
      if (codeSize < 0) break;
      if (codeSize >= LZW_CODE_MAX)
        throw fail('gif', 'E_BAD_HEADER', `LZW minimum code size ${codeSize} at byte ${pos}`);
      const next = skipSubBlocks(pos + 1);
      if (next < 0) {
        // The file ends inside this frame's data. libvips decodes the first frame whole, so a cut
        // there fails; libnsgif still counts a later frame once 3 bytes of its data (code size,
        // a block length and one byte) are in the file.
        if (frames > 0 && c.at(pos + 2) >= 0) {
          frames++;
          if (frameTransparent) transparent = true;
        }
        break;
      }
      pos = next;
      frames++;
      if (frameTransparent) transparent = true;
    }
  } catch (e) {
    if (!(e instanceof ProbeFailure) || e.code !== 'E_HEADER_TOO_LARGE' || !sawDescriptor) throw e;
    end = { kind: 'cap', at: pos, failure: e };
  }

  if (end.kind === 'cap') {
    const left = Number.isFinite(src.size) ? Math.floor(Math.max(0, src.size - end.at) / MIN_FRAME_BYTES) : 0;
    const bound = Math.max(1, frames + left);
    return {
      format: 'gif',
      width,
      height,
      channels: 4,
      bitsPerSample: 8,
      frames: bound,
      space: 'srgb',
      notes: [
        `the GIF is too long to walk within the read cap (${end.failure.message}); ` +
          `assumed transparency (4 bands) and at most ${bound} ` +
          `frames${Number.isFinite(src.size) ? '' : ' (at least; the size is unknown)'}`,
      ],
    };
  }
  if (frames === 0) throw fail('gif', 'E_TRUNCATED', 'the file ends before the first complete frame');
  return { format: 'gif', width, height, channels: transparent ? 4 : 3, bitsPerSample: 8, frames, space: 'srgb' };
}
