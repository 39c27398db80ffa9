import { fail } from '../failure.js';
import type { Header, RecognisedFormat } from '../header.js';

/**
 * Bands and bits per band of each Pillow mode a header reader reports (PIL/ImageMode.py): the
 * layout these readers put in a Header for formats only Pillow opens. '1' and 'P' hold one byte
 * per pixel in Pillow's memory, so they count as 8 bits.
 */
const MODE_LAYOUT: Readonly<Record<string, [number, number]>> = {
  '1': [1, 8],
  L: [1, 8],
  P: [1, 8],
  LA: [2, 8],
  PA: [2, 8],
  'I;16': [1, 16],
  'I;16B': [1, 16],
  'I;16L': [1, 16],
  I: [1, 32],
  F: [1, 32],
  RGB: [3, 8],
  RGBX: [4, 8],
  RGBA: [4, 8],
  CMYK: [4, 8],
  YCbCr: [3, 8],
  LAB: [3, 8],
};

/** Whether `name` is a mode this table knows. */
export function isPillowMode(name: string): boolean {
  return Object.hasOwn(MODE_LAYOUT, name);
}

/** Pillow releases measured (major x 100 + minor), and the first after 9.4: the bounds of `history`. */
export const PILLOW_9_0 = 900;
export const PILLOW_9_5 = 905;
export const PILLOW_11_3 = 1103;
export const PILLOW_12_0 = 1200;

/** Largest width or height a reader accepts: Pillow's image core sizes are C ints. */
export const MAX_PILLOW_DIMENSION = 0x7fffffff;

/** What a reader of a Pillow-only format learns, beyond the Pillow mode that fixes the layout. */
export interface PillowFacts {
  width: number;
  height: number;
  /** The mode current Pillow (12.x) reports from `Image.open`. */
  mode: string;
  frames?: number;
  /**
   * Where releases differ: [first release, mode] pairs, oldest first (release = major x 100 +
   * minor), ending with `mode`. Measured on 9.4, 11.3 and 12.3; where a change lies between two
   * of them, the release chosen makes the larger mode cover the releases not measured.
   */
  history?: [number, string][];
  /** The first release that opens this file, where later than 9.0 (chosen as for `history`). */
  since?: number;
  notes?: string[];
}

/**
 * The Header for a format only Pillow opens: checks the size (1..2^31-1 each way, as Pillow's
 * image core needs), and fills bands and depth from the Pillow mode.
 */
export function pillowHeader(format: RecognisedFormat, facts: PillowFacts): Header {
  const { width, height, mode } = facts;
  if (!(width >= 1 && width <= MAX_PILLOW_DIMENSION && height >= 1 && height <= MAX_PILLOW_DIMENSION)) {
    throw fail(format, 'E_DIMENSIONS', `invalid dimensions ${width}x${height} (each must be 1..2^31-1)`);
  }
  const [channels, bitsPerSample] = isPillowMode(mode) ? MODE_LAYOUT[mode]! : [4, 8];
  const notes = facts.notes ?? [];
  const history = facts.history?.filter(([, m], i, all) => i === 0 || m !== all[i - 1]![1]);
  return {
    format,
    width,
    height,
    channels,
    bitsPerSample,
    frames: facts.frames ?? 1,
    pillowMode: mode,
    ...(history && history.length > 1 ? { pillowModeSince: history } : {}),
    ...(facts.since !== undefined ? { pillowSince: facts.since } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };
}
