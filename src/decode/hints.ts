import { u16be, u8 } from '../probe/bytes.js';
import type { Header } from '../probe/header.js';
import type { ByteSource } from '../probe/source.js';

/**
 * Header facts that do not change the decoded size but do change the memory a decoder holds
 * while decoding (its "hidden buffers"). Read from the same bounded source as the header, after
 * the format reader has accepted it; a hint that cannot be read stays undefined and the peak
 * estimate then takes the upper bound.
 */
export interface DecodeHints {
  /** JPEG: progressive (SOF2/6/10/14): libjpeg keeps every DCT coefficient until the end. */
  progressive?: boolean;
  /** PNG: Adam7 interlace: libvips/libpng must hold the whole image. */
  interlaced?: boolean;
  /** JPEG: sampling factors [h, v] per component, from the SOF segment. */
  sampling?: [number, number][];
}

/** Most JPEG segments walked looking for the SOF marker. */
const MAX_SEGMENTS = 1000;

/** Reads the hints for `header.format`; never throws (a hint it cannot read is left out). */
export function readDecodeHints(src: ByteSource, header: Header): DecodeHints {
  // A reader that already knows these facts (header.progressive / interlaced / sampling) saves
  // the second walk over the file.
  const known = header as Header & DecodeHints;
  if (known.progressive !== undefined || known.interlaced !== undefined) {
    const hints: DecodeHints = {};
    if (known.progressive !== undefined) hints.progressive = known.progressive;
    if (known.interlaced !== undefined) hints.interlaced = known.interlaced;
    if (known.sampling !== undefined) hints.sampling = known.sampling;
    return hints;
  }
  try {
    if (header.format === 'png') return pngHints(src);
    if (header.format === 'jpeg') return jpegHints(src);
  } catch {
    // A hint is an optimisation of the estimate; without it the peak takes the upper bound.
  }
  return {};
}

/** PNG §11.2.2: IHDR byte 12 (file offset 28) is the interlace method, 1 = Adam7. */
function pngHints(src: ByteSource): DecodeHints {
  const b = src.read(28, 1);
  return b.length === 1 ? { interlaced: u8(b, 0) === 1 } : {};
}

/**
 * ITU-T T.81 §B.1.1.3/B.2.2: walks marker segments (seeking over their payloads) to the first
 * SOFn; SOF2, SOF6, SOF10 and SOF14 are progressive. The frame header gives each component's
 * sampling factors (Table B.2).
 */
function jpegHints(src: ByteSource): DecodeHints {
  let offset = 2;
  for (let n = 0; n < MAX_SEGMENTS; n++) {
    const m = src.read(offset, 4);
    if (m.length < 4) return {};
    if (u8(m, 0) !== 0xff) return {};
    const marker = u8(m, 1);
    if (marker === 0xff) { offset += 1; continue; } // fill byte (§B.1.1.2)
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) { offset += 2; continue; }
    if (marker === 0xd9 || marker === 0xda) return {};
    const length = u16be(m, 2);
    if (length < 2) return {};
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      const progressive = marker === 0xc2 || marker === 0xc6 || marker === 0xca || marker === 0xce;
      const sof = src.read(offset + 4, Math.min(length - 2, 6 + 3 * 255));
      const count = u8(sof, 5);
      const sampling: [number, number][] = [];
      for (let i = 0; i < count && 6 + 3 * i + 2 < sof.length; i++) {
        const hv = u8(sof, 6 + 3 * i + 1);
        sampling.push([Math.max(1, hv >> 4), Math.max(1, hv & 15)]);
      }
      return sampling.length === count && count > 0 ? { progressive, sampling } : { progressive };
    }
    offset += 2 + length;
  }
  return {};
}
