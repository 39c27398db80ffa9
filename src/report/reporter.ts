import type { Result, Status, Summary } from '../result.js';
import type { Tally } from '../tally.js';
import type { Output } from './output.js';

/** Every reporter takes the same stream of results and the same summary. */
export interface Reporter {
  result(r: Result): void;
  /**
   * `tally` carries the counts by format and the largest images (for `--summary`). A reporter
   * that has work left at the end (the HTML page's thumbnails) returns a promise.
   */
  end(summary: Summary, tally?: Tally): void | Promise<void>;
}

export interface ReporterContext {
  out: Output;
  err: Output;
  /** Colour escapes allowed (stdout is a TTY and NO_COLOR is unset). */
  color: boolean;
  budgetBytes: number;
  quiet: boolean;
  /** Whether a verdict counts as a failure (`--fail-on`); default: every verdict but ok. */
  fails?: (status: Status) => boolean;
  /** `--summary`: counts by verdict and format, total decoded bytes, the largest images. */
  details?: boolean;
  /** Environment (GITHUB_STEP_SUMMARY); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Facts about the run that a report shows beside the results (the HTML page). */
  run?: RunInfo;
}

export interface RunInfo {
  /** "check" or "merge". */
  command: string;
  /** imgguard's version. */
  version: string;
  /** Where the budget came from ("--budget", "IMGGUARD_BUDGET", a config file, "default"). */
  budgetSource?: string;
  /** The decoder profile estimates were made for. */
  decoder?: string;
}

export type ReporterFactory = (ctx: ReporterContext) => Reporter;

export const defaultFails = (s: Status): boolean => s !== 'ok';
