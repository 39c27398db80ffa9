import { ascii, u16be, u32be, u32le } from '../bytes.js';
import { readExifOrientation, readIfd0Tag } from '../exif.js';
import { fail, ProbeFailure } from '../failure.js';
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
/** libjpeg's MAX_COMPONENTS: a frame with more components is refused as corrupt. */
const MAX_COMPONENTS = 10;
/** The most components sharp decodes: with 6..10 its metadata() refuses the image ("exceeds
 * channel limit"); with 5, libjpeg-turbo looks scan components up among the first four frame
 * components only, so the fifth is "invalid in SOS" and the decode fails. */
const MAX_SHARP_COMPONENTS = 4;
/** libjpeg's JPEG_MAX_DIMENSION: larger frames are refused before decoding. */
const MAX_DIMENSION = 65500;

/** Marker codes (T.81 Table B.1). */
const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const DRI = 0xdd;
const TEM = 0x01;
const DQT = 0xdb;
const DHT = 0xc4;
const DAC = 0xcc;
const APP1 = 0xe1;
const APP2 = 0xe2;

/** Frame headers libjpeg decodes: baseline/extended/progressive/lossless Huffman (SOF0-3) and
 * sequential/progressive arithmetic (SOF9-10). */
const DECODED_SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc9, 0xca]);
/** Frame headers T.81 defines that sharp's libjpeg refuses: hierarchical (SOF5-7, SOF13-15),
 * lossless arithmetic (SOF11, "omitted at compile time"), and the reserved JPG marker (0xC8),
 * which libjpeg treats as an unsupported process. */
const REFUSED_SOF: Record<number, string> = {
  197: 'hierarchical (differential sequential, SOF5)',
  198: 'hierarchical (differential progressive, SOF6)',
  199: 'hierarchical (differential lossless, SOF7)',
  200: 'the reserved JPG extension (0xC8)',
  203: 'lossless arithmetic-coded (SOF11)',
  205: 'hierarchical arithmetic (SOF13)',
  206: 'hierarchical arithmetic (SOF14)',
  207: 'hierarchical arithmetic (SOF15)',
};
/** Segments with a length allowed before the scan: DHT, DAC, DNL, DQT, APP0-15, COM (T.81
 * §B.2.4.1-6, B.6). Tables are checked as libjpeg checks them; the others are skipped unread. */
function isSkippable(m: number): boolean {
  return m === 0xc4 || m === 0xcc || m === 0xdc || m === 0xdb || (m >= 0xe0 && m <= 0xef) || m === 0xfe;
}

/** Progressive frames among those decoded: Huffman (SOF2) and arithmetic (SOF10). */
const isProgressive = (sof: number): boolean => sof === 0xc2 || sof === 0xca;

const hex = (m: number): string => `0x${m.toString(16).toUpperCase().padStart(2, '0')}`;

interface Component {
  id: number;
  /** Horizontal and vertical sampling factors. */
  sampling: [number, number];
  /** Horizontal x vertical sampling factors. */
  blocks: number;
  /** Quantisation table selector Tq. */
  tq: number;
}

interface Frame {
  marker: number;
  width: number;
  height: number;
  components: Component[];
}

/** Bit masks of the tables defined so far (bit i = table i), and of the Huffman tables whose
 * definition libjpeg refuses when a scan first uses them. */
interface Tables {
  quant: number;
  dc: number;
  ac: number;
  badDc: number;
  badAc: number;
  /** DC tables with the symbol 16, valid only in lossless JPEGs. */
  dc16: number;
}

/** libjpeg's NUM_QUANT_TBLS and NUM_HUFF_TBLS. */
const TABLE_SLOTS = 4;
/** libjpeg's D_MAX_BLOCKS_IN_MCU: most blocks in one MCU of an interleaved scan. */
const MAX_BLOCKS_IN_MCU = 10;

/**
 * JPEG interchange format (ITU-T T.81 Annex B: §B.1.1 markers and fill bytes, §B.2.2 frame
 * header, §B.2.3 scan header, §B.2.4 tables and miscellaneous segments), with JFIF (APP0), Adobe
 * (APP14) and EXIF (APP1, CIPA DC-008 §4.5.4 "Exif\0\0" then a TIFF structure).
 *
 * Walks the markers from SOI to the first scan header (SOS), as libjpeg's jpeg_read_header does
 * for sharp, reading only each marker and its 2-byte length and seeking over the segment body:
 * a file with megabytes of APP segments costs a few KiB of reads. Only the frame header, the scan
 * header, the table headers (DQT, DHT, DAC: checked as libjpeg checks them before decoding, so a
 * file sharp refuses is not called ok) and EXIF's IFD0 are read. The entropy-coded data is never
 * read, so a file cut inside it (or a missing EOI) passes here and fails sharp's decode.
 *
 * Loaded bands as libvips loads it: one band per frame component (1 = b-w, 3 = sRGB or RGB,
 * 4 = CMYK or YCCK — the Adobe APP14 transform changes the conversion, never the band count).
 * sharp's raw output is sRGB: grey becomes 3 bands, CMYK 3. Samples are always 8-bit: libvips
 * uses libjpeg's 8-bit interface, so 12- and 16-bit frames fail to decode (unsupported).
 * MPO and Ultra HDR (gain map) files carry more JPEGs after the first EOI; sharp decodes the
 * first, so `frames` is 1.
 */
export function readJpegHeader(src: ByteSource, structure = false): Header {
  const head = src.need(0, 2, 'the SOI marker');
  if (head[0] !== 0xff || head[1] !== SOI)
    throw fail('jpeg', 'E_BAD_SIGNATURE', 'the file does not start with SOI (FF D8)');

  let frame: Frame | undefined;
  let orientation: number | undefined;
  let exifSeen = false;
  let mpf: Mpf | undefined;
  const tables: Tables = { quant: 0, dc: 0, ac: 0, badDc: 0, badAc: 0, dc16: 0 };
  let pos = 2;
  let scanData = 0;
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
      const before = frame ? 'scan' : 'frame header';
      throw fail(
        'jpeg',
        'E_BAD_HEADER',
        `the datastream ends (EOI at byte ${at - 2}) before any ${before}: it contains no image`,
      );
    }
    if (REFUSED_SOF[marker]) {
      throw fail(
        'jpeg',
        'E_UNSUPPORTED_FEATURE',
        `a ${REFUSED_SOF[marker]} JPEG, which sharp's decoder does not support`,
      );
    }
    const isSof = DECODED_SOF.has(marker);
    if (!isSof && marker !== SOS && marker !== DRI && !isSkippable(marker)) {
      throw fail('jpeg', 'E_BAD_HEADER', `unknown marker ${hex(marker)} at byte ${at - 2}`);
    }
    const length = src.u16be(at, () => `the length of marker ${hex(marker)} at byte ${at - 2}`);
    if (isSof) {
      if (frame) throw fail('jpeg', 'E_BAD_HEADER', `a second frame header (${hex(marker)} at byte ${at - 2})`);
      frame = readFrame(src, marker, at, length);
    } else if (marker === SOS) {
      if (!frame) throw fail('jpeg', 'E_BAD_HEADER', `a scan header (SOS at byte ${at - 2}) before any frame header`);
      checkScan(src, frame, tables, at, length);
      scanData = at + length;
      break;
    } else if (marker === DQT) {
      tables.quant |= checkDqt(src, at, length);
    } else if (marker === DHT) {
      checkDht(src, at, length, tables);
    } else if (marker === DAC) {
      checkDac(src, at, length);
    } else if (marker === DRI) {
      if (length !== 4) throw fail('jpeg', 'E_BAD_HEADER', `a DRI segment of length ${length} (must be 4)`);
      src.need(at, 4, 'the DRI segment');
    } else if (marker === APP2 && mpf === undefined && length > 8 && ascii(src.read(at + 2, 4), 0, 4) === 'MPF\0') {
      // Multi-Picture Format (CIPA DC-007): Pillow opens such a file as MPO, one frame per image.
      mpf = readMpf(src, at + 6, length - 6);
    } else if (marker === APP1 && !exifSeen && length > 6 && ascii(src.read(at + 2, 4), 0, 4) === 'Exif') {
      // libvips takes the first APP1 that starts "Exif" and ignores later ones, even when the
      // first is broken; only a proper "Exif\0\0" header is followed by a TIFF structure.
      exifSeen = true;
      if (length >= 8 && ascii(src.read(at + 6, 2), 0, 2) === '\0\0') {
        orientation = readExifOrientation(src, at + 8, length - 8);
      }
    }
    // libjpeg treats a length below 2 as an empty segment rather than an error; so do we.
    pos = at + Math.max(length, 2);
  }

  checkDatastreamEnd(src, scanData, structure);
  // `frame` is set: the loop ends only at an SOS after a frame header.
  const f = frame!;
  const n = f.components.length;
  return {
    format: 'jpeg',
    width: f.width,
    height: f.height,
    channels: n,
    bitsPerSample: 8,
    // sharp converts to sRGB on output: grey 1 -> 3 bands, CMYK/YCCK 4 -> 3; 2 bands pass as is.
    outputChannels: n === 1 || n === 4 ? 3 : n,
    frames: 1,
    ...(orientation !== undefined ? { orientation } : {}),
    space: n === 1 ? 'b-w' : n === 4 ? 'cmyk' : 'srgb',
    progressive: isProgressive(f.marker),
    sampling: f.components.map((c) => c.sampling),
    ...(mpf && mpf.frames > 1 ? mpoFrames(src, mpf, f) : {}),
  };
}

interface Mpf {
  /** NumberOfImages (tag 0xB001). */
  frames: number;
  /** Where each later image starts in the file (MP Entry 0xB002 data offsets, from the MP header). */
  offsets: number[];
}

/** Most MP entries read: real files hold 2 (stereo) to a handful. */
const MAX_MPO_FRAMES = 1024;

/**
 * The MP Index IFD (CIPA DC-007 §5.2.2): NumberOfImages, and the MP Entry table of 16-byte
 * records (attributes, size, data offset from the MP header, two dependent-image entries). The
 * first image is this JPEG; Pillow's MpoImagePlugin opens every other at its offset.
 */
function readMpf(src: ByteSource, header: number, length: number): Mpf | undefined {
  const frames = readIfd0Tag(src, header, length, 0xb001);
  if (frames === undefined || frames < 1 || frames > MAX_MPO_FRAMES) return undefined;
  const entriesAt = readIfd0Tag(src, header, length, 0xb002);
  const offsets: number[] = [];
  if (entriesAt !== undefined && entriesAt + 16 * frames <= length) {
    const table = src.read(header + entriesAt, 16 * frames);
    const le = src.read(header, 1)[0] === 0x49;
    for (let i = 1; i < frames && 16 * i + 12 <= table.length; i++) {
      const o = le ? u32le(table, 16 * i + 8) : u32be(table, 16 * i + 8);
      offsets.push(header + o);
    }
  }
  return { frames, offsets };
}

/**
 * Pillow's frames of an MPO: the count, and the largest later frame, read from each image's own
 * frame header; an image whose frame header cannot be found counts as the first frame's size.
 */
function mpoFrames(src: ByteSource, mpf: Mpf, first: Frame): Pick<Header, 'pillowFrames' | 'pillowLaterFrame'> {
  let largest = { width: first.width, height: first.height, mode: modeOf(first.components.length) };
  for (const at of mpf.offsets) {
    const f = frameSizeAt(src, at);
    if (
      f &&
      BigInt(f.width) * BigInt(f.height) * BigInt(bytesOf(f.mode)) >
        BigInt(largest.width) * BigInt(largest.height) * BigInt(bytesOf(largest.mode))
    )
      largest = f;
  }
  return { pillowFrames: mpf.frames, pillowLaterFrame: largest };
}

const modeOf = (components: number): string => (components === 1 ? 'L' : components === 4 ? 'CMYK' : 'RGB');
const bytesOf = (mode: string): number => (mode === 'L' ? 1 : 4);

/** The size of the JPEG starting at `at` (SOI, then segments up to a frame header), or null. */
function frameSizeAt(src: ByteSource, at: number): { width: number; height: number; mode: string } | null {
  const soi = src.read(at, 2);
  if (soi[0] !== 0xff || soi[1] !== SOI) return null;
  let pos = at + 2;
  for (let segments = 0; segments < MAX_SEGMENTS; segments++) {
    const m = src.read(pos, 10);
    if (m.length < 4 || m[0] !== 0xff) return null;
    const marker = m[1]!;
    if (DECODED_SOF.has(marker) || REFUSED_SOF[marker]) {
      if (m.length < 10) return null;
      return { height: (m[5]! << 8) | m[6]!, width: (m[7]! << 8) | m[8]!, mode: modeOf(m[9]!) };
    }
    pos += 2 + ((m[2]! << 8) | m[3]!);
  }
  return null;
}

/** Bytes read at a time when looking for EOI, from the end of the file backwards. */
const EOI_CHUNK = 64 * 1024;
/** Without `structure`, EOI is looked for only when at most this much follows the first scan header. */
const SMALL_SCAN_DATA = 4096;
const EOI_BYTES = Buffer.from([0xff, EOI]);

/**
 * Whether the datastream ends (T.81 §B.2.1: with EOI). libjpeg fails the decode of a file that
 * ends before EOI ("premature end of JPEG image"), and the bytes FF D9 cannot occur inside
 * entropy-coded data (§B.1.1.5: every 0xFF there is followed by a stuffed 0x00 or an RST marker)
 * nor in the segments between scans. So a file with no FF D9 after its first scan header is cut
 * off, and one with FF D9 anywhere after it has its EOI: whatever follows is trailing data
 * (motion photos' MP4, MPO and gain-map frames, padding), which the decoder never reads.
 * Always checked: that some data follows the first scan header, and, when little does (small
 * files, already in hand), the EOI. With `structure`, the EOI of every file: read backwards
 * from the end in 64 KiB steps, stopping at the first FF D9, within the read caps (a file cut
 * off and larger than them is left to `--verify`).
 */
function checkDatastreamEnd(src: ByteSource, scanData: number, structure: boolean): void {
  if (src.read(scanData, 1).length === 0) {
    throw fail(
      'jpeg',
      'E_TRUNCATED',
      `the file ends right after the first scan header (byte ${scanData}): no image data`,
    );
  }
  const known = src.sizeIfKnown;
  if (!structure && (known < 0 || known - scanData > SMALL_SCAN_DATA)) return;
  const size = src.size;
  if (size === Infinity) return;
  for (let end = size; end > scanData; ) {
    const from = Math.max(scanData, end - EOI_CHUNK);
    let bytes: Uint8Array;
    try {
      // One byte more than the step, so an FF D9 across two steps is seen.
      bytes = src.read(from, Math.min(size, end + 1) - from);
    } catch (e) {
      if (e instanceof ProbeFailure && e.code === 'E_HEADER_TOO_LARGE') return;
      throw e;
    }
    if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).indexOf(EOI_BYTES) >= 0) return;
    end = from;
  }
  throw fail(
    'jpeg',
    'E_TRUNCATED',
    `the file ends (at byte ${size}) before the EOI marker that closes the image data: the image data is cut off`,
  );
}

/**
 * The marker at `pos` (T.81 §B.1.1.2): an 0xFF, any number of 0xFF fill bytes, then the code.
 * Returns the code and the offset just after it. Bytes other than 0xFF where a marker must be
 * are refused: libjpeg skips them but warns, and sharp fails the decode on that warning.
 */
function nextMarker(src: ByteSource, pos: number): { marker: number; at: number } {
  const what = (): string => `the marker at byte ${pos}`;
  const first = src.u8(pos, what);
  if (first !== 0xff)
    throw fail('jpeg', 'E_BAD_HEADER', `byte ${pos} should start a marker (0xFF) but is ${hex(first)}`);
  for (let at = pos + 1; ; at++) {
    const marker = src.u8(at, what);
    if (marker === 0xff) {
      if (at - pos > MAX_FILL)
        throw fail('jpeg', 'E_BAD_HEADER', `more than ${MAX_FILL} fill bytes (0xFF) before a marker at byte ${pos}`);
      continue;
    }
    if (marker === 0x00)
      throw fail('jpeg', 'E_BAD_HEADER', `a stuffed byte (FF 00) at byte ${at - 1}, outside any scan`);
    return { marker, at: at + 1 };
  }
}

/** The frame header (T.81 §B.2.2): P, Y, X, Nf, then Nf component specifications. */
function readFrame(src: ByteSource, marker: number, at: number, length: number): Frame {
  const h = src.need(at, 8, () => `the frame header at byte ${at - 2}`);
  const precision = h[2]!;
  const height = u16be(h, 3);
  const width = u16be(h, 5);
  const n = h[7]!;
  if (width === 0 || height === 0 || n === 0) {
    // Y = 0 defers the height to a DNL segment after the first scan (T.81 §B.2.5); libjpeg does
    // not support DNL and refuses the file, so there is no height to bound.
    const dnl =
      height === 0 && width !== 0 && n !== 0 ? ' (a height set later by DNL, which sharp does not support)' : '';
    throw fail('jpeg', 'E_DIMENSIONS', `invalid frame ${width}x${height} with ${n} components${dnl}`);
  }
  if (length !== 8 + 3 * n) {
    throw fail('jpeg', 'E_BAD_HEADER', `a frame header of length ${length} for ${n} components (must be ${8 + 3 * n})`);
  }
  const body = src.need(at, length, () => `the frame header at byte ${at - 2}`);
  const components: Component[] = [];
  for (let c = 0; c < n; c++) {
    const sampling = body[8 + 3 * c + 1]!;
    const hs = sampling >> 4;
    const vs = sampling & 15;
    if (hs < 1 || hs > 4 || vs < 1 || vs > 4) {
      throw fail('jpeg', 'E_BAD_HEADER', `component ${c + 1} has sampling factors ${hs}x${vs} (each must be 1..4)`);
    }
    components.push({ id: body[8 + 3 * c]!, sampling: [hs, vs], blocks: hs * vs, tq: body[8 + 3 * c + 2]! });
  }
  if (n > MAX_COMPONENTS)
    throw fail('jpeg', 'E_BAD_HEADER', `${n} components (libjpeg reads at most ${MAX_COMPONENTS})`);
  if (n > MAX_SHARP_COMPONENTS) {
    throw fail(
      'jpeg',
      'E_UNSUPPORTED_FEATURE',
      `${n} components; sharp opens JPEGs of at most ${MAX_SHARP_COMPONENTS}`,
    );
  }
  if (width > MAX_DIMENSION || height > MAX_DIMENSION) {
    throw fail(
      'jpeg',
      'E_UNSUPPORTED_FEATURE',
      `a ${width}x${height} frame; sharp's libjpeg decodes at most ${MAX_DIMENSION} pixels a side`,
    );
  }
  // libjpeg accepts precisions 8, 12 and 16 (and refuses any other, also for lossless SOF3), but
  // libvips reads through the 8-bit interface, so 12- and 16-bit frames fail to decode.
  if (precision === 12 || precision === 16) {
    throw fail(
      'jpeg',
      'E_UNSUPPORTED_FEATURE',
      `${precision}-bit samples; sharp's JPEG decoder reads only 8-bit JPEGs`,
    );
  }
  if (precision !== 8) throw fail('jpeg', 'E_BAD_HEADER', `an invalid sample precision of ${precision} bits`);
  return { marker, width, height, components };
}

/**
 * The first scan header (T.81 §B.2.3): Ns in 1..4, length 6 + 2·Ns, each selector a frame
 * component, then what libjpeg checks before decoding the scan: quantisation tables of its
 * components defined (§B.2.4.1), Huffman tables it uses defined and valid (a sequential decoder
 * supplies the standard tables 0 and 1 when they are missing), at most 10 blocks per MCU
 * (§B.2.3, A.2.3), and the spectral selection and successive approximation a first scan may
 * have (§G.1.1.1.1, H.1.2).
 */
function checkScan(src: ByteSource, frame: Frame, tables: Tables, at: number, length: number): void {
  const ns = src.need(at, 3, () => `the scan header at byte ${at - 2}`)[2]!;
  if (ns < 1 || ns > 4 || length !== 6 + 2 * ns) {
    throw fail('jpeg', 'E_BAD_HEADER', `a scan header of length ${length} for ${ns} components`);
  }
  const body = src.need(at, length, () => `the scan header at byte ${at - 2}`);
  const ss = body[3 + 2 * ns]!;
  const se = body[4 + 2 * ns]!;
  const ah = body[5 + 2 * ns]! >> 4;
  const al = body[5 + 2 * ns]! & 15;
  const m = frame.marker;
  const huffman = m === 0xc0 || m === 0xc1 || m === 0xc2 || m === 0xc3;
  const lossless = m === 0xc3;
  const progressive = isProgressive(m);
  const sequential = !lossless && !progressive;
  let blocks = 0;
  for (let c = 0; c < ns; c++) {
    const id = body[3 + 2 * c]!;
    const comp = frame.components.find((k) => k.id === id);
    if (!comp) throw fail('jpeg', 'E_BAD_HEADER', `the scan names component ${id}, which the frame does not have`);
    blocks += comp.blocks;
    if (!lossless && !(comp.tq < TABLE_SLOTS && tables.quant & (1 << comp.tq))) {
      throw fail('jpeg', 'E_BAD_HEADER', `component ${id} uses quantisation table ${comp.tq}, which is not defined`);
    }
    if (huffman) {
      const td = body[4 + 2 * c]! >> 4;
      const ta = body[4 + 2 * c]! & 15;
      // A progressive or lossless first scan codes DC (or predictions) only: no AC table.
      if (!huffmanDefined(td, tables.dc, sequential))
        throw fail('jpeg', 'E_BAD_HEADER', `the scan uses DC Huffman table ${td}, which is not defined`);
      if (tables.badDc & (1 << td) || (!lossless && tables.dc16 & (1 << td))) {
        throw fail('jpeg', 'E_BAD_HEADER', `the scan uses DC Huffman table ${td}, whose definition is invalid`);
      }
      if (!progressive && !lossless) {
        if (!huffmanDefined(ta, tables.ac, sequential))
          throw fail('jpeg', 'E_BAD_HEADER', `the scan uses AC Huffman table ${ta}, which is not defined`);
        if (tables.badAc & (1 << ta))
          throw fail('jpeg', 'E_BAD_HEADER', `the scan uses AC Huffman table ${ta}, whose definition is invalid`);
      }
    }
  }
  if (ns > 1 && blocks > MAX_BLOCKS_IN_MCU) {
    throw fail(
      'jpeg',
      'E_BAD_HEADER',
      `an interleaved scan of ${blocks} blocks per MCU (at most ${MAX_BLOCKS_IN_MCU})`,
    );
  }
  // libjpeg fails (or warns, and sharp fails on the warning) on any other first scan.
  const ok = lossless
    ? ss >= 1 && ss <= 7 && se === 0 && ah === 0 && al < 8
    : progressive
      ? ss === 0 && se === 0 && ah === 0 && al <= 13
      : ss === 0 && se === 63 && ah === 0 && al === 0;
  if (!ok) {
    throw fail(
      'jpeg',
      'E_BAD_HEADER',
      `invalid first-scan parameters Ss=${ss} Se=${se} Ah=${ah} Al=${al} for ` +
        `${lossless ? 'a lossless' : progressive ? 'a progressive' : 'a sequential'} JPEG`,
    );
  }
}

/** A Huffman table selector is usable when defined; a sequential decoder also falls back to the
 * standard tables (T.81 §K.3) for undefined slots 0 and 1, as libjpeg-turbo does for Motion JPEG. */
function huffmanDefined(slot: number, defined: number, sequential: boolean): boolean {
  return (sequential && slot < 2) || (slot < TABLE_SLOTS && (defined & (1 << slot)) !== 0);
}

/**
 * A DQT segment (T.81 §B.2.4.1): tables of Pq/Tq then 64 entries of 1 or 2 bytes. Walked table
 * by table reading only the Pq/Tq bytes. Returns the mask of tables it defines. As libjpeg-turbo:
 * Tq must be 0..3, each table must be whole (any nonzero Pq means 16-bit entries), and a length
 * below 2 is refused.
 */
function checkDqt(src: ByteSource, at: number, length: number): number {
  if (length < 2) throw fail('jpeg', 'E_BAD_HEADER', `a DQT segment of length ${length}`);
  let defined = 0;
  let rest = length - 2;
  let p = at + 2;
  // Each step consumes at least 65 bytes of a segment of at most 65533: at most 1008 steps.
  while (rest > 0) {
    const pqtq = src.u8(p, () => `the DQT segment at byte ${at - 2}`);
    rest--;
    const tq = pqtq & 15;
    if (tq >= TABLE_SLOTS) throw fail('jpeg', 'E_BAD_HEADER', `a DQT defines table ${tq} (must be 0..3)`);
    const bytes = pqtq >> 4 ? 128 : 64;
    if (rest < bytes) throw fail('jpeg', 'E_BAD_HEADER', `a DQT segment of length ${length} ends inside table ${tq}`);
    defined |= 1 << tq;
    rest -= bytes;
    p += 1 + bytes;
  }
  return defined;
}

/**
 * A DHT segment (T.81 §B.2.4.2): tables of Tc/Th, 16 code-length counts, then the values.
 * Walked table by table, reading 17 bytes each. As libjpeg: Tc 0..1, Th 0..3, at most 256
 * values, and the tables must fill the segment exactly.
 */
function checkDht(src: ByteSource, at: number, length: number, tables: Tables): void {
  let rest = length - 2;
  let p = at + 2;
  while (rest > 16) {
    const h = src.need(p, 17, () => `the DHT segment at byte ${at - 2}`);
    const index = h[0]!;
    let count = 0;
    for (let i = 1; i <= 16; i++) count += h[i]!;
    rest -= 17;
    if (count > 256 || count > rest)
      throw fail(
        'jpeg',
        'E_BAD_HEADER',
        `a Huffman table with ${count} values in a DHT segment with ${rest} bytes left`,
      );
    if ((index & ~0x13) !== 0) throw fail('jpeg', 'E_BAD_HEADER', `a DHT defines table class/index ${hex(index)}`);
    const bit = 1 << (index & 3);
    let bad = !canonicalCodesFit(h);
    if (index & 0x10) {
      tables.ac |= bit;
      tables.badAc = bad ? tables.badAc | bit : tables.badAc & ~bit;
    } else {
      // DC symbols are difference categories 0..11 (16 for lossless); libjpeg refuses above 15.
      const values = src.need(p + 17, count, () => `the DHT segment at byte ${at - 2}`);
      let max = 0;
      for (let i = 0; i < count; i++) max = Math.max(max, values[i]!);
      bad ||= max > 16;
      tables.dc |= bit;
      tables.badDc = bad ? tables.badDc | bit : tables.badDc & ~bit;
      tables.dc16 = max === 16 ? tables.dc16 | bit : tables.dc16 & ~bit;
    }
    rest -= count;
    p += 17 + count;
  }
  if (rest !== 0) throw fail('jpeg', 'E_BAD_HEADER', `a DHT segment of length ${length} that its tables do not fill`);
}

/**
 * Whether the code-length counts BITS (T.81 §C.2, Figure C.2) give canonical codes that fit in
 * their lengths, none all ones: what libjpeg's jpeg_make_d_derived_tbl checks. `h` holds Tc/Th
 * then the 16 counts.
 */
function canonicalCodesFit(h: Uint8Array): boolean {
  let longest = 0;
  for (let l = 1; l <= 16; l++) if (h[l]! > 0) longest = l;
  let code = 0;
  for (let l = 1; l <= longest; l++) {
    code += h[l]!;
    if (code >= 1 << l) return false;
    code *= 2;
  }
  return true;
}

/**
 * A DAC segment (T.81 §B.2.4.3): pairs of Tc/Tb and a conditioning value. As libjpeg: the
 * length must be even, table indices 0..15 per class, DC bounds L <= U, AC Kx in 1..63.
 */
function checkDac(src: ByteSource, at: number, length: number): void {
  if (length < 2 || length % 2 !== 0) throw fail('jpeg', 'E_BAD_HEADER', `a DAC segment of length ${length}`);
  const body = src.need(at + 2, length - 2, () => `the DAC segment at byte ${at - 2}`);
  for (let i = 0; i + 1 < body.length; i += 2) {
    const index = body[i]!;
    const value = body[i + 1]!;
    if (index >= 32) throw fail('jpeg', 'E_BAD_HEADER', `a DAC names table ${hex(index)}`);
    const bad = index < 16 ? (value & 15) > value >> 4 : value < 1 || value > 63;
    if (bad) throw fail('jpeg', 'E_BAD_HEADER', `a DAC conditioning value ${value} for table ${hex(index)}`);
  }
}
