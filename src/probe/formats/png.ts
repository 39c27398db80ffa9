import { ascii, startsWith, u32be } from '../bytes.js';
import { readExifOrientation } from '../exif.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Most chunks walked before the first IDAT; real files have a handful. */
const MAX_CHUNKS = 2000;
/** Largest chunk length the spec allows (PNG §5.3: 2^31 - 1). */
const MAX_CHUNK_LENGTH = 0x7fffffff;

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
export function readPngHeader(src: ByteSource): Header {
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
    if (type === 'IDAT' || type === 'IEND') break;
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
