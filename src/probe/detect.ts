import { fail, ProbeFailure } from './failure.js';
import type { Header } from './header.js';
import type { ByteSource } from './source.js';
import { readPngHeader, PNG_SIGNATURE } from './formats/png.js';
import { readJpegHeader, JPEG_SIGNATURE } from './formats/jpeg.js';
import { readTiffHeader, sniffTiff } from './formats/tiff.js';
import { readGifHeader, GIF_SIGNATURE } from './formats/gif.js';
import { readWebpHeader, isWebp } from './formats/webp.js';
import { readSvgHeader, sniffSvg } from './formats/svg.js';
import { ascii, startsWith } from './bytes.js';
import { readHeifHeader } from './formats/heif.js';
import { readVipsHeader, VIPS_MAGIC_BE, VIPS_MAGIC_LE } from './formats/vips.js';
import { RECOGNISED, unsupportedReader } from './formats/recognised.js';
import { readBmpHeader, sniffBmp } from './formats/bmp.js';
import { readCurHeader, readIcoHeader, sniffIcon } from './formats/ico.js';
import { readPsdHeader, sniffPsd } from './formats/psd.js';
import { readDdsHeader, sniffDds } from './formats/dds.js';
import { readQoiHeader, sniffQoi } from './formats/qoi.js';
import { readPnmHeader, sniffPnm } from './formats/pnm.js';
import { readTgaHeader, sniffTga } from './formats/tga.js';
import { DEEP_READERS, PILLOW_ONLY_READERS } from './formats/pillow-only.js';
import type { FormatReader } from './reader.js';

export type { FormatReader } from './reader.js';

/** How many leading bytes sniffing looks at. */
export const SNIFF_BYTES = 64;

/** Order matters only where signatures overlap; the most specific come first. */
export const READERS: FormatReader[] = [
  { format: 'png', sniff: (h) => startsWith(h, PNG_SIGNATURE), read: readPngHeader },
  { format: 'jpeg', sniff: (h) => startsWith(h, JPEG_SIGNATURE), read: readJpegHeader },
  { format: 'tiff', sniff: sniffTiff, read: readTiffHeader },
  { format: 'gif', sniff: (h) => startsWith(h, GIF_SIGNATURE), read: readGifHeader },
  { format: 'webp', sniff: isWebp, read: readWebpHeader },
  // ISOBMFF (HEIF/AVIF, and video files it turns away): the first box is 'ftyp'.
  { format: 'heif', sniff: (h) => ascii(h, 4, 8) === 'ftyp', read: readHeifHeader },
  { format: 'vips', sniff: (h) => startsWith(h, VIPS_MAGIC_BE) || startsWith(h, VIPS_MAGIC_LE), read: readVipsHeader },
  // Recognised by their bytes, not decodable by sharp here: E_UNSUPPORTED_FORMAT naming the format.
  ...RECOGNISED.map((r) => ({ format: r.format, sniff: r.sniff, read: unsupportedReader(r) })),
  // Formats Pillow opens and sharp does not: after the common formats, so their sniffs cost PNG and JPEG
  // nothing. Each returns a full header; the decoder table (src/estimate/decoders.ts) gives the verdict.
  { format: 'bmp', sniff: sniffBmp, read: readBmpHeader },
  { format: 'ico', sniff: (h) => sniffIcon(h, 1), read: readIcoHeader },
  { format: 'cur', sniff: (h) => sniffIcon(h, 2), read: readCurHeader },
  { format: 'psd', sniff: sniffPsd, read: readPsdHeader },
  { format: 'dds', sniff: sniffDds, read: readDdsHeader },
  { format: 'qoi', sniff: sniffQoi, read: readQoiHeader },
  { format: 'pnm', sniff: sniffPnm, read: readPnmHeader },
  ...PILLOW_ONLY_READERS,
  // Text and gzip: the loosest sniff, so it comes after every binary signature.
  { format: 'svg', sniff: sniffSvg, read: readSvgHeader },
  // TGA has no signature: its sniff is a plausibility check of the header, tried last.
  { format: 'tga', sniff: sniffTga, read: readTgaHeader },
];

/**
 * A Git LFS pointer file starts with its version line (Git LFS pointer specification, "The
 * pointer file"): a checkout whose LFS objects were not fetched has these in place of images.
 */
const LFS_POINTER = [...'version https://git-lfs.github.com/spec/'].map((c) => c.charCodeAt(0));

/** The reader whose signature the file's first bytes carry, or undefined. */
export function detect(head: Uint8Array): FormatReader | undefined {
  return READERS.find((r) => r.sniff(head));
}

/**
 * The reader of a format whose signature lies past the sniffed bytes (a Photo CD's at byte 2048),
 * tried only when no other signature matched. The first read (a page) already holds those bytes.
 */
function detectDeep(src: ByteSource): FormatReader | undefined {
  return DEEP_READERS.find((r) => r.sniff(src.read(r.at, r.length)));
}

/** Reads any file's header: sniffs the format from its bytes, never its name. */
export function readHeader(src: ByteSource, structure = false): Header {
  const head = src.read(0, SNIFF_BYTES);
  if (head.length === 0) throw fail(null, 'E_EMPTY', 'the file is empty');
  const reader = detect(head) ?? detectDeep(src);
  if (!reader) {
    if (startsWith(head, LFS_POINTER))
      throw fail(null, 'E_LFS_POINTER', 'Git LFS pointer: the image was not fetched (git lfs pull)');
    throw fail(null, 'E_NOT_IMAGE', 'not an image: no known image signature in the first bytes');
  }
  try {
    return sameShape(reader.read(src, structure));
  } catch (e) {
    // Failures raised below the reader (e.g. by the source) learn which format they were in.
    // E_NOT_IMAGE stays format-less: a loose sniff (XML, gzip) may match files of no image format.
    if (e instanceof ProbeFailure && e.format === null && e.code !== 'E_NOT_IMAGE') {
      e.format = reader.format;
      e.message = `${reader.format.toUpperCase()}: ${e.message}`;
    }
    throw e;
  }
}

/**
 * The header with every field present, in one order. Each reader builds its own object literal;
 * code downstream (estimate, peak, result) then sees one object shape for every format instead of
 * one per reader, so the JIT's optimised code for it is not thrown away when the format changes.
 */
function sameShape(h: Header): Header {
  // `satisfies` requires every key of Header, so a field added to Header cannot be dropped here.
  const all = {
    format: h.format,
    width: h.width,
    height: h.height,
    channels: h.channels,
    bitsPerSample: h.bitsPerSample,
    outputChannels: h.outputChannels,
    frames: h.frames,
    orientation: h.orientation,
    otherPages: h.otherPages,
    space: h.space,
    pillowMode: h.pillowMode,
    pillowModeSince: h.pillowModeSince,
    pillowFrames: h.pillowFrames,
    pillowRefusal: h.pillowRefusal,
    pillowSince: h.pillowSince,
    pillowUntil: h.pillowUntil,
    pillowMode9: h.pillowMode9,
    pillowLaterFrame: h.pillowLaterFrame,
    notes: h.notes,
    progressive: h.progressive,
    sampling: h.sampling,
    interlaced: h.interlaced,
  } satisfies Record<keyof Header, unknown>;
  return all;
}
