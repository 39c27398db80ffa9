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

/** Largest width or height a reader accepts: Pillow's image core sizes are C ints. */
export const MAX_PILLOW_DIMENSION = 0x7fffffff;

/** What a reader of a Pillow-only format learns, beyond the Pillow mode that fixes the layout. */
export interface PillowFacts {
  width: number;
  height: number;
  /** The mode current Pillow (12.x) reports from `Image.open`. */
  mode: string;
  frames?: number;
  /** The mode Pillow 9.x reports, where it differs from `mode`. */
  mode9?: string;
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
  const notes = [...(facts.notes ?? [])];
  if (facts.mode9 !== undefined && facts.mode9 !== mode) notes.push(`Pillow 9.x opens it as ${facts.mode9}`);
  return {
    format,
    width,
    height,
    channels,
    bitsPerSample,
    frames: facts.frames ?? 1,
    pillowMode: mode,
    ...(facts.mode9 !== undefined && facts.mode9 !== mode ? { pillowMode9: facts.mode9 } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };
}
