import { u16be, u16le, u32be, u32le, u64be, u64le } from '../bytes.js';
import { fail, ProbeFailure } from '../failure.js';
import type { Header, PixelLayout } from '../header.js';
import type { ByteSource } from '../source.js';

/** "II*\0" little-endian classic, "MM\0*" big-endian classic, "II+\0" / "MM\0+" BigTIFF. */
export function sniffTiff(h: Uint8Array): boolean {
  if (h.length < 4) return false;
  if (h[0] === 0x49 && h[1] === 0x49 && h[3] === 0) return h[2] === 42 || h[2] === 43;
  if (h[0] === 0x4d && h[1] === 0x4d && h[2] === 0) return h[3] === 42 || h[3] === 43;
  return false;
}

/** Most pages walked in the main IFD chain; a longer chain is taken as a loop. */
const MAX_PAGES = 10000;
/** Most entries one IFD may hold. Classic TIFF counts are 16-bit; BigTIFF ones are capped here. */
const MAX_ENTRIES = 65535;
/** Largest width/height libtiff accepts (32-bit fields). */
const MAX_DIM = 0xffffffff;

// Tags (TIFF 6.0 §8 baseline, §22 CIELab, Adobe tech note 3 for SampleFormat).
const T_WIDTH = 256;
const T_LENGTH = 257;
const T_BITS = 258;
const T_COMPRESSION = 259;
const T_PHOTOMETRIC = 262;
const T_STRIP_OFFSETS = 273;
const T_ORIENTATION = 274;
const T_SAMPLES = 277;
const T_ROWS_PER_STRIP = 278;
const T_STRIP_BYTE_COUNTS = 279;
const T_PLANAR = 284;
const T_COLORMAP = 320;
const T_TILE_WIDTH = 322;
const T_TILE_LENGTH = 323;
const T_TILE_OFFSETS = 324;
const T_TILE_BYTE_COUNTS = 325;
const T_EXTRA_SAMPLES = 338;
const T_SAMPLE_FORMAT = 339;
const T_YCBCR_SUBSAMPLING = 530;

/** Byte size of each field type (TIFF 6.0 §2 "Types"; BigTIFF adds 16 LONG8, 17 SLONG8, 18 IFD8). */
const TYPE_SIZE: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
  16: 8,
  17: 8,
  18: 8,
};

// Photometric interpretations (TIFF 6.0 §8, §16 separated, §21 YCbCr, §23 CIELab; LogLuv tech note).
const PM_WHITE_IS_ZERO = 0;
const PM_BLACK_IS_ZERO = 1;
const PM_RGB = 2;
const PM_PALETTE = 3;
const PM_SEPARATED = 5;
const PM_YCBCR = 6;
const PM_CIELAB = 8;
const PM_ICCLAB = 9;
const PM_ITULAB = 10;
const PM_LOGL = 32844;
const PM_LOGLUV = 32845;

const COMPRESSION_OJPEG = 6;
const COMPRESSION_JPEG = 7;

interface Entry {
  type: number;
  count: number;
  /** Absolute offset of the value bytes (inline in the entry, or where the entry points). */
  at: number;
}

interface Geometry {
  le: boolean;
  big: boolean;
  r16: (b: Uint8Array, i: number) => number;
  r32: (b: Uint8Array, i: number) => number;
  r64: (b: Uint8Array, i: number) => number;
}

/** The facts of one page (IFD) that decide how libvips loads it. */
interface Page extends PixelLayout {
  orientation?: number;
  /** Pillow's mode where libvips widens the layout (TiffImagePlugin OPEN_INFO): P, 1, F. */
  pillowMode?: string;
  space: string;
  notes: string[];
}

/**
 * TIFF 6.0 and BigTIFF (TIFF 6.0 §2 file structure: header, IFD chain, entries inline or at
 * offsets; §8 baseline fields; §16 CMYK, §21 YCbCr, §23 CIELab; Adobe TIFF tech note 3 for
 * SampleFormat and 16-bit floats; the BigTIFF proposal for version 43, 8-byte offsets and 20-byte
 * entries). Reads the main IFD chain: page 1 decides the layout; later pages are counted (with
 * loop detection) and listed in `otherPages` when they differ. SubIFDs are not pages.
 * The loaded bands/depth follow libvips' tiff2vips, verified against sharp (see the tests).
 */
export function readTiffHeader(src: ByteSource, structure = false): Header {
  const head = src.need(0, 8, 'the TIFF header');
  if (!sniffTiff(head)) throw fail('tiff', 'E_BAD_SIGNATURE', 'not a TIFF byte-order mark and version');
  const le = head[0] === 0x49;
  const r16 = le ? u16le : u16be;
  const g: Geometry = { le, big: r16(head, 2) === 43, r16, r32: le ? u32le : u32be, r64: le ? u64le : u64be };
  let first: number;
  if (g.big) {
    const h = src.need(0, 16, 'the BigTIFF header');
    // BigTIFF: bytesize of offsets (8) and a zero pad, then the first IFD's 8-byte offset.
    if (r16(h, 4) !== 8 || r16(h, 6) !== 0)
      throw fail('tiff', 'E_BAD_HEADER', 'a BigTIFF header whose offset size is not 8');
    first = g.r64(h, 8);
  } else {
    first = g.r32(head, 4);
  }

  const visited = new Set<number>();
  let offset = first;
  let page1: Page | undefined;
  const others: PixelLayout[] = [];
  const notes: string[] = [];
  let frames = 0;
  while (offset !== 0) {
    if (visited.has(offset)) {
      // libtiff reads the pages before the loop, but warns of it, and sharp's default failOn then
      // refuses to decode even page 1 (verified against sharp): the file is corrupt.
      throw fail('tiff', 'E_STRUCTURE_LOOP', `the IFD chain loops back to offset ${offset}`);
    }
    if (frames >= MAX_PAGES) throw fail('tiff', 'E_STRUCTURE_LOOP', `more than ${MAX_PAGES} pages in the IFD chain`);
    visited.add(offset);
    let ifd: { entries: Map<number, Entry>; next: number };
    try {
      ifd = readIfd(src, g, offset);
    } catch (e) {
      // A later IFD that is cut off or broken makes libtiff refuse the file ("Can not read TIFF
      // directory", verified against sharp), so it is corrupt too. Only our own read caps on a
      // very long chain stop the count without a verdict on the file.
      if (page1 && e instanceof ProbeFailure && e.code === 'E_HEADER_TOO_LARGE') {
        notes.push(`stopped counting pages at ${frames}: ${e.message}`);
        break;
      }
      throw e;
    }
    frames++;
    if (!page1) {
      page1 = readPage(src, g, ifd.entries, true);
      asciiNotes(src, ifd.entries, page1.notes);
      checkImageData(src, g, ifd.entries, structure);
    } else {
      let page: Page;
      try {
        page = readPage(src, g, ifd.entries, false);
      } catch (e) {
        if (e instanceof ProbeFailure) {
          notes.push(`page ${frames} is unreadable (${e.message}); counted but not described`);
          offset = ifd.next;
          continue;
        }
        throw e;
      }
      if (differs(page, page1) && others.length < MAX_PAGES) others.push(layoutOf(page));
    }
    offset = ifd.next;
  }
  if (!page1) throw fail('tiff', 'E_BAD_HEADER', 'the first IFD offset is 0: the file has no image');

  const allNotes = [...page1.notes, ...notes];
  return {
    format: 'tiff',
    ...layoutOf(page1),
    frames,
    ...(page1.orientation !== undefined ? { orientation: page1.orientation } : {}),
    ...(page1.pillowMode !== undefined ? { pillowMode: page1.pillowMode } : {}),
    ...(others.length ? { otherPages: others } : {}),
    space: page1.space,
    ...(allNotes.length ? { notes: allNotes } : {}),
  };
}

function layoutOf(p: Page): PixelLayout {
  return {
    width: p.width,
    height: p.height,
    channels: p.channels,
    bitsPerSample: p.bitsPerSample,
    ...(p.outputChannels !== undefined && p.outputChannels !== p.channels ? { outputChannels: p.outputChannels } : {}),
  };
}

function differs(a: PixelLayout, b: PixelLayout): boolean {
  return (
    a.width !== b.width ||
    a.height !== b.height ||
    a.channels !== b.channels ||
    a.bitsPerSample !== b.bitsPerSample ||
    (a.outputChannels ?? a.channels) !== (b.outputChannels ?? b.channels)
  );
}

/** ASCII fields checked for their terminating NUL on page 1; real files have a handful. */
const MAX_ASCII_CHECKS = 32;

/**
 * TIFF 6.0 §2 requires ASCII values to end in NUL. libtiff warns about one that does not, and
 * sharp's default `failOn: 'warning'` then refuses to decode the pixels (verified against sharp),
 * though the header reads: such a header is invalid for the decoder, so the file is corrupt.
 * One byte per field is read, for a bounded number of fields.
 */
function asciiNotes(src: ByteSource, entries: Map<number, Entry>, _notes: string[]): void {
  let checked = 0;
  for (const [tag, e] of entries) {
    if (e.type !== 2 || e.count === 0) continue;
    if (checked++ >= MAX_ASCII_CHECKS) break;
    const last = e.at + e.count - 1;
    if (!Number.isSafeInteger(last) || last >= src.size) continue;
    if (src.read(last, 1)[0] !== 0) {
      throw fail(
        'tiff',
        'E_BAD_HEADER',
        `ASCII field ${tag} does not end in NUL: libtiff warns, and sharp's default failOn refuses to decode the file`,
      );
    }
  }
}

/** One IFD's entries (TIFF 6.0 §2 "Image File Directory"), read in one bounded piece. */
function readIfd(src: ByteSource, g: Geometry, offset: number): { entries: Map<number, Entry>; next: number } {
  const countSize = g.big ? 8 : 2;
  const entrySize = g.big ? 20 : 12;
  const offSize = g.big ? 8 : 4;
  if (!Number.isSafeInteger(offset) || offset < 8)
    throw fail('tiff', 'E_BAD_HEADER', `an IFD offset (${offset}) points into the file header`);
  if (offset + countSize > src.size)
    throw fail('tiff', 'E_TRUNCATED', `the IFD at offset ${offset} is past the end of the file`);
  const countBytes = src.need(offset, countSize, () => `the entry count of the IFD at ${offset}`);
  const count = g.big ? g.r64(countBytes, 0) : g.r16(countBytes, 0);
  if (count === 0) throw fail('tiff', 'E_BAD_HEADER', `the IFD at offset ${offset} has no entries`);
  if (count > MAX_ENTRIES) throw fail('tiff', 'E_BAD_HEADER', `the IFD at offset ${offset} claims ${count} entries`);
  const length = count * entrySize + offSize;
  // Check the claimed size against the file before reading, so a lying count costs nothing.
  if (offset + countSize + length > src.size) {
    throw fail('tiff', 'E_TRUNCATED', `the IFD at offset ${offset} (${count} entries) runs past the end of the file`);
  }
  const bytes = src.need(offset + countSize, length, () => `the IFD at offset ${offset}`);
  const entries = new Map<number, Entry>();
  const inline = g.big ? 8 : 4;
  for (let i = 0; i < count; i++) {
    const e = i * entrySize;
    const tag = g.r16(bytes, e);
    const type = g.r16(bytes, e + 2);
    const n = g.big ? g.r64(bytes, e + 4) : g.r32(bytes, e + 4);
    const size = TYPE_SIZE[type];
    // Unknown types are skipped, as libtiff does; the first of a duplicated tag wins.
    if (size === undefined || entries.has(tag) || !Number.isSafeInteger(n)) continue;
    const valueAt = offset + countSize + e + (g.big ? 12 : 8);
    const at = n * size <= inline ? valueAt : g.big ? g.r64(bytes, e + 12) : g.r32(bytes, e + 8);
    entries.set(tag, { type, count: n, at });
  }
  const next = g.big ? g.r64(bytes, count * entrySize) : g.r32(bytes, count * entrySize);
  if (!Number.isSafeInteger(next))
    throw fail('tiff', 'E_BAD_HEADER', `the next-IFD offset after ${offset} is out of range`);
  return { entries, next };
}

/**
 * Up to `max` integer values of an entry. Only integer types are accepted for the fields read
 * here; the value bytes are checked against the file size before they are read.
 */
function values(src: ByteSource, g: Geometry, e: Entry | undefined, max: number, name: string): number[] | undefined {
  if (!e || e.count === 0) return undefined;
  const size = TYPE_SIZE[e.type]!;
  if (![1, 3, 4, 8, 9, 16, 13, 18].includes(e.type)) {
    throw fail('tiff', 'E_BAD_HEADER', `${name} has a non-integer field type ${e.type}`);
  }
  const n = Math.min(e.count, max);
  if (!Number.isSafeInteger(e.at) || e.at + n * size > src.size) {
    throw fail('tiff', 'E_TRUNCATED', `the value of ${name} (at offset ${e.at}) is past the end of the file`);
  }
  const b = src.need(e.at, n * size, () => `the value of ${name}`);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * size;
    switch (e.type) {
      case 1:
        out.push(b[o]!);
        break;
      case 3:
        out.push(g.r16(b, o));
        break;
      case 8: {
        const v = g.r16(b, o);
        out.push(v >= 0x8000 ? v - 0x10000 : v);
        break;
      }
      case 9:
        out.push(g.r32(b, o) | 0);
        break;
      case 4:
      case 13:
        out.push(g.r32(b, o));
        break;
      default:
        out.push(g.r64(b, o));
        break; // 16, 17, 18 (SLONG8 above 2^53 is rejected below)
    }
  }
  return out;
}

function one(src: ByteSource, g: Geometry, entries: Map<number, Entry>, tag: number, name: string): number | undefined {
  return values(src, g, entries.get(tag), 1, name)?.[0];
}

/** How libvips' tiff2vips loads one page: bands, sample depth, and sharp's sRGB output bands. */
function readPage(src: ByteSource, g: Geometry, entries: Map<number, Entry>, first: boolean): Page {
  const width = one(src, g, entries, T_WIDTH, 'ImageWidth');
  const height = one(src, g, entries, T_LENGTH, 'ImageLength');
  if (width === undefined || height === undefined) {
    throw fail('tiff', 'E_BAD_HEADER', 'a required field is missing: ImageWidth or ImageLength (TIFF 6.0 §8)');
  }
  if (width < 1 || height < 1 || width > MAX_DIM || height > MAX_DIM) {
    throw fail('tiff', 'E_DIMENSIONS', `invalid dimensions ${width}x${height}`);
  }
  // libtiff refuses a directory without image data locations (TIFF 6.0 §8 "required fields").
  if (first && !entries.has(T_STRIP_OFFSETS) && !entries.has(T_TILE_OFFSETS)) {
    throw fail('tiff', 'E_BAD_HEADER', 'a required field is missing: StripOffsets or TileOffsets');
  }
  // tiff2vips refuses a page without PhotometricInterpretation ("required field 262 missing").
  const photometric = one(src, g, entries, T_PHOTOMETRIC, 'PhotometricInterpretation');
  if (photometric === undefined) {
    throw fail('tiff', 'E_BAD_HEADER', 'a required field is missing: PhotometricInterpretation');
  }
  const notes: string[] = [];
  const spp = one(src, g, entries, T_SAMPLES, 'SamplesPerPixel') ?? 1;
  if (spp < 1 || spp > 0xffff) throw fail('tiff', 'E_BAD_HEADER', `invalid SamplesPerPixel ${spp}`);
  // BitsPerSample has one value per sample; libtiff cannot handle samples of different sizes.
  const bitsAll = values(src, g, entries.get(T_BITS), Math.min(spp, 64), 'BitsPerSample') ?? [1];
  const bits = bitsAll[0]!;
  if (bitsAll.some((b) => b !== bits)) {
    throw fail('tiff', 'E_UNSUPPORTED_FEATURE', `samples of different sizes (BitsPerSample ${bitsAll.join(',')})`);
  }
  if (bits < 1 || bits > 64) throw fail('tiff', 'E_BAD_HEADER', `invalid BitsPerSample ${bits}`);
  const format = one(src, g, entries, T_SAMPLE_FORMAT, 'SampleFormat') ?? 1;
  const compression = one(src, g, entries, T_COMPRESSION, 'Compression') ?? 1;
  // libtiff rejects an Orientation outside 1..8 ('Bad value for "Orientation" tag').
  const orientation = one(src, g, entries, T_ORIENTATION, 'Orientation');
  if (orientation !== undefined && (orientation < 1 || orientation > 8)) {
    throw fail('tiff', 'E_BAD_HEADER', `invalid Orientation ${orientation}`);
  }
  const extras = entries.get(T_EXTRA_SAMPLES)?.count ?? 0;

  let channels = spp;
  let depth: number;
  let space: string;
  // Bands of the sRGB raw output: grey (+ extras) gains 2 bands, CMYK (+ extras) loses 1.
  let output: number | undefined;
  // Colour channels the photometric interpretation implies (for the ExtraSamples check).
  let colour: number | undefined;

  /** Sample sizes tiff2vips copies as they are: 8, 16 and 32 bits; 64-bit samples it refuses. */
  const copyDepth = (): number => {
    if (bits !== 8 && bits !== 16 && bits !== 32) {
      throw fail('tiff', 'E_UNSUPPORTED_FEATURE', `${bits}-bit samples with photometric ${photometric}`);
    }
    return bits === 16 && format === 3 ? 32 : bits; // half floats load as 32-bit float
  };

  if (photometric === PM_CIELAB || photometric === PM_ICCLAB || photometric === PM_ITULAB) {
    colour = 3;
    if (spp < 3) throw fail('tiff', 'E_UNSUPPORTED_FEATURE', `Lab with ${spp} samples per pixel`);
    if (bits === 8 && spp > 3) {
      // 8-bit Lab with extra samples loads as 16-bit LabS.
      depth = 16;
    } else if (bits === 8) {
      // 8-bit Lab without extras loads as packed LabQ; its decoded form can be 3 floats per pixel.
      depth = 32;
      notes.push('8-bit CIELab: taken as 3 float bands (the largest form libvips may give it)');
    } else {
      depth = copyDepth();
    }
    space = depth === 16 ? 'labs' : 'lab';
  } else if (photometric === PM_LOGL || photometric === PM_LOGLUV) {
    // SGI LogLuv is decoded by libtiff to float XYZ (3 bands) or float Y (1 band).
    channels = photometric === PM_LOGL ? 1 : 3;
    depth = 32;
    space = photometric === PM_LOGL ? 'b-w' : 'xyz';
    output = channels === 1 ? 3 : undefined;
    notes.push('LogLuv: taken as float samples');
  } else if (photometric === PM_PALETTE) {
    colour = 1;
    if (![1, 2, 4, 8, 16].includes(bits)) throw fail('tiff', 'E_UNSUPPORTED_FEATURE', `a ${bits}-bit palette`);
    const grey = paletteIsGrey(src, g, entries.get(T_COLORMAP), bits, notes);
    channels = grey ? spp : spp + 2;
    depth = bits === 16 ? 16 : 8;
    space = grey ? (depth === 16 ? 'grey16' : 'b-w') : depth === 16 ? 'rgb16' : 'srgb';
    if (grey) output = channels + 2;
  } else if (
    compression === COMPRESSION_OJPEG ||
    (photometric === PM_YCBCR && compression !== COMPRESSION_JPEG && !unsampled(src, g, entries))
  ) {
    // Old-style JPEG and chroma-subsampled YCbCr go through libtiff's RGBA reader: 4 bands of 8 bits.
    channels = 4;
    depth = 8;
    space = 'srgb';
    if (compression === COMPRESSION_OJPEG)
      notes.push('old-style JPEG: taken as 4 bands of 8 bits (the RGBA reader; not verified against sharp)');
  } else if (photometric === PM_WHITE_IS_ZERO || photometric === PM_BLACK_IS_ZERO) {
    colour = 1;
    if (bits < 8) {
      // 1, 2 and 4-bit grey unpack to 8 bits, one band only.
      if (![1, 2, 4].includes(bits)) throw fail('tiff', 'E_UNSUPPORTED_FEATURE', `${bits}-bit samples`);
      if (spp !== 1) throw fail('tiff', 'E_UNSUPPORTED_FEATURE', `${bits}-bit grey with ${spp} samples per pixel`);
      depth = 8;
    } else {
      depth = copyDepth();
    }
    space = depth === 16 ? 'grey16' : 'b-w';
    output = channels + 2;
  } else if (photometric === PM_SEPARATED && spp >= 4) {
    colour = 4;
    depth = copyDepth();
    space = 'cmyk';
    output = channels - 1;
  } else {
    // RGB, JPEG-compressed YCbCr (libtiff converts it to RGB), unsampled YCbCr and the rest:
    // one band per sample.
    colour = photometric === PM_RGB || photometric === PM_YCBCR ? 3 : undefined;
    depth = copyDepth();
    space = depth === 16 ? 'rgb16' : 'srgb';
    if (colour === undefined || spp < 3) {
      // sharp cannot convert these to sRGB; the loaded image is what it allocates.
      notes.push(`photometric ${photometric} with ${spp} samples: sharp cannot convert it to sRGB`);
    }
  }
  // Pillow keeps a palette image as P and a bilevel one as 1 (libvips widens both); float grey is F.
  let pillowMode: string | undefined;
  if (photometric === PM_PALETTE && bits <= 8 && spp === 1) pillowMode = 'P';
  else if (colour === 1 && bits === 1 && spp === 1) pillowMode = '1';
  else if (colour === 1 && spp === 1 && bits === 32 && format === 3) pillowMode = 'F';
  if (colour !== undefined && spp > colour + extras) {
    throw fail(
      'tiff',
      'E_BAD_HEADER',
      `${spp} samples but ${colour} colour channels and ${extras} ExtraSamples: libtiff warns, and sharp's ` +
        `default failOn refuses to decode the file`,
    );
  }

  return {
    width,
    height,
    channels,
    bitsPerSample: depth,
    ...(output !== undefined && output !== channels ? { outputChannels: output } : {}),
    ...(orientation !== undefined ? { orientation } : {}),
    ...(pillowMode !== undefined ? { pillowMode } : {}),
    space,
    notes,
  };
}

/** Whether YCbCr samples are stored without chroma subsampling (YCbCrSubSampling 1,1; default 2,2). */
function unsampled(src: ByteSource, g: Geometry, entries: Map<number, Entry>): boolean {
  const sub = values(src, g, entries.get(T_YCBCR_SUBSAMPLING), 2, 'YCbCrSubSampling');
  return sub !== undefined && sub[0] === 1 && sub[1] === 1;
}

/**
 * Compressions this sharp's libtiff decodes (TIFF 6.0 §8 Compression, and the codes libtiff
 * registers), found by decoding a TIFF with each code through sharp 0.35 / libvips 8.18: every
 * other code fails with "support is not configured" (old-style JPEG 6, PixarLog, JBIG, LERC,
 * LZMA 34925, ZSTD...) or "not implemented" (JPEG 2000, JPEG XL, 9/10, DCS...). Codecs that take
 * only some sample sizes carry them.
 */
const DECODED_COMPRESSIONS: Record<number, { name: string; bits?: number }> = {
  1: { name: 'none' },
  2: { name: 'CCITT RLE', bits: 1 },
  3: { name: 'CCITT Group 3', bits: 1 },
  4: { name: 'CCITT Group 4', bits: 1 },
  5: { name: 'LZW' },
  7: { name: 'JPEG' },
  8: { name: 'Deflate' },
  32766: { name: 'NeXT 2-bit RLE', bits: 2 },
  32771: { name: 'CCITT RLEW', bits: 1 },
  32773: { name: 'PackBits' },
  32809: { name: 'ThunderScan', bits: 4 },
  32946: { name: 'Deflate (old code)' },
  34676: { name: 'SGI LogLuv' },
  34677: { name: 'SGI LogLuv 24' },
  50001: { name: 'WebP' },
};
/** Names of codes libtiff knows but this build does not decode, for the reason. */
const NAMED_COMPRESSIONS: Record<number, string> = {
  6: 'old-style JPEG',
  9: 'JBIG T.85',
  10: 'JBIG T.43',
  32909: 'PixarLog',
  34661: 'ISO JBIG',
  34712: 'JPEG 2000',
  34887: 'LERC',
  34892: 'lossy JPEG (DNG)',
  34925: 'LZMA',
  50000: 'ZSTD',
  50002: 'JPEG XL',
};
/** Strip or tile locations `--structure` checks at most; each is two integers read in bulk. */
const MAX_CHUNKS_CHECKED = 1 << 20;

/**
 * Page 1's image data as libtiff will fetch it (TIFF 6.0 §3, §15 strips and tiles): a codec this
 * build has; tiles not stored as separate planes (libvips refuses them); as many StripOffsets /
 * TileOffsets and byte counts as the image has strips or tiles (libtiff ignores short arrays with
 * a warning, or cannot decode); byte counts present (a missing StripByteCounts is a warning, a
 * missing TileByteCounts an error); no strip or tile of 0 bytes or running past the end of the
 * file; and an uncompressed strip holding its rows. Every one of these fails sharp's decode with
 * its default failOn (measured). Only page 1 is checked: sharp decodes no other by default.
 * Without `structure` only what the IFD holds inline is checked (counts, and the location of a
 * single strip or tile); with it, every strip and tile, its arrays read in bulk (bounded).
 */
function checkImageData(src: ByteSource, g: Geometry, entries: Map<number, Entry>, structure: boolean): void {
  const compression = one(src, g, entries, T_COMPRESSION, 'Compression') ?? 1;
  const bits = one(src, g, entries, T_BITS, 'BitsPerSample') ?? 1;
  const codec = DECODED_COMPRESSIONS[compression];
  if (!codec) {
    const name = NAMED_COMPRESSIONS[compression];
    throw fail(
      'tiff',
      'E_UNSUPPORTED_FEATURE',
      `compression ${compression}${name ? ` (${name})` : ''}, which this build of libtiff does not decode`,
    );
  }
  if (codec.bits !== undefined && bits !== codec.bits) {
    throw fail(
      'tiff',
      'E_UNSUPPORTED_FEATURE',
      `${codec.name} compression of ${bits}-bit samples (libtiff decodes it for ${codec.bits}-bit samples only)`,
    );
  }
  const photometric = one(src, g, entries, T_PHOTOMETRIC, 'PhotometricInterpretation');
  if ((compression === 34676 || compression === 34677) && photometric !== PM_LOGL && photometric !== PM_LOGLUV) {
    throw fail('tiff', 'E_UNSUPPORTED_FEATURE', `SGI LogLuv compression with photometric ${photometric}`);
  }
  const width = one(src, g, entries, T_WIDTH, 'ImageWidth')!;
  const height = one(src, g, entries, T_LENGTH, 'ImageLength')!;
  const spp = one(src, g, entries, T_SAMPLES, 'SamplesPerPixel') ?? 1;
  const separate = (one(src, g, entries, T_PLANAR, 'PlanarConfiguration') ?? 1) === 2;
  const tiled = entries.has(T_TILE_OFFSETS) && !entries.has(T_STRIP_OFFSETS);
  let count: number;
  let kind: string;
  let rowsPer = height;
  if (tiled) {
    if (separate)
      throw fail('tiff', 'E_UNSUPPORTED_FEATURE', 'tiles stored as separate planes, which libvips does not read');
    const tw = one(src, g, entries, T_TILE_WIDTH, 'TileWidth');
    const th = one(src, g, entries, T_TILE_LENGTH, 'TileLength');
    if (!tw || !th) throw fail('tiff', 'E_BAD_HEADER', 'a tiled image without TileWidth or TileLength');
    count = Math.ceil(width / tw) * Math.ceil(height / th);
    kind = 'tile';
  } else {
    rowsPer = Math.min(height, Math.max(1, one(src, g, entries, T_ROWS_PER_STRIP, 'RowsPerStrip') ?? height));
    count = Math.ceil(height / rowsPer) * (separate ? spp : 1);
    kind = 'strip';
  }
  const offsets = entries.get(tiled ? T_TILE_OFFSETS : T_STRIP_OFFSETS)!;
  const counts = entries.get(tiled ? T_TILE_BYTE_COUNTS : T_STRIP_BYTE_COUNTS);
  const Kind = tiled ? 'Tile' : 'Strip';
  if (!counts) throw fail('tiff', 'E_BAD_HEADER', `a required field is missing: ${Kind}ByteCounts`);
  for (const [e, name] of [
    [offsets, `${Kind}Offsets`],
    [counts, `${Kind}ByteCounts`],
  ] as const) {
    if (e.count < count) {
      throw fail('tiff', 'E_BAD_HEADER', `${name} has ${e.count} values for ${count} ${kind}s (libtiff ignores it)`);
    }
  }
  if (!structure && count > 1) return;
  // An uncompressed strip holds its rows whole (libtiff's scanline size: TIFF 6.0 §8 BitsPerSample).
  const rowBytes = Math.ceil((width * bits * (separate ? 1 : spp)) / 8);
  const whole = compression === 1 && !tiled && photometric !== PM_YCBCR;
  const n = Math.min(count, MAX_CHUNKS_CHECKED);
  let offs: number[];
  let sizes: number[];
  try {
    offs = values(src, g, offsets, n, `${Kind}Offsets`)!;
    sizes = values(src, g, counts, n, `${Kind}ByteCounts`)!;
  } catch (e) {
    // The read caps spent on very long arrays: not checked, left to the decoder.
    if (e instanceof ProbeFailure && e.code === 'E_HEADER_TOO_LARGE') return;
    throw e;
  }
  const size = src.size;
  for (let i = 0; i < n; i++) {
    const at = offs[i]!;
    const bytes = sizes[i]!;
    if (bytes === 0) throw fail('tiff', 'E_BAD_HEADER', `${kind} ${i} has a byte count of 0`);
    if (at + bytes > size) {
      throw fail(
        'tiff',
        'E_TRUNCATED',
        `${kind} ${i} (${bytes} bytes at offset ${at}) runs past the end of the file (${size} bytes): ` +
          'the image data is cut off',
      );
    }
    const rows = Math.min(rowsPer, height - (i % Math.ceil(height / rowsPer)) * rowsPer);
    if (whole && bytes < rows * rowBytes) {
      throw fail(
        'tiff',
        'E_BAD_HEADER',
        `uncompressed strip ${i} has ${bytes} bytes for ${rows} rows of ${rowBytes} bytes`,
      );
    }
  }
}

/** Entries of a colour map compared per read, so a large 16-bit map costs few reads. */
const COLORMAP_CHUNK = 1024;

/**
 * Whether a palette page loads as grey: libvips gives one band when every ColorMap entry has
 * red = green = blue. The map holds 3 × 2^bits values (TIFF 6.0 §8 ColorMap), all reds, then all
 * greens, then all blues; it is read in bounded chunks and the scan stops at the first colour entry.
 */
function paletteIsGrey(src: ByteSource, g: Geometry, e: Entry | undefined, bits: number, _notes: string[]): boolean {
  const n = 2 ** bits;
  const size = e ? TYPE_SIZE[e.type]! : 0;
  if (!e || (e.type !== 3 && e.type !== 4) || e.count !== 3 * n) {
    // libtiff ignores a ColorMap of the wrong size (with a warning). Without a map it needs 8 or
    // more bits, and then loads the samples as grey (verified against sharp).
    if (bits < 8) throw fail('tiff', 'E_BAD_HEADER', `a ${bits}-bit palette image without a valid ColorMap`);
    if (e)
      throw fail(
        'tiff',
        'E_BAD_HEADER',
        `the ColorMap has ${e.count} values, not ${3 * n}: libtiff ignores it with a warning, which sharp's ` +
          `default failOn refuses`,
      );
    return true;
  }
  if (!Number.isSafeInteger(e.at) || e.at + 3 * n * size > src.size) {
    throw fail('tiff', 'E_TRUNCATED', `the ColorMap (at offset ${e.at}) is past the end of the file`);
  }
  const r = e.type === 3 ? g.r16 : g.r32;
  for (let start = 0; start < n; start += COLORMAP_CHUNK) {
    const k = Math.min(COLORMAP_CHUNK, n - start);
    // Copies: the source may reuse its window for the next read.
    const reds = src.need(e.at + size * start, size * k, 'the ColorMap').slice();
    const greens = src.need(e.at + size * (n + start), size * k, 'the ColorMap').slice();
    const blues = src.need(e.at + size * (2 * n + start), size * k, 'the ColorMap');
    for (let i = 0; i < size * k; i += size) {
      const red = r(reds, i);
      if (red !== r(greens, i) || red !== r(blues, i)) return false;
    }
  }
  return true;
}
