import { estimate, type Estimate } from './size.js';
import {
  OLDEST_PILLOW,
  parseDecoder,
  partlyOpens,
  releaseName,
  type Decoder,
  type DecoderProfile,
  type PillowRelease,
} from './decoders.js';
import type { Format, Header, PixelLayout } from '../probe/header.js';

/**
 * Decoder profiles: the memory a decode costs depends on the decoder that does it.
 *
 * - `sharp` (default): libvips' loaded bands × bytes per sample (src/estimate/size.ts).
 * - `pillow`: the bytes Pillow allocates for the image in the mode `Image.open` reports. Pillow
 *   stores every pixel in 1, 2 or 4 bytes whatever the bands (libImaging/Storage.c,
 *   ImagingNewPrologueSubtype: "1", L, P → 1 byte; I;16* → 2; LA, PA, La, I, F, RGB, RGBA, RGBX,
 *   RGBa, CMYK, YCbCr, LAB, HSV → 4 — RGB is padded to 4, LA too).
 * - `numpy`: the array `numpy.asarray(Image.open(f))` makes: height × width × bands × item size,
 *   with bands and item size from Pillow's `__array_interface__` (PIL/ImageMode.py typestr:
 *   "1" → bool, 1 byte; L, P → u1; LA, PA → 2 × u1; I;16 → u2; I → i4; F → f4; RGB, YCbCr,
 *   LAB, HSV → 3 × u1; RGBA, RGBX, CMYK → 4 × u1).
 */
export { DECODER_KINDS as DECODERS, type DecoderProfile } from './decoders.js';

/** Bytes per pixel of Pillow's in-memory image for each mode (libImaging/Storage.c). */
export const PILLOW_PIXEL_BYTES: Readonly<Record<string, number>> = {
  '1': 1,
  L: 1,
  P: 1,
  'I;16': 2,
  'I;16L': 2,
  'I;16B': 2,
  'I;16N': 2,
  LA: 4,
  La: 4,
  PA: 4,
  I: 4,
  F: 4,
  RGB: 4,
  RGBA: 4,
  RGBa: 4,
  RGBX: 4,
  CMYK: 4,
  YCbCr: 4,
  LAB: 4,
  HSV: 4,
};

/** [bands, item size] of the numpy array Pillow exports for each mode (PIL/ImageMode.py). */
export const NUMPY_LAYOUT: Readonly<Record<string, readonly [number, number]>> = {
  '1': [1, 1],
  L: [1, 1],
  P: [1, 1],
  'I;16': [1, 2],
  'I;16L': [1, 2],
  'I;16B': [1, 2],
  'I;16N': [1, 2],
  LA: [2, 1],
  La: [2, 1],
  PA: [2, 1],
  I: [1, 4],
  F: [1, 4],
  RGB: [3, 1],
  YCbCr: [3, 1],
  LAB: [3, 1],
  HSV: [3, 1],
  RGBA: [4, 1],
  RGBa: [4, 1],
  RGBX: [4, 1],
  CMYK: [4, 1],
};

export interface PillowModeGuess {
  /** The Pillow mode, or null when Pillow has no mode for this layout. */
  mode: string | null;
  /** Why the mode is a guess, when it is one. */
  note?: string;
}

/**
 * The mode Pillow's `Image.open` reports for an image, from its header. A reader that knows the
 * stored layout sets `header.pillowMode` (the PNG reader does: a palette PNG is P though libvips
 * loads it as RGB). Otherwise the mode is derived from the format and the libvips layout, always
 * choosing the larger mode when the layout fits several (a palette image loaded as RGB is taken
 * as RGB), so the pillow and numpy profiles never undercount.
 */
export function pillowMode(header: Header, release?: PillowRelease): PillowModeGuess {
  const mode = release === undefined ? header.pillowMode : modeAt(header, release);
  if (mode && mode in PILLOW_PIXEL_BYTES) return { mode };
  return { mode: pillowModeOfLayout(header.format, header, header.space) };
}

/** The mode a given Pillow release opens the file in (header.pillowModeSince, else pillowMode). */
function modeAt(header: Header, release: PillowRelease): string | undefined {
  const history = header.pillowModeSince ?? (header.pillowMode9 ? mode9History(header.pillowMode9, header) : null);
  if (!history || history.length === 0) return header.pillowMode;
  let mode = history[0]![1];
  for (const [since, m] of history) if (since <= release) mode = m;
  return mode;
}

/** A reader's "Pillow 9.x mode" as a history: the 9.x mode, the current one from 10.0. */
function mode9History(mode9: string, header: Header): [number, string][] {
  return [
    [OLDEST_PILLOW, mode9],
    [1000, header.pillowMode ?? mode9],
  ];
}

/** The releases where the file's mode may change, within [oldest, newest]: where estimates can differ. */
function releasesToTry(header: Header, [oldest, newest]: readonly [PillowRelease, PillowRelease]): PillowRelease[] {
  const out = [oldest];
  const history = header.pillowModeSince ?? (header.pillowMode9 ? mode9History(header.pillowMode9, header) : []);
  for (const [since] of history) if (since > oldest && since <= newest) out.push(since);
  return out;
}

/** The derivation rule of `pillowMode` for one frame/page layout. */
export function pillowModeOfLayout(format: Format, layout: PixelLayout, space?: string): string | null {
  const { channels, bitsPerSample: bits } = layout;
  // GifImagePlugin opens the first frame as P (L for a grey palette: also 1 byte).
  if (format === 'gif') return 'P';
  // JpegImagePlugin: the SOF component count gives L, RGB (YCbCr is converted) or CMYK.
  if (format === 'jpeg') return channels === 1 ? 'L' : channels === 4 ? 'CMYK' : 'RGB';
  switch (channels) {
    case 1:
      if (bits <= 8) return 'L';
      if (bits === 16) return 'I;16';
      return space === 'float' || bits === 64 ? 'F' : 'I';
    case 2:
      // PngImagePlugin opens 16-bit grey+alpha as RGBA (there is no LA;16 mode).
      return bits <= 8 ? 'LA' : 'RGBA';
    case 3:
      // 16-bit RGB has no Pillow mode: it is read into 8-bit RGB.
      return 'RGB';
    case 4:
      return space === 'cmyk' ? 'CMYK' : 'RGBA';
    default:
      return null;
  }
}

export interface ProfileEstimate extends Estimate {
  profile: DecoderProfile;
  /** The Pillow mode the pillow and numpy profiles used. */
  pillowMode?: string;
  notes?: string[];
}

function bytesPerPixel(profile: 'pillow' | 'numpy', mode: string): number {
  if (profile === 'pillow') return PILLOW_PIXEL_BYTES[mode]!;
  const [bands, item] = NUMPY_LAYOUT[mode]!;
  return bands * item;
}

/** The pillow/numpy cost of one layout, or the libvips cost when Pillow has no mode for it. */
function layoutBytes(profile: 'pillow' | 'numpy', mode: string | null, layout: PixelLayout): bigint {
  if (mode === null) return estimate({ ...layout, format: 'raw', frames: 1 }).decodedBytes;
  return BigInt(layout.width) * BigInt(layout.height) * BigInt(bytesPerPixel(profile, mode));
}

/** The decoded size of an image under a decoder profile. */
export function profileEstimate(header: Header, profile: DecoderProfile = 'sharp'): ProfileEstimate {
  const decoder = parseDecoder(profile);
  if (decoder === null || decoder.kind === 'sharp') {
    const { decodedBytes, decodedBytesAllFrames } = estimate(header);
    return { decodedBytes, decodedBytesAllFrames, profile };
  }
  // Every release covered: the largest allocation any of them makes, so an older Pillow on the
  // user's machine cannot exceed the budget (docs/pillow.md lists where releases differ).
  let best: ProfileEstimate | null = null;
  const modes = new Set<string | null>();
  for (const release of releasesToTry(header, decoder.releases!)) {
    const one = pillowEstimate(header, decoder, release, profile);
    modes.add(one.pillowMode ?? null);
    if (best === null || one.decodedBytesAllFrames > best.decodedBytesAllFrames || one.decodedBytes > best.decodedBytes)
      best = one;
  }
  const out = best!;
  if (modes.size > 1) {
    const history = header.pillowModeSince ?? (header.pillowMode9 ? mode9History(header.pillowMode9, header) : []);
    const which = history.map(([since, m]) => `${m} since ${releaseName(since)}`).join(', ');
    out.notes = [
      ...(out.notes ?? []),
      `Pillow releases differ (${which}); the largest is counted (name one: ${decoder.kind}@<version>)`,
    ];
  }
  const partly = partlyOpens(decoder, header);
  if (partly) out.notes = [...(out.notes ?? []), partly];
  return out;
}

/** The estimate for one Pillow release. */
function pillowEstimate(
  header: Header,
  decoder: Decoder,
  release: PillowRelease,
  profile: DecoderProfile,
): ProfileEstimate {
  const kind = decoder.kind as 'pillow' | 'numpy';
  const { mode } = pillowMode(header, release);
  const notes: string[] = [];
  if (mode === null)
    notes.push(
      `Pillow has no mode for ${header.channels} bands of ${header.bitsPerSample} bits; counted as libvips loads it`,
    );
  const first = layoutBytes(kind, mode, header);
  let all = first;
  const frames = header.pillowFrames ?? header.frames;
  if (header.otherPages && header.otherPages.length > 0) {
    for (const page of header.otherPages)
      all += layoutBytes(kind, pillowModeOfLayout(header.format, page, undefined), page);
  } else if (frames > 1) {
    // GifImagePlugin (Pillow >= 9, LOADING_STRATEGY RGB_AFTER_FIRST) turns frames after the
    // first into RGB, or RGBA with transparency: counted as RGBA.
    const later = header.pillowLaterFrame;
    const rest = later
      ? layoutBytes(kind, later.mode, { ...later, channels: 4, bitsPerSample: 8 })
      : header.format === 'gif'
        ? layoutBytes(kind, 'RGBA', header)
        : first;
    all = first + rest * BigInt(frames - 1);
  }
  const out: ProfileEstimate = { decodedBytes: first, decodedBytesAllFrames: all, profile };
  if (mode !== null) out.pillowMode = mode;
  if (notes.length > 0) out.notes = notes;
  return out;
}
