/**
 * The only place imgguard loads sharp, and only when a decode has passed the budget. Loading is
 * lazy, so `check` without `--verify` and every refusal run without it. sharp is CommonJS, so a
 * lazy `require` loads it, synchronously, from the ES module library and the CommonJS bundle alike.
 */
import type { Sharp, SharpOptions } from 'sharp';
import { lazyRequire } from '../require.js';
import { DECODE_THREADS } from '../estimate/fit.js';

type SharpModule = typeof import('sharp');
type SharpFactory = (input: string, options: SharpOptions) => Sharp;

let loaded: Promise<SharpModule['default']> | undefined;
let loads = 0;

/** How many times sharp was loaded in this process (0 proves a refusal never touched it). */
export function sharpLoads(): number {
  return loads;
}

export async function loadSharp(): Promise<SharpFactory & SharpModule['default']> {
  if (!loaded) {
    loads++;
    loaded = Promise.resolve().then(() => {
      const sharp = lazyRequire('sharp') as SharpModule['default'];
      // The operation cache keeps decoded images alive after a decode: off, so memory stays
      // bounded by the one decode in flight.
      sharp.cache(false);
      // A fixed thread count: libvips' working buffers scale with it (see estimate/fit.ts).
      sharp.concurrency(DECODE_THREADS);
      return sharp;
    });
  }
  return loaded;
}
