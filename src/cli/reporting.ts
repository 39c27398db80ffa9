/** Flag parsing shared by `check` and `merge`: reporters, --fail-on, output streams. */
import { fstatSync } from 'node:fs';
import type { Status } from '../result.js';
import { githubReporter } from '../report/github.js';
import { htmlReporter } from '../report/html.js';
import { humanReporter } from '../report/human.js';
import { jsonReporter, ndjsonReporter } from '../report/json.js';
import { junitReporter } from '../report/junit.js';
import { FileOutput, Output } from '../report/output.js';
import { sarifReporter } from '../report/sarif.js';
import type { Reporter, ReporterFactory, RunInfo } from '../report/reporter.js';
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
  html: htmlReporter,
  sarif: sarifReporter,
};

export interface ReportFlags {
  reporter?: string;
  json?: boolean;
  ndjson?: boolean;
  quiet?: boolean;
  summary?: boolean;
  failOn?: string;
  /** `--output FILE`: the report goes to FILE (written whole, then renamed into place). */
  output?: string;
}

/**
 * `--fail-on a,b`: the verdicts that make the exit code non-zero. `none`: no verdict does (the
 * run reports and exits 0; usage errors and an input that yields no files still fail).
 */
export function parseFailOn(value: string | undefined): Set<Status> {
  if (value === undefined) return new Set(FAILING_STATUSES);
  const words = value
    .split(',')
    .map((w) => w.trim().replace(/-/g, '_'))
    .filter(Boolean);
  if (words.length === 1 && words[0] === 'none') return new Set();
  if (words.includes('none')) throw new UserError('--fail-on none stands alone: it cannot be mixed with verdicts');
  return new Set(words.map((w) => oneOf('--fail-on', w, [...FAILING_STATUSES, 'none']) as Status));
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

/**
 * Whether to colour the output. FORCE_COLOR (set and not empty) forces it on, or off when it is
 * 0 or false, as Node and most tools read it; otherwise NO_COLOR (set and not empty) turns it off,
 * TERM=dumb (a terminal that understands no escapes) too, and a terminal on stdout turns it on.
 */
export function colorWanted(env: NodeJS.ProcessEnv, stdoutIsTerminal: () => boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stdoutIsTerminal();
}

export interface Reporting {
  reporter: Reporter;
  out: Output;
  err: Output;
  failOn: Set<Status>;
  name: string;
  /** Ends the output: flushes it, or with --output renames the finished file into place. */
  close(): void;
}

/** The reporter named by `--reporter` or its shortcuts `--json` / `--ndjson`. */
export function reporterName(flags: ReportFlags): ReporterName {
  if ([flags.json, flags.ndjson, flags.reporter !== undefined].filter(Boolean).length > 1) {
    throw new UserError('--reporter, --json and --ndjson exclude each other: pick one');
  }
  return flags.json ? 'json' : flags.ndjson ? 'ndjson' : oneOf('--reporter', flags.reporter ?? 'human', REPORTER_NAMES);
}

/** Opens the reporter and output streams the flags ask for. */
export function openReporting(flags: ReportFlags, budgetBytes: number, run?: RunInfo): Reporting {
  const name = reporterName(flags);
  const failOn = parseFailOn(flags.failOn);
  if (flags.output === '') throw new UserError('--output needs a file name');
  if (name === 'html' && flags.output === undefined && isTerminal(1)) {
    throw new UserError('--reporter html writes a web page: give --output FILE, or redirect standard output');
  }
  const out = flags.output === undefined ? new Output(1) : FileOutput.open(flags.output);
  const err = new Output(2, 0);
  const color = name === 'human' && flags.output === undefined && colorWanted(process.env, () => isTerminal(1));
  const reporter = REPORTERS[name]!({
    out,
    err,
    color,
    budgetBytes,
    quiet: flags.quiet === true,
    details: flags.summary === true,
    fails: (s) => failOn.has(s),
    ...(run ? { run } : {}),
  });
  const close = () => {
    if (out instanceof FileOutput) out.commit();
    else out.flush();
    err.flush();
  };
  return { reporter, out, err, failOn, name, close };
}
