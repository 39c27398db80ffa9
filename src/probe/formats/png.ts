import { ascii, crc32, startsWith, u32be } from '../bytes.js';
import { readExifOrientation } from '../exif.js';
import { fail, ProbeFailure } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Most chunks walked before the first IDAT; real files have a handful. */
const MAX_CHUNKS = 2000;
/** Largest chunk length the spec allows (PNG §5.3: 2^31 - 1). */
const MAX_CHUNK_LENGTH = 0x7fffffff;

/** Most IDAT chunks `--structure` walks past the first; a bound on steps (reads are bounded too). */
const MAX_IDAT_WALK = 100_000;
/** Largest PLTE body: 256 entries of 3 bytes (PNG §11.2.3). */
const MAX_PLTE = 768;

/** Valid bit depths per colour type (PNG §11.2.2, Table 11.1). */
const DEPTHS: Record<number, number[]> = {
  0: [1, 2, 4, 8, 16], // greyscale
  2: [8, 16], // truecolour
  3: [1, 2, 4, 8], // indexed
  4: [8, 16], // greyscale with alpha
  6: [8, 16], // truecolour with alpha
};

/**
 * PNG and APNG (W3C PNG Third Edition §5.2 signature, §5.3 chunk layout, §11.2.2 IHDR, §11.3.2.1
 * tRNS, §11.3.3.6 eXIf, APNG acTL). Walks the chunks up to the first IDAT by seeking: ancillary
 * chunks decide the loaded bands (tRNS adds alpha), acTL the frame count, eXIf the orientation.
 */
export function readPngHeader(src: ByteSource, structure = false): Header {
  const head = src.need(0, 33, 'the PNG signature and IHDR chunk');
  if (!startsWith(head, PNG_SIGNATURE)) throw fail('png', 'E_BAD_SIGNATURE', 'not a PNG signature');
  if (ascii(head, 12, 16) === 'CgBI') {
    throw fail('png', 'E_UNSUPPORTED_FEATURE', "an Apple 'CgBI' PNG (iOS-optimised), which only Apple's decoder reads");
  }
  if (ascii(head, 12, 16) !== 'IHDR' || u32be(head, 8) !== 13) {
    throw fail('png', 'E_BAD_HEADER', 'the first chunk is not a 13-byte IHDR');
  }
  const width = u32be(head, 16);
  const height = u32be(head, 20);
  const depth = head[24]!;
  const colourType = head[25]!;
  // Interlace method (§11.2.2): 1 = Adam7, which makes the decoder hold the whole image.
  const interlaced = head[28] === 1;
  if (width === 0 || height === 0 || width > MAX_CHUNK_LENGTH || height > MAX_CHUNK_LENGTH) {
    throw fail('png', 'E_DIMENSIONS', `invalid dimensions ${width}x${height} (each must be 1..2^31-1)`);
  }
  if (!DEPTHS[colourType]?.includes(depth)) {
    throw fail('png', 'E_BAD_HEADER', `invalid colour type ${colourType} with bit depth ${depth}`);
  }
  // libpng checks the CRC of critical chunks and refuses the file when it is wrong (PNG §5.3).
  checkCrc(head, 8, 13, 'IHDR');

  let hasTrns = false;
  let frames = 1;
  let orientation: number | undefined;
  let offset = 33;
  for (let chunks = 0; ; chunks++) {
    if (chunks >= MAX_CHUNKS)
      throw fail('png', 'E_STRUCTURE_LOOP', `more than ${MAX_CHUNKS} chunks before the image data`);
    const chunk = src.need(offset, 8, () => `the chunk header at byte ${offset}`);
    const length = u32be(chunk, 0);
    const type = ascii(chunk, 4, 8);
    if (length > MAX_CHUNK_LENGTH)
      throw fail('png', 'E_BAD_HEADER', `chunk ${JSON.stringify(type)} claims ${length} bytes`);
    if (type === 'IDAT') {
      checkImageData(src, offset, length, structure);
      break;
    }
    if (type === 'IEND')
      throw fail('png', 'E_BAD_HEADER', `the IEND chunk at byte ${offset} comes before any image data`);
    if (isCritical(chunk[4]!)) {
      // IHDR, PLTE, IDAT and IEND are the critical chunks libpng knows; it refuses any other.
      if (type !== 'PLTE') throw fail('png', 'E_BAD_HEADER', `an unknown critical chunk ${JSON.stringify(type)}`);
      if (length <= MAX_PLTE) {
        const plte = src.need(offset, length + 12, () => `the PLTE chunk at byte ${offset}`);
        checkCrc(plte, 0, length, 'PLTE', offset);
      }
    }
    if (type === 'tRNS') hasTrns = true;
    else if (type === 'acTL' && length >= 8) {
      const n = u32be(src.need(offset + 8, 4, 'the acTL chunk'), 0);
      if (n >= 1) frames = n;
    } else if (type === 'eXIf') {
      orientation = readExifOrientation(src, offset + 8, length);
    }
    offset += 12 + length;
    if (offset >= src.size) throw fail('png', 'E_TRUNCATED', 'the file ends before any image data (IDAT)');
  }

  // libvips loads indexed colour as RGB, and any tRNS chunk as an alpha band (PNG §12.2).
  const colourBands = colourType === 0 || colourType === 4 ? 1 : 3;
  const alpha = colourType === 4 || colourType === 6 || hasTrns ? 1 : 0;
  const channels = colourBands + alpha;
  return {
    format: 'png',
    width,
    height,
    channels,
    bitsPerSample: depth === 16 ? 16 : 8,
    // sharp's raw output is sRGB: grey comes out as 3 bands, grey+alpha as 4.
    outputChannels: colourBands === 1 ? channels + 2 : channels,
    frames,
    ...(orientation !== undefined ? { orientation } : {}),
    pillowMode: pngPillowMode(colourType, depth),
    ...(colourType === 0 && depth === 16 ? { pillowModeSince: PNG_GREY16_MODES } : {}),
    space: colourBands === 1 ? (depth === 16 ? 'grey16' : 'b-w') : depth === 16 ? 'rgb16' : 'srgb',
    interlaced,
  };
}

/** A chunk type whose first letter is upper case is critical (PNG §5.4, bit 5 of the first byte). */
const isCritical = (typeByte: number): boolean => (typeByte & 0x20) === 0;

/** The CRC of the chunk at `at` in `bytes` whose data is `length` long (PNG §5.3: over type and data). */
function checkCrc(bytes: Uint8Array, at: number, length: number, type: string, fileOffset = at): void {
  const stored = u32be(bytes, at + 8 + length);
  if (crc32(bytes, at + 4, at + 8 + length) !== stored)
    throw fail(
      'png',
      'E_BAD_HEADER',
      `the ${type} chunk at byte ${fileOffset} fails its CRC check (libpng refuses it)`,
    );
}

/**
 * The image data from the first IDAT chunk at `offset`. libpng reads every IDAT chunk whole (for
 * its CRC), so one that runs past the end of the file fails the decode. The first is checked
 * always (the file's size is known by then); with `structure`, every chunk of the consecutive
 * IDAT run, by seeking from header to header (8 bytes each). What follows the run is not
 * looked at: libpng stops at the end of the compressed stream, and a missing IEND or a broken
 * ancillary chunk after it does not stop the decode (measured with sharp 0.35).
 */
function checkImageData(src: ByteSource, offset: number, length: number, structure: boolean): void {
  const pastEnd = (at: number, n: number): boolean => at + 12 + n > src.size;
  if (pastEnd(offset, length)) throw idatCut(src, offset, length);
  if (!structure) return;
  let at = offset + 12 + length;
  for (let chunks = 0; chunks < MAX_IDAT_WALK && at + 8 <= src.size; chunks++) {
    let chunk: Uint8Array;
    try {
      chunk = src.read(at, 8);
    } catch (e) {
      // The read budget spent: what was walked was whole; the rest is left to the decoder.
      if (e instanceof ProbeFailure && e.code === 'E_HEADER_TOO_LARGE') return;
      throw e;
    }
    if (ascii(chunk, 4, 8) !== 'IDAT') return;
    const n = u32be(chunk, 0);
    if (n > MAX_CHUNK_LENGTH) throw fail('png', 'E_BAD_HEADER', `the IDAT chunk at byte ${at} claims ${n} bytes`);
    if (pastEnd(at, n)) throw idatCut(src, at, n);
    at += 12 + n;
  }
}

function idatCut(src: ByteSource, at: number, length: number): ProbeFailure {
  return fail(
    'png',
    'E_TRUNCATED',
    `the image data is cut off: the IDAT chunk at byte ${at} needs ${length + 12} bytes, the file ends ` +
      `${src.size - at} bytes after its start`,
  );
}

/**
 * 16-bit grey: Pillow 9.x opens it as I (4 bytes a pixel), current releases as I;16 (2 bytes).
 * Measured: I in 9.4, I;16 in 11.3 and 12.3; the change is taken at 11.3 so that no release in
 * between is counted below its allocation (docs/pillow.md).
 */
export const PNG_GREY16_MODES: [number, string][] = [
  [900, 'I'],
  [1103, 'I;16'],
];

/**
 * The mode Pillow opens a PNG in (PIL/PngImagePlugin.py `_MODES`, keyed on bit depth and colour
 * type; tRNS adds `info["transparency"]`, not a band): indexed stays P, 16-bit grey is I;16,
 * 16-bit grey+alpha is RGBA, 16-bit truecolour is read into 8-bit RGB/RGBA.
 */
export function pngPillowMode(colourType: number, depth: number): string {
  switch (colourType) {
    case 0:
      return depth === 1 ? '1' : depth === 16 ? 'I;16' : 'L';
    case 2:
      return 'RGB';
    case 3:
      return 'P';
    case 4:
      return depth === 16 ? 'RGBA' : 'LA';
    default:
      return 'RGBA';
  }
}
