import { ascii, u16be } from '../bytes.js';
import { readExifOrientation } from '../exif.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';

/** SOI followed by the first byte of the next marker (ITU-T T.81 §B.1.1.3, B.2.1). */
export const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

/** Most marker segments walked before the scan header; real files have a few dozen (an ICC
 * profile split over APP2 segments has at most 255). */
const MAX_SEGMENTS = 2000;
/** Most 0xFF fill bytes tolerated before one marker (T.81 §B.1.1.2 allows any number; real
 * encoders write none or a few). Bounds the scan so a file of 0xFF bytes ends quickly. */
const MAX_FILL = 65536;
/** Bytes examined per step while skipping fill bytes. */
const FILL_STEP = 64;
/** libjpeg's MAX_COMPONENTS: a frame with more components is refused as corrupt. */
const MAX_COMPONENTS = 10;
/** The most bands sharp accepts from a JPEG; with 6..10 components its metadata() refuses the
 * image ("exceeds channel limit") although libjpeg would read it. */
const MAX_SHARP_COMPONENTS = 5;
/** libjpeg's JPEG_MAX_DIMENSION: larger frames are refused before decoding. */
const MAX_DIMENSION = 65500;

/** Marker codes (T.81 Table B.1). */
const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const DRI = 0xdd;
const TEM = 0x01;
const APP1 = 0xe1;

/** Frame headers libjpeg decodes: baseline/extended/progressive/lossless Huffman (SOF0-3) and
 * sequential/progressive arithmetic (SOF9-10). */
const DECODED_SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc9, 0xca]);
/** Frame headers T.81 defines that sharp's libjpeg refuses: hierarchical (SOF5-7, SOF13-15),
 * lossless arithmetic (SOF11, "omitted at compile time"), and the reserved JPG marker (0xC8),
 * which libjpeg treats as an unsupported process. */
const REFUSED_SOF: Record<number, string> = {
  0xc5: 'hierarchical (differential sequential, SOF5)',
  0xc6: 'hierarchical (differential progressive, SOF6)',
  0xc7: 'hierarchical (differential lossless, SOF7)',
  0xc8: 'the reserved JPG extension (0xC8)',
  0xcb: 'lossless arithmetic-coded (SOF11)',
  0xcd: 'hierarchical arithmetic (SOF13)',
  0xce: 'hierarchical arithmetic (SOF14)',
  0xcf: 'hierarchical arithmetic (SOF15)',
};
/** Segments with a length that are skipped: DHT, DAC, DNL, DQT, APP0-15, COM (T.81 §B.2.4,
 * B.2.4.1-4, B.2.4.6, B.6). DRI and SOS have fixed lengths and are checked. */
function isSkippable(m: number): boolean {
  return m === 0xc4 || m === 0xcc || m === 0xdc || m === 0xdb || (m >= 0xe0 && m <= 0xef) || m === 0xfe;
}

const hex = (m: number): string => `0x${m.toString(16).toUpperCase().padStart(2, '0')}`;

interface Frame {
  width: number;
  height: number;
  /** Component identifiers, in frame order. */
  ids: number[];
}

/**
 * JPEG interchange format (ITU-T T.81 Annex B: §B.1.1 markers and fill bytes, §B.2.2 frame
 * header, §B.2.3 scan header, §B.2.4 tables and miscellaneous segments), with JFIF (APP0), Adobe
 * (APP14) and EXIF (APP1, CIPA DC-008 §4.5.4 "Exif\0\0" then a TIFF structure).
 *
 * Walks the markers from SOI to the first scan header (SOS), as libjpeg's jpeg_read_header does
 * for sharp, reading only each marker and its 2-byte length and seeking over the segment body:
 * a file with megabytes of APP segments costs a few KiB of reads. Only the frame header, the scan
 * header and EXIF's IFD0 are read in full.
 *
 * Loaded bands as libvips loads it: one band per frame component (1 = b-w, 3 = sRGB or RGB,
 * 4 = CMYK or YCCK — the Adobe APP14 transform changes the conversion, never the band count).
 * sharp's raw output is sRGB: grey becomes 3 bands, CMYK 3. Samples are always 8-bit: libvips
 * uses libjpeg's 8-bit interface, so 12- and 16-bit frames fail to decode (unsupported).
 */
export function readJpegHeader(src: ByteSource): Header {
  const head = src.need(0, 2, 'the SOI marker');
  if (head[0] !== 0xff || head[1] !== SOI) throw fail('jpeg', 'E_BAD_SIGNATURE', 'the file does not start with SOI (FF D8)');

  let frame: Frame | undefined;
  let orientation: number | undefined;
  let exifSeen = false;
  let pos = 2;
  for (let segments = 0; ; segments++) {
    if (segments >= MAX_SEGMENTS) {
      throw fail('jpeg', 'E_STRUCTURE_LOOP', `more than ${MAX_SEGMENTS} marker segments before the image data`);
    }
    const { marker, at } = nextMarker(src, pos);
    if (marker === TEM || (marker >= 0xd0 && marker <= 0xd7)) {
      // Standalone markers carry no length (T.81 §B.1.1.3); libjpeg passes over them.
      pos = at;
      continue;
    }
    if (marker === SOI) throw fail('jpeg', 'E_BAD_HEADER', `a second SOI marker at byte ${at - 2}`);
    if (marker === EOI) {
      throw fail('jpeg', 'E_BAD_HEADER', `the datastream ends (EOI at byte ${at - 2}) before any ${frame ? 'scan' : 'frame header'}: it contains no image`);
    }
    if (REFUSED_SOF[marker]) {
      throw fail('jpeg', 'E_UNSUPPORTED_FEATURE', `a ${REFUSED_SOF[marker]} JPEG, which sharp's decoder does not support`);
    }
    const isSof = DECODED_SOF.has(marker);
    if (!isSof && marker !== SOS && marker !== DRI && !isSkippable(marker)) {
      throw fail('jpeg', 'E_BAD_HEADER', `unknown marker ${hex(marker)} at byte ${at - 2}`);
    }
    const length = u16be(src.need(at, 2, `the length of marker ${hex(marker)} at byte ${at - 2}`), 0);
    if (isSof) {
      if (frame) throw fail('jpeg', 'E_BAD_HEADER', `a second frame header (${hex(marker)} at byte ${at - 2})`);
      frame = readFrame(src, at, length);
    } else if (marker === SOS) {
      if (!frame) throw fail('jpeg', 'E_BAD_HEADER', `a scan header (SOS at byte ${at - 2}) before any frame header`);
      checkScan(src, frame, at, length);
      break;
    } else if (marker === DRI) {
      if (length !== 4) throw fail('jpeg', 'E_BAD_HEADER', `a DRI segment of length ${length} (must be 4)`);
      src.need(at, 4, 'the DRI segment');
    } else if (marker === APP1 && !exifSeen && length > 6 && ascii(src.read(at + 2, 4), 0, 4) === 'Exif') {
      // libvips takes the first APP1 that starts "Exif" and ignores later ones, even when the
      // first is broken; only a proper "Exif\0\0" header is followed by a TIFF structure.
      exifSeen = true;
      if (length >= 8 && ascii(src.read(at + 6, 2), 0, 2) === '\0\0') orientation = readExifOrientation(src, at + 8, length - 8);
    }
    // libjpeg treats a length below 2 as an empty segment rather than an error; so do we.
    pos = at + Math.max(length, 2);
  }

  // `frame` is set: the loop ends only at an SOS after a frame header.
  const f = frame!;
  const n = f.ids.length;
  return {
    format: 'jpeg',
    width: f.width,
    height: f.height,
    channels: n,
    bitsPerSample: 8,
    // sharp converts to sRGB on output: grey 1 -> 3 bands, CMYK/YCCK 4 -> 3; 2 and 5 bands pass as is.
    outputChannels: n === 1 || n === 4 ? 3 : n,
    frames: 1,
    ...(orientation !== undefined ? { orientation } : {}),
    space: n === 1 ? 'b-w' : n === 4 ? 'cmyk' : 'srgb',
  };
}

/**
 * The marker at `pos` (T.81 §B.1.1.2): an 0xFF, any number of 0xFF fill bytes, then the code.
 * Returns the code and the offset just after it. Bytes other than 0xFF where a marker must be
 * are refused: libjpeg skips them but warns, and sharp fails the decode on that warning.
 */
function nextMarker(src: ByteSource, pos: number): { marker: number; at: number } {
  const first = src.need(pos, 1, `the marker at byte ${pos}`);
  if (first[0] !== 0xff) {
    throw fail('jpeg', 'E_BAD_HEADER', `byte ${pos} should start a marker (0xFF) but is ${hex(first[0]!)}`);
  }
  let at = pos + 1;
  for (;;) {
    const chunk = src.read(at, FILL_STEP);
    if (chunk.length === 0) throw fail('jpeg', 'E_TRUNCATED', `the file ends inside the marker at byte ${pos}`);
    let k = 0;
    while (k < chunk.length && chunk[k] === 0xff) k++;
    if (k < chunk.length) {
      const marker = chunk[k]!;
      if (marker === 0x00) {
        throw fail('jpeg', 'E_BAD_HEADER', `a stuffed byte (FF 00) at byte ${at + k - 1}, outside any scan`);
      }
      return { marker, at: at + k + 1 };
    }
    at += chunk.length;
    if (at - pos > MAX_FILL) throw fail('jpeg', 'E_BAD_HEADER', `more than ${MAX_FILL} fill bytes (0xFF) before a marker at byte ${pos}`);
  }
}

/** The frame header (T.81 §B.2.2): P, Y, X, Nf, then Nf component specifications. */
function readFrame(src: ByteSource, at: number, length: number): Frame {
  const h = src.need(at, 8, `the frame header at byte ${at - 2}`);
  const precision = h[2]!;
  const height = u16be(h, 3);
  const width = u16be(h, 5);
  const n = h[7]!;
  if (width === 0 || height === 0 || n === 0) {
    // Y = 0 defers the height to a DNL segment after the first scan (T.81 §B.2.5); libjpeg does
    // not support DNL and refuses the file, so there is no height to bound.
    throw fail('jpeg', 'E_DIMENSIONS', `invalid frame ${width}x${height} with ${n} components${height === 0 && width !== 0 && n !== 0 ? ' (a height set later by DNL, which sharp does not support)' : ''}`);
  }
  if (length !== 8 + 3 * n) {
    throw fail('jpeg', 'E_BAD_HEADER', `a frame header of length ${length} for ${n} components (must be ${8 + 3 * n})`);
  }
  const body = src.need(at, length, `the frame header at byte ${at - 2}`);
  const ids: number[] = [];
  for (let c = 0; c < n; c++) {
    const sampling = body[8 + 3 * c + 1]!;
    const hs = sampling >> 4;
    const vs = sampling & 15;
    if (hs < 1 || hs > 4 || vs < 1 || vs > 4) {
      throw fail('jpeg', 'E_BAD_HEADER', `component ${c + 1} has sampling factors ${hs}x${vs} (each must be 1..4)`);
    }
    ids.push(body[8 + 3 * c]!);
  }
  if (n > MAX_COMPONENTS) throw fail('jpeg', 'E_BAD_HEADER', `${n} components (libjpeg reads at most ${MAX_COMPONENTS})`);
  if (n > MAX_SHARP_COMPONENTS) {
    throw fail('jpeg', 'E_UNSUPPORTED_FEATURE', `${n} components; sharp opens JPEGs of at most ${MAX_SHARP_COMPONENTS}`);
  }
  if (width > MAX_DIMENSION || height > MAX_DIMENSION) {
    throw fail('jpeg', 'E_UNSUPPORTED_FEATURE', `a ${width}x${height} frame; sharp's libjpeg decodes at most ${MAX_DIMENSION} pixels a side`);
  }
  // libjpeg accepts precisions 8, 12 and 16 (and refuses any other, also for lossless SOF3), but
  // libvips reads through the 8-bit interface, so 12- and 16-bit frames fail to decode.
  if (precision === 12 || precision === 16) {
    throw fail('jpeg', 'E_UNSUPPORTED_FEATURE', `${precision}-bit samples; sharp's JPEG decoder reads only 8-bit JPEGs`);
  }
  if (precision !== 8) throw fail('jpeg', 'E_BAD_HEADER', `an invalid sample precision of ${precision} bits`);
  return { width, height, ids };
}

/** The scan header (T.81 §B.2.3): Ns in 1..4, length 6 + 2·Ns, each selector a frame component. */
function checkScan(src: ByteSource, frame: Frame, at: number, length: number): void {
  const ns = src.need(at, 3, `the scan header at byte ${at - 2}`)[2]!;
  if (ns < 1 || ns > 4 || length !== 6 + 2 * ns) {
    throw fail('jpeg', 'E_BAD_HEADER', `a scan header of length ${length} for ${ns} components`);
  }
  const body = src.need(at, length, `the scan header at byte ${at - 2}`);
  for (let c = 0; c < ns; c++) {
    const id = body[3 + 2 * c]!;
    if (!frame.ids.includes(id)) throw fail('jpeg', 'E_BAD_HEADER', `the scan names component ${id}, which the frame does not have`);
  }
}
