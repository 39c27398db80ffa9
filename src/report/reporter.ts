import type { Result, Summary } from '../result.js';
import type { Output } from './output.js';

/** Every reporter takes the same stream of results and the same summary. */
export interface Reporter {
  result(r: Result): void;
  end(summary: Summary): void;
}

export interface ReporterContext {
  out: Output;
  err: Output;
  /** Colour escapes allowed (stdout is a TTY and NO_COLOR is unset). */
  color: boolean;
  budgetBytes: number;
  quiet: boolean;
}

export type ReporterFactory = (ctx: ReporterContext) => Reporter;
