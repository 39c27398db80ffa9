/**
 * What a format reader learns from a file's header. Pixel facts describe the image as libvips
 * loads it (sharp's decoder), which is what decides the memory a decode allocates.
 */
export type DecodableFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'avif' | 'heif' | 'svg' | 'vips';

/** Formats recognised from their bytes but not decodable by sharp here. */
export type RecognisedFormat =
  | 'jp2'
  | 'jxl'
  | 'heic'
  | 'psd'
  | 'bmp'
  | 'ico'
  | 'cur'
  | 'dds'
  | 'icns'
  | 'ktx'
  | 'tga'
  | 'pnm'
  | 'pdf'
  | 'exr'
  | 'hdr'
  | 'fits'
  | 'qoi'
  | 'raw'
  // Formats only Pillow opens (one reader each in src/probe/formats/).
  | 'sgi'
  | 'pcx'
  | 'dcx'
  | 'sun'
  | 'msp'
  | 'xbm'
  | 'xpm'
  | 'gbr'
  | 'fli'
  | 'blp'
  | 'im'
  | 'imt'
  | 'ftex'
  | 'mcidas'
  | 'pixar'
  | 'spider'
  | 'xvthumb'
  | 'pcd'
  | 'eps';

export type Format = DecodableFormat | RecognisedFormat;

/** One frame or page, as libvips loads it. */
export interface PixelLayout {
  width: number;
  height: number;
  /** Bands of the loaded image (a palette PNG loads as 3, or 4 with tRNS). */
  channels: number;
  /** Bits per sample of the loaded image: 8, 16, 32 or 64. */
  bitsPerSample: number;
  /**
   * Bands of the raw buffer sharp returns after its conversion to sRGB (grey 1 -> 3,
   * grey+alpha 2 -> 4, CMYK 4 -> 3). Defaults to `channels` when omitted.
   */
  outputChannels?: number;
}

export interface Header extends PixelLayout {
  format: Format;
  /** Frames of an animation or pages of a document; 1 for a still image. */
  frames: number;
  /** EXIF orientation 1..8, where the format carries it. */
  orientation?: number;
  /**
   * Layouts of frames/pages 2..n when they differ from the first (TIFF pages). Animations
   * share one canvas and leave this out.
   */
  otherPages?: PixelLayout[];
  /** Colour space as loaded, e.g. 'srgb', 'b-w', 'cmyk', 'rgb16'. */
  space?: string;
  /**
   * The mode Pillow's Image.open reports ('P', 'L', 'I;16', 'RGBA'...), set by readers that know
   * the stored layout; otherwise derived by pillowMode() in src/estimate/profiles.ts.
   */
  pillowMode?: string;
  /**
   * Where Pillow releases open this file in different modes: [first release, mode] pairs, oldest
   * first, releases as major × 100 + minor (904 = 9.4); the last mode equals `pillowMode`.
   */
  pillowModeSince?: [number, string][];
  /** Frames or pages as Pillow counts them, where libvips counts otherwise (MPO: one JPEG). */
  pillowFrames?: number;
  /** Why no Pillow release opens this file though it opens the format (a PSB, a 16-bit PSD). */
  pillowRefusal?: string;
  /** The first Pillow release that opens this file, where later than the format's (a DDS in BC6H). */
  pillowSince?: number;
  /** The last Pillow release that opens this file, where a later one refuses it. */
  pillowUntil?: number;
  /**
   * Frames 2..n as Pillow loads them, where they differ from the first: the largest of them (MPO:
   * each frame is its own JPEG; PSD: each layer at the canvas size). Counted for every later frame.
   */
  pillowLaterFrame?: { width: number; height: number; mode: string };
  /** The mode Pillow 9.x reports, set by readers of formats where it differs from current Pillow's. */
  pillowMode9?: string;
  /** Where a value could not be settled from the header and the upper bound was taken. */
  notes?: string[];
  /**
   * Facts that do not change the decoded size but do change a decoder's peak memory (see
   * DecodeHints below), set by the readers that meet them on their own walk.
   * JPEG: a progressive frame (SOF2, SOF10): libjpeg keeps every DCT coefficient until the end.
   */
  progressive?: boolean;
  /** JPEG: each frame component's sampling factors [h, v], from the frame header. */
  sampling?: [number, number][];
  /** PNG: Adam7 interlace: libpng must hold the whole image. */
  interlaced?: boolean;
}

/**
 * Header facts that do not change the decoded size but do change the memory a decoder holds
 * while decoding (its "hidden buffers"). The format readers record them during their own walk
 * (JPEG: progressive and sampling from the frame header; PNG: interlace from IHDR), so they cost
 * no read; a hint a reader does not give stays undefined and the peak estimate then takes the
 * upper bound.
 */
export type DecodeHints = Pick<Header, 'progressive' | 'interlaced' | 'sampling'>;

/** The hints a header carries. */
export function decodeHints(header: Header): DecodeHints {
  const hints: DecodeHints = {};
  if (header.progressive !== undefined) hints.progressive = header.progressive;
  if (header.interlaced !== undefined) hints.interlaced = header.interlaced;
  if (header.sampling !== undefined) hints.sampling = header.sampling;
  return hints;
}
