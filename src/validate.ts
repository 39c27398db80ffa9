import { UserError } from './user-error.js';
import { DECODER_CHOICES, isDecoderProfile, type DecoderProfile } from './estimate/decoders.js';

/**
 * Reading flag and setting values: each parser returns the value or throws a UserError naming the
 * flag, the text given and what is accepted.
 */

/** One of a fixed set of words. */
export function oneOf<T extends string>(flag: string, text: string, accepted: readonly T[]): T {
  if ((accepted as readonly string[]).includes(text)) return text as T;
  throw new UserError(`invalid ${flag} ${JSON.stringify(text)}: expected one of ${accepted.join(', ')}`);
}

/** A decoder profile: sharp, pillow, numpy, or pillow/numpy at a Pillow release (src/estimate/decoders.ts). */
export function decoderProfile(flag: string, text: string): DecoderProfile {
  if (isDecoderProfile(text)) return text;
  throw new UserError(`invalid ${flag} ${JSON.stringify(text)}: expected one of ${DECODER_CHOICES}`);
}

/** A whole number >= 1 (a pixel count, a frame count). */
export function positiveInt(flag: string, text: string): number {
  if (!/^\s*\d{1,15}\s*$/.test(text) || Number(text) < 1)
    throw new UserError(`invalid ${flag} ${JSON.stringify(text)}: expected a whole number >= 1`);
  return Number(text);
}

/** A whole number within `bounds`, e.g. `--concurrency` 1 to 256. */
export function wholeNumberIn(flag: string, text: string, bounds: { min: number; max: number }): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < bounds.min || n > bounds.max)
    throw new UserError(
      `${flag} must be a whole number from ${bounds.min} to ${bounds.max}, got ${JSON.stringify(text)}`,
    );
  return n;
}

/** Pixel counts: a whole number, or with a decimal suffix K, M, G (MP = megapixels), e.g. 100MP. */
export function parsePixels(flag: string, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg])?p?\s*$/i.exec(text);
  const scale = m ? ({ '': 1, k: 1e3, m: 1e6, g: 1e9 } as Record<string, number>)[(m[2] ?? '').toLowerCase()]! : 0;
  const n = m ? Math.floor(Number(m[1]) * scale) : NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new UserError(
      `invalid ${flag} ${JSON.stringify(text)}: expected a pixel count >= 1 like 89478485, 100M or 100MP`,
    );
  return n;
}
