import { ascii, u16le, u24le, u32le } from '../bytes.js';
import { readExifOrientation } from '../exif.js';
import { fail, ProbeFailure } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';

/** "RIFF" at 0 and "WEBP" at 8 (RFC 9649 §2.4). */
export function isWebp(head: Uint8Array): boolean {
  return ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP';
}

/** VP8X flags (RFC 9649 §2.7). */
const ANIMATION = 0x02;
const EXIF = 0x08;
const ALPHA = 0x10;
/** VP8X flag bits that must be 0. */
const RESERVED = 0xc1;
/** libvips refuses a WebP wider or taller than this (libwebp's WEBP_MAX_DIMENSION). */
const MAX_DIMENSION = 16383;
/** libwebp's demuxer rejects canvases of 2^32 pixels or more. */
const MAX_IMAGE_AREA = 2 ** 32;
/** Bytes fetched for a chunk header after a small chunk: neighbours are likely in the same read. */
const NEAR_WINDOW = 4096;
/** The fewest bytes an ANMF chunk takes (header and its 16-byte frame fields): bounds frame counts. */
const MIN_ANMF_BYTES = 24;

interface Bitstream {
  width: number;
  height: number;
  alpha: boolean;
}

/** The VP8 key frame header (RFC 6386 §9.1, §19.1): frame tag, start code, 14-bit dimensions. */
function vp8Info(src: ByteSource, offset: number, size: number): Bitstream {
  if (size < 10) throw fail('webp', 'E_BAD_HEADER', `the VP8 chunk is ${size} bytes, too short for a frame header`);
  const b = src.need(offset, 10, 'the VP8 frame header');
  const tag = b[0]! | (b[1]! << 8) | (b[2]! << 16);
  // libwebp (VP8GetInfo) requires a visible key frame of profile 0..3 whose first partition fits.
  if (tag & 1) throw fail('webp', 'E_BAD_HEADER', 'the VP8 frame is not a key frame');
  if (((tag >> 1) & 7) > 3) throw fail('webp', 'E_BAD_HEADER', 'unknown VP8 profile');
  if (!((tag >> 4) & 1)) throw fail('webp', 'E_BAD_HEADER', 'the VP8 frame is invisible');
  if (tag >>> 5 >= size) throw fail('webp', 'E_BAD_HEADER', 'the VP8 first partition is larger than its chunk');
  if (b[3] !== 0x9d || b[4] !== 0x01 || b[5] !== 0x2a) throw fail('webp', 'E_BAD_HEADER', 'no VP8 start code');
  // The top two bits are an upscaling hint that decoders ignore (RFC 6386 §9.1).
  const width = u16le(b, 6) & 0x3fff;
  const height = u16le(b, 8) & 0x3fff;
  if (width === 0 || height === 0) throw fail('webp', 'E_DIMENSIONS', `invalid VP8 dimensions ${width}x${height}`);
  return { width, height, alpha: false };
}

/** The VP8L header (RFC 9649 §3.2.2): signature 0x2f, 14-bit width-1 and height-1, alpha hint, version 0. */
function vp8lInfo(src: ByteSource, offset: number, size: number): Bitstream {
  if (size < 5) throw fail('webp', 'E_BAD_HEADER', `the VP8L chunk is ${size} bytes, too short for its header`);
  const b = src.need(offset, 5, 'the VP8L header');
  if (b[0] !== 0x2f) throw fail('webp', 'E_BAD_HEADER', 'no VP8L signature');
  const bits = u32le(b, 1);
  if (bits >>> 29 !== 0) throw fail('webp', 'E_BAD_HEADER', `unknown VP8L version ${bits >>> 29}`);
  return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, alpha: ((bits >>> 28) & 1) === 1 };
}

/**
 * WebP (RFC 9649: §2.4 RIFF header, §2.5 simple lossy VP8, §2.6 simple lossless VP8L, §2.7
 * extended VP8X with ALPH, ANIM/ANMF, ICCP, EXIF, XMP chunks), as libvips loads it through libwebp's
 * demuxer:
 *
 * - The whole RIFF must be in the file (libvips fails a truncated WebP), every chunk inside it,
 *   with no stray bytes too few for a chunk header at its end; reserved VP8X flags must be 0.
 * - Neither side may exceed 16383 (libvips fails larger ones, canvas or VP8L bitstream).
 * - Simple VP8 loads as 3 bands; simple VP8L as 4 when its alpha hint is set, else 3.
 * - Extended: the canvas is the VP8X size; a still's bitstream must match it exactly. A still has
 *   4 bands when the VP8X alpha flag is set (the flag rules, not the ALPH chunk). An animation
 *   has one frame per ANMF chunk (§2.7.1.1) holding a VP8/VP8L image (after an optional ALPH),
 *   sized by that bitstream, not the ANMF fields, and 4 bands when the flag is set OR any frame carries
 *   alpha (ALPH, or a VP8L alpha hint) OR any frame is smaller than the canvas; else 3. EXIF
 *   orientation is read only when the EXIF flag is set. Always 8-bit.
 * - Chunk order as the demuxer checks it: ANIM (6+ bytes) before any ANMF; no ALPH/VP8/VP8L outside
 *   a frame once an ANIM was seen or in an animation; one image in a still (ALPH not before VP8L);
 *   one VP8X. A simple file ignores the chunks after its image.
 *
 * Chunks are walked by seeking over their payloads. If the source's read cap stops the walk over
 * an animation's frames, the frame count is bounded from above and a note says so.
 */
export function readWebpHeader(src: ByteSource): Header {
  const header = readRiff(src);
  if (header.width > MAX_DIMENSION || header.height > MAX_DIMENSION) {
    throw fail(
      'webp',
      'E_DIMENSIONS',
      `${header.width}x${header.height} is larger than libvips loads (${MAX_DIMENSION} a side)`,
    );
  }
  return header;
}

function readRiff(src: ByteSource): Header {
  const head = src.need(0, 20, 'the RIFF header and first chunk header');
  if (!isWebp(head)) throw fail('webp', 'E_BAD_SIGNATURE', 'not a RIFF WEBP signature');
  const riffSize = u32le(head, 4);
  if (riffSize < 12) throw fail('webp', 'E_BAD_HEADER', `the RIFF size ${riffSize} cannot hold a chunk`);
  const riffEnd = 8 + riffSize;
  if (riffEnd > src.size) {
    throw fail('webp', 'E_TRUNCATED', `the RIFF size says ${riffEnd} bytes, the file has ${src.size}`);
  }

  // A window of the file kept across chunks: walking dense small chunks (animation frames) then
  // costs one read per window, not one per chunk; after a far seek the window is small.
  let buf: Uint8Array = new Uint8Array(0);
  let bufStart = 0;
  const peek = (pos: number, len: number, window: number): Uint8Array => {
    if (pos < bufStart || pos + len > bufStart + buf.length) {
      buf = src.read(pos, Math.max(len, Math.min(window, riffEnd - pos)));
      bufStart = pos;
    }
    return buf.subarray(pos - bufStart, pos - bufStart + len);
  };

  /** The chunk header at `pos`: type and payload size, checked to fit inside the RIFF. */
  const chunkAt = (pos: number, window: number): { type: string; size: number } => {
    const h = peek(pos, 8, window);
    if (h.length < 8) throw fail('webp', 'E_TRUNCATED', `the chunk header at byte ${pos} is cut off`);
    const size = u32le(h, 4);
    const type = ascii(h, 0, 4);
    if (pos + 8 + size > riffEnd) {
      throw fail(
        'webp',
        'E_BAD_HEADER',
        `chunk ${JSON.stringify(type)} at byte ${pos} claims ${size} bytes, past the end of the RIFF`,
      );
    }
    return { type, size };
  };
  const next = (pos: number, size: number): number => pos + 8 + size + (size & 1);

  /**
   * The sub-chunks of an ANMF frame from `start`, read as libwebp's demuxer does: an optional
   * ALPH, then one VP8/VP8L image; parsing stops at anything else, and the top-level walk goes on
   * from there (NOT from the end of the ANMF chunk: chunks nested after the image count as top-level
   * chunks, frames included). A frame without an image is dropped, unless it had an ALPH (invalid).
   */
  const anmfFrame = (start: number, window: number): { image: Bitstream | undefined; end: number } => {
    let sp = start;
    let alpha = false;
    let image: Bitstream | undefined;
    for (let i = 0; i < 3 && sp + 8 <= riffEnd; i++) {
      const { type, size } = chunkAt(sp, window);
      if (type === 'ALPH') {
        if (alpha) break;
        if (image) throw fail('webp', 'E_BAD_HEADER', `an ALPH chunk after its frame's image at byte ${sp}`);
        alpha = true;
      } else if (type === 'VP8 ' || type === 'VP8L') {
        if (image) break;
        if (type === 'VP8L' && alpha) throw fail('webp', 'E_BAD_HEADER', 'an ALPH chunk before a VP8L image');
        image = type === 'VP8 ' ? vp8Info(src, sp + 8, size) : vp8lInfo(src, sp + 8, size);
      } else {
        break;
      }
      sp = next(sp, size);
    }
    if (alpha && !image)
      throw fail('webp', 'E_BAD_HEADER', `an animation frame with ALPH but no image at byte ${start}`);
    return { image: image && { ...image, alpha: image.alpha || alpha }, end: sp };
  };

  const first = chunkAt(12, 32);
  let simple: Bitstream | undefined;
  let flags = 0;
  let width = 0;
  let height = 0;
  if (first.type === 'VP8 ' || first.type === 'VP8L') {
    simple = first.type === 'VP8 ' ? vp8Info(src, 20, first.size) : vp8lInfo(src, 20, first.size);
  } else if (first.type === 'VP8X') {
    if (first.size < 10) throw fail('webp', 'E_BAD_HEADER', `the VP8X chunk is ${first.size} bytes, not 10`);
    const x = src.need(20, 10, 'the VP8X chunk');
    flags = x[0]!;
    // libwebp's demuxer fails a file whose reserved flag bits are set.
    if (flags & RESERVED)
      throw fail('webp', 'E_BAD_HEADER', `reserved VP8X flag bits are set (0x${flags.toString(16)})`);
    width = u24le(x, 4) + 1;
    height = u24le(x, 7) + 1;
    if (width * height >= MAX_IMAGE_AREA) {
      throw fail(
        'webp',
        'E_DIMENSIONS',
        `the canvas ${width}x${height} has 2^32 pixels or more, which libwebp rejects`,
      );
    }
  } else {
    throw fail('webp', 'E_BAD_HEADER', `the first chunk is ${JSON.stringify(first.type)}, not VP8, VP8L or VP8X`);
  }
  const animated = (flags & ANIMATION) !== 0;

  let frames = 0;
  let frameAlpha = false;
  let animChunks = 0;
  let stillAlph = false;
  // A simple file's image is its first chunk; the rest of its RIFF is only checked for structure.
  let still: Bitstream | undefined = simple;
  let orientation: number | undefined;
  let pos = next(12, first.size);
  let window = NEAR_WINDOW;
  try {
    // Each step moves on by at least 8 bytes through the bounded source, so the walk ends.
    while (pos + 8 <= riffEnd) {
      const { type, size } = chunkAt(pos, window);
      let after = next(pos, size);
      if (simple) {
        // A simple file: libwebp ignores whatever follows the image, as long as it is chunks.
      } else if (type === 'VP8X') {
        throw fail('webp', 'E_BAD_HEADER', `a second VP8X chunk at byte ${pos}`);
      } else if (type === 'ANIM') {
        if (size < 6) throw fail('webp', 'E_BAD_HEADER', `the ANIM chunk is ${size} bytes, not 6`);
        animChunks++;
      } else if (type === 'ANMF') {
        if (animChunks === 0) throw fail('webp', 'E_BAD_HEADER', `an ANMF chunk at byte ${pos} before any ANIM chunk`);
        if (size < 16) throw fail('webp', 'E_BAD_HEADER', `the ANMF chunk at byte ${pos} is ${size} bytes, too short`);
        const f = peek(pos + 8, 16, window);
        const fx = u24le(f, 0) * 2;
        const fy = u24le(f, 3) * 2;
        if ((u24le(f, 6) + 1) * (u24le(f, 9) + 1) >= MAX_IMAGE_AREA) {
          throw fail('webp', 'E_DIMENSIONS', `animation frame ${frames + 1} claims 2^32 pixels or more`);
        }
        const frame = anmfFrame(pos + 24, window);
        if (frame.end > after) throw fail('webp', 'E_BAD_HEADER', `the frame at byte ${pos} overruns its ANMF chunk`);
        after = frame.end;
        // libwebp sizes a frame by its bitstream, not the ANMF fields (which it does not check).
        if (frame.image && animated) {
          const { image } = frame;
          if (fx + image.width > width || fy + image.height > height) {
            throw fail(
              'webp',
              'E_BAD_HEADER',
              `animation frame ${frames + 1} (${image.width}x${image.height} at ${fx},${fy}) lies outside the ` +
                `${width}x${height} canvas`,
            );
          }
          frames++;
          // libvips gives an animation an alpha band when any frame is smaller than the canvas
          // (the rest shows through) or carries alpha (an ALPH chunk, or a VP8L alpha hint).
          if (image.alpha || image.width !== width || image.height !== height) frameAlpha = true;
        }
      } else if (type === 'ALPH' || type === 'VP8 ' || type === 'VP8L') {
        // libwebp: once an ANIM chunk is seen, images belong in ANMF frames, even in a still.
        if (animated || animChunks > 0)
          throw fail('webp', 'E_BAD_HEADER', `an image chunk outside any ANMF frame at byte ${pos}`);
        if (type === 'ALPH') {
          stillAlph = true;
        } else {
          if (still) throw fail('webp', 'E_BAD_HEADER', `a second image at byte ${pos} in a still WebP`);
          if (type === 'VP8L' && stillAlph) throw fail('webp', 'E_BAD_HEADER', 'an ALPH chunk before a VP8L image');
          still = type === 'VP8 ' ? vp8Info(src, pos + 8, size) : vp8lInfo(src, pos + 8, size);
        }
      } else if (type === 'EXIF' && flags & EXIF && orientation === undefined) {
        // Some writers keep the JPEG APP1 "Exif\0\0" prefix before the TIFF header.
        const prefix = ascii(src.read(pos + 8, 6), 0, 6) === 'Exif\0\0' ? 6 : 0;
        orientation = readExifOrientation(src, pos + 8 + prefix, size - prefix);
      }
      pos = after;
      // A far seek next: read little. A near one: read a window that likely holds several headers.
      window = size > NEAR_WINDOW ? 48 : NEAR_WINDOW;
    }
    if (pos < riffEnd) {
      throw fail('webp', 'E_BAD_HEADER', `${riffEnd - pos} stray bytes at the end of the RIFF, too few for a chunk`);
    }
  } catch (e) {
    if (!(e instanceof ProbeFailure) || e.code !== 'E_HEADER_TOO_LARGE' || !animated) throw e;
    const bound = frames + Math.max(1, Math.floor((riffEnd - pos) / MIN_ANMF_BYTES));
    return {
      format: 'webp',
      width,
      height,
      channels: 4,
      bitsPerSample: 8,
      frames: bound,
      space: 'srgb',
      ...(orientation !== undefined ? { orientation } : {}),
      notes: [
        `the animation has too many chunks to walk within the read cap (${e.message}); assumed at most ${bound} frames`,
      ],
    };
  }

  const extra = orientation !== undefined ? { orientation } : {};
  if (animated) {
    if (frames === 0) throw fail('webp', 'E_BAD_HEADER', 'an animated WebP without any ANMF frame');
    return {
      format: 'webp',
      width,
      height,
      channels: flags & ALPHA || frameAlpha ? 4 : 3,
      bitsPerSample: 8,
      frames,
      space: 'srgb',
      ...extra,
    };
  }
  if (simple) {
    return {
      format: 'webp',
      width: simple.width,
      height: simple.height,
      channels: simple.alpha ? 4 : 3,
      bitsPerSample: 8,
      frames: 1,
      space: 'srgb',
    };
  }
  if (!still) throw fail('webp', 'E_BAD_HEADER', 'an extended WebP without any VP8 or VP8L image');
  if (still.width !== width || still.height !== height) {
    throw fail(
      'webp',
      'E_BAD_HEADER',
      `the image is ${still.width}x${still.height} but the VP8X canvas is ${width}x${height}`,
    );
  }
  return {
    format: 'webp',
    width,
    height,
    channels: flags & ALPHA ? 4 : 3,
    bitsPerSample: 8,
    frames: 1,
    space: 'srgb',
    ...extra,
  };
}
