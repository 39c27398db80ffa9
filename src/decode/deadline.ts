/**
 * The time limit on a decode. sharp's own `timeout()` is checked only between the tiles libvips
 * computes; librsvg draws an SVG tile in one call that nothing interrupts. So a decode is also
 * raced against a timer: when the timer wins, the decode is reported as E_TIMEOUT and left to
 * run on its native thread, and the CLI ends the process once its output is written (see main).
 * Light to load: the CLI loads it at start-up.
 */
import { DECODE_TIMEOUT } from '../rules.js';

let abandoned = 0;

/** Decodes that ran past their limit and may still be running on a native thread. */
export function decodesStillRunning(): number {
  return abandoned;
}

/** Thrown when a decode runs past its limit; the decode layer turns it into an E_TIMEOUT refusal. */
export class DecodeTimeout extends Error {
  constructor(readonly seconds: number) {
    super(`the decode did not finish within ${seconds} s (raise it with --timeout)`);
    this.name = 'DecodeTimeout';
  }
}

/** `work`, or a DecodeTimeout once `seconds` have passed. */
export function withDeadline<T>(seconds: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abandoned++;
      reject(new DecodeTimeout(seconds));
    }, seconds * 1000);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/** `--timeout`: seconds, a number > 0 up to a day; null when the text is not one. */
export function parseTimeout(text: string): number | null {
  if (!/^\s*\d+(?:\.\d+)?\s*$/.test(text)) return null;
  const seconds = Number(text);
  return seconds > 0 && seconds <= DECODE_TIMEOUT.maxSeconds ? seconds : null;
}
