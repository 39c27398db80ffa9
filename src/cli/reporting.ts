/** Flag parsing shared by `check` and `merge`: reporters, --fail-on, output streams. */
import { fstatSync } from 'node:fs';
import type { Status } from '../result.js';
import { githubReporter } from '../report/github.js';
import { humanReporter } from '../report/human.js';
import { jsonReporter, ndjsonReporter } from '../report/json.js';
import { junitReporter } from '../report/junit.js';
import { Output } from '../report/output.js';
import type { Reporter, ReporterFactory } from '../report/reporter.js';
import { FAILING_STATUSES, REPORTER_NAMES, type ReporterName } from '../rules.js';
import { UserError } from '../user-error.js';
import { oneOf } from '../validate.js';

/** Every name in REPORTER_NAMES (src/rules.ts) has its reporter here. */
export const REPORTERS: Record<ReporterName, ReporterFactory> = {
  human: humanReporter,
  json: jsonReporter,
  ndjson: ndjsonReporter,
  junit: junitReporter,
  github: githubReporter,
};

export interface ReportFlags {
  reporter?: string;
  json?: boolean;
  ndjson?: boolean;
  quiet?: boolean;
  summary?: boolean;
  failOn?: string;
}

/** `--fail-on a,b`: the verdicts that make the exit code non-zero. */
export function parseFailOn(value: string | undefined): Set<Status> {
  if (value === undefined) return new Set(FAILING_STATUSES);
  const words = value
    .split(',')
    .map((w) => w.trim().replace(/-/g, '_'))
    .filter(Boolean);
  return new Set(words.map((w) => oneOf('--fail-on', w, FAILING_STATUSES)));
}

/** Comma-separated words, e.g. `--ext jpg,png`. */
export const parseWords = (value: string | undefined): string[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((w) => w.trim())
        .filter(Boolean);

/**
 * Whether standard output (1) or error (2) is a terminal. process.stdout/stderr are built on first
 * use, which for a pipe loads node:net and its sockets (~3 ms of a plain `check`): they are asked
 * only when the descriptor is a character device, as every terminal is.
 */
export function isTerminal(fd: 1 | 2): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false; // closed
  }
  return (fd === 1 ? process.stdout : process.stderr).isTTY === true;
}

export interface Reporting {
  reporter: Reporter;
  out: Output;
  err: Output;
  failOn: Set<Status>;
  name: string;
}

/** The reporter named by `--reporter` or its shortcuts `--json` / `--ndjson`. */
export function reporterName(flags: ReportFlags): ReporterName {
  if ([flags.json, flags.ndjson, flags.reporter !== undefined].filter(Boolean).length > 1) {
    throw new UserError('--reporter, --json and --ndjson exclude each other: pick one');
  }
  return flags.json ? 'json' : flags.ndjson ? 'ndjson' : oneOf('--reporter', flags.reporter ?? 'human', REPORTER_NAMES);
}

/** Opens the reporter and output streams the flags ask for. */
export function openReporting(flags: ReportFlags, budgetBytes: number): Reporting {
  const name = reporterName(flags);
  const failOn = parseFailOn(flags.failOn);
  const out = new Output(1);
  const err = new Output(2, 0);
  const color = name === 'human' && isTerminal(1) && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '');
  const reporter = REPORTERS[name]!({
    out,
    err,
    color,
    budgetBytes,
    quiet: flags.quiet === true,
    details: flags.summary === true,
    fails: (s) => failOn.has(s),
  });
  return { reporter, out, err, failOn, name };
}
