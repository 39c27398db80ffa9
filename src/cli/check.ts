import type { Command } from 'commander';
import { checkOptionsOf, type BudgetFlags, type Settings } from '../budget/settings.js';
import { toReportedBytes } from '../estimate/size.js';
import { globWalks, hasMagic, splitPatterns } from '../inputs/glob.js';
import { existsSync, fstatSync } from 'node:fs';
import { compileIgnore } from '../inputs/ignore.js';
import { readPathList } from '../inputs/list.js';
import { inShard, parseShard } from '../inputs/shard.js';
import { walkInputs, type InputEntry } from '../inputs/walk.js';
import { Progress } from '../report/progress.js';
import type { Result } from '../result.js';
import { prepareCheck } from '../check.js';
import { ProbeFailure } from '../probe/failure.js';
import { isRemote, isTarShard } from '../remote/reader.js';
import { expandListings } from '../remote/listing.js';
import { checkMixed, expandShards, RemoteContext } from '../remote/run.js';
import { checkEntries } from '../run.js';
import { STDIN } from '../probe/stdin.js';
import { withStdinFile } from './stdin.js';
import { EXIT, SIGNAL_EXIT } from '../exit.js';
import { Tally } from '../tally.js';
import { addBudgetOptions, settingsFromFlags } from './budget.js';
import { isTerminal, openReporting, parseWords, type ReportFlags } from './reporting.js';
import { TIMEOUT_HELP, timeoutFlag } from './inspect.js';
import { imgguardVersion } from './version.js';
import { CONCURRENCY, FAILING_STATUSES, REMOTE_CONCURRENCY, REPORTER_NAMES } from '../rules.js';
import { helpAfter, VERDICT_EXITS } from './help.js';
import { UserError } from '../user-error.js';
import { wholeNumberIn } from '../validate.js';

interface CheckFlags extends BudgetFlags, ReportFlags {
  filesFrom?: string;
  null?: boolean;
  ext?: string;
  hidden?: boolean;
  follow?: boolean;
  shard?: string;
  concurrency?: string;
  verify?: boolean;
  timeout?: string;
  problemsOnly?: boolean;
  allFiles?: boolean;
  allowEmpty?: boolean;
  s3Endpoint?: string;
  s3Anonymous?: boolean;
  structure?: boolean;
}

export function registerCheck(program: Command, run: (exitCode: number | Promise<number>) => void): void {
  const cmd = program
    .command('check')
    .description('read only the headers of images and judge their decoded size against a memory budget')
    .argument(
      '[paths...]',
      'image files, directories (walked recursively, in sorted order), quoted glob patterns; - for stdin',
    );
  addBudgetOptions(cmd)
    // datasets (docs/ci.md)
    .option('--files-from <file>', 'also read paths from FILE, one per line (- for standard input)')
    .option('-0, --null', 'paths in --files-from are NUL-separated (find -print0)')
    .option('--ext <list>', 'only files with these extensions, e.g. jpg,jpeg,png (files named directly are kept)')
    .option(
      '--ignore <patterns>',
      'skip paths in walks, globs and lists that match these glob patterns (repeatable, comma-separated; replaces ' +
        "the config's ignore)",
      collectPatterns,
    )
    .option('--hidden', 'also walk names starting with a dot')
    .option(
      '--all-files',
      'check every file a walk finds; by default files that are no image by name or bytes (labels.csv) are skipped',
    )
    .option('--allow-empty', 'exit 0 when the inputs yield no file to check (by default that fails, exit 2)')
    .option('--follow', 'follow symbolic links inside directories (loops are detected)')
    .option('--shard <K/N>', 'check only shard K of N (stable hash of the path); auto/N reads JOB_COMPLETION_INDEX')
    .option(
      '--concurrency <n>',
      'files checked at once: above 1, local files use worker threads (network file systems); ' +
        `remote objects are read that many at a time (default 1; ${REMOTE_CONCURRENCY} with URLs)`,
    )
    .option('--reporter <name>', REPORTER_NAMES.join(', '))
    .option('--output <file>', 'write the report to FILE (complete, or not at all) instead of standard output')
    .option('--json', 'print one JSON document at the end (--reporter json)')
    .option('--ndjson', 'print one JSON object per file per line, as results come (--reporter ndjson)')
    .option('--summary', 'also print counts by verdict and format, the decoded total and the largest images')
    .option('--fail-on <list>', `verdicts that make the exit code non-zero (default ${FAILING_STATUSES.join(',')})`)
    .option('-q, --quiet', 'no summary line and no progress')
    .option('--problems-only', 'list only the files that are not ok (the summary still counts every file)')
    .option(
      '--structure',
      'also walk each file past its header (IDAT chunks, JPEG end, TIFF strips...), bounded, to find cut or ' +
        'broken data',
    )
    .option(
      '--verify',
      'also decode every image within budget (several at once, within the budget) and report corrupt pixel data ' +
        '(loads sharp)',
    )
    .option('--timeout <seconds>', `with --verify: ${TIMEOUT_HELP}`)
    // remote inputs (docs/remote.md)
    .option(
      '--s3-endpoint <url>',
      'an S3-compatible endpoint for s3:// inputs (default AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, then AWS)',
    )
    .option('--s3-anonymous', 'read s3:// inputs with unsigned requests (public buckets; no credentials looked up)')
    .addHelpText(
      'after',
      helpAfter(
        [
          ['imgguard check photos/ --budget 512MiB', 'a folder, walked recursively; files that are no images skipped'],
          ["find data -name '*.png' -print0 | imgguard check --files-from - -0 --problems-only", 'a list on stdin'],
          ['imgguard check assets --reporter sarif > imgguard.sarif', 'a SARIF log for code scanning'],
        ],
        [...VERDICT_EXITS, `${EXIT.failed}  or: no file to check in the inputs (--allow-empty accepts that)`],
      ),
    )
    .action((paths: string[], flags: CheckFlags) => run(checkCommand(paths, flags)));
}

const LATE_URL =
  'a URL after local paths in a list checked by worker threads (--concurrency above 1): ' +
  'list it first, or use --concurrency 1';

/** `--s3-endpoint`: an http(s) URL. */
function s3Endpoint(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new UserError(`--s3-endpoint: expected an http:// or https:// URL, got ${JSON.stringify(text)}`);
  return text;
}

/** Accumulates repeated `--ignore` values, split at the commas outside braces. */
const collectPatterns = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  ...splitPatterns(value),
];

/**
 * Checks ignore and brace patterns before the walk, so a bad one is a usage error before any
 * output, named like a config error (`file: ignore[1]: …`) or as the flag.
 */
function checkPatterns(paths: readonly string[], settings: Settings): void {
  const usage = (where: string, f: () => unknown) => {
    try {
      f();
    } catch (e) {
      if (e instanceof UserError) throw new UserError(where + e.message);
      throw e;
    }
  };
  const { value, source } = settings.ignore;
  const config = settings.config;
  (value ?? []).forEach((p, i) => {
    const where =
      source === '--ignore' || !config
        ? '--ignore'
        : `${config.file}: ${config.key ? `${config.key}.` : ''}ignore[${i}]`;
    usage(`${where}: `, () => compileIgnore([p]));
  });
  // A path that names a file is that file; otherwise a pattern, compiled now so a bad one stops the run.
  for (const p of paths) if (hasMagic(p) && !existsSync(p)) usage('pattern ', () => globWalks(p));
}

/**
 * `check`. `stdinFile`: with --verify, standard input that is a pipe was first read into this
 * file (up to the budget, see withStdinFile), which is checked and decoded in its place and
 * reported as `-`.
 */
export function checkCommand(paths: string[], flags: CheckFlags, stdinFile?: string): number | Promise<number> {
  // Budget, limits and decoder: flag > IMGGUARD_BUDGET > config file > default (src/budget/settings.ts).
  const settings = settingsFromFlags(flags);
  const { budget, ...judging } = checkOptionsOf(settings);
  if (flags.verify && stdinFile === undefined && paths.includes(STDIN) && !stdinIsRegularFile()) {
    // A pipe cannot be read twice (header, then decode): hold it, within the budget, in a file.
    return withStdinFile(BigInt(settings.budget.value), async (file) =>
      checkCommand(
        paths.map((p) => (p === STDIN ? file : p)),
        flags,
        file,
      ),
    );
  }
  if (paths.length === 0 && flags.filesFrom === undefined)
    throw new UserError('no input: give paths, directories, patterns or --files-from');
  if (flags.filesFrom === STDIN && paths.includes(STDIN))
    throw new UserError('standard input can be read once: give - as a path or as --files-from -, not both');
  if (flags.null && flags.filesFrom === undefined)
    throw new UserError('-0/--null applies to --files-from: give it too');
  // A config's concurrency was checked against the same bounds by the config schema.
  const givenConcurrency =
    flags.concurrency !== undefined
      ? wholeNumberIn('--concurrency', flags.concurrency, CONCURRENCY)
      : settings.concurrency.value;
  const concurrency = givenConcurrency ?? 1;
  const shard = flags.shard === undefined ? null : parseShard(flags.shard);
  if (typeof shard === 'string') throw new UserError(`--shard: ${shard}`);
  const endpoint = s3Endpoint(flags.s3Endpoint);
  const ext = parseWords(flags.ext);
  const timeoutSeconds = timeoutFlag(flags.timeout);
  checkPatterns(paths, settings);
  const ignore = settings.ignore.value;

  const budgetBytes = toReportedBytes(settings.budget.value);
  // A config file may choose the reporter and --fail-on; flags win.
  const configReporter = flags.json || flags.ndjson ? undefined : settings.reporter.value;
  const { reporter, out, err, failOn, close } = openReporting(
    {
      ...flags,
      reporter: flags.reporter ?? configReporter,
      failOn: flags.failOn ?? (settings.failOn.value ? [settings.failOn.value].flat().join(',') : undefined),
    },
    budgetBytes,
    {
      command: 'check',
      version: imgguardVersion(),
      budgetSource: settings.budget.source,
      decoder: settings.decoder.value,
    },
  );
  const walk = { ext, hidden: flags.hidden, follow: flags.follow, ignore };
  // Remote inputs go through the asynchronous pipeline; local paths alone keep the synchronous one
  // (worker threads with --concurrency). A list goes through the asynchronous one unless worker
  // threads were asked for and its first entry is local.
  const remoteArgs = paths.some((p) => isRemote(p) || isTarShard(p));
  // A list is checked as it streams in: what was answered goes out before the next read waits.
  const beforeRead = () => out.flush();
  const list =
    flags.filesFrom !== undefined ? readPathList(flags.filesFrom, { nul: flags.null, ext, ignore, beforeRead }) : null;
  const first = list && !remoteArgs && concurrency > 1 ? list.next() : null;
  const listRemote = first?.done === false && (isRemote(first.value.path) || isTarShard(first.value.path));
  const mixed = remoteArgs || (list !== null && (concurrency === 1 || listRemote));
  function* inputs(): Generator<InputEntry> {
    if (!remoteArgs) yield* walkInputs(paths, walk);
    else
      for (const p of paths) {
        if (isRemote(p)) yield { path: p, explicit: true, rel: p };
        else yield* walkInputs([p], walk);
      }
    if (list === null) return;
    if (first?.done === false) yield first.value;
    for (const e of list) {
      if (mixed || !isRemote(e.path)) yield e;
      else yield { ...e, failure: new ProbeFailure('E_NOT_FOUND', LATE_URL) };
    }
  }
  // With remote inputs, S3 listings are expanded first and --shard then applies to their keys too.
  const entries = shard && !mixed ? inShard(inputs(), shard) : inputs();
  const tally = new Tally(failOn);
  // The progress line redraws itself with escapes, which a dumb terminal prints as they are.
  const progress =
    !flags.quiet && process.env.TERM !== 'dumb' && isTerminal(2) && !isTerminal(1) ? new Progress(err) : null;
  const onSkip = () => {
    tally.skipped++;
  };
  const remote = mixed
    ? new RemoteContext(prepareCheck({ budget, ...judging }), {
        walk: { ext, hidden: flags.hidden, ignore },
        shard,
        s3: { endpoint, anonymous: flags.s3Anonymous },
      })
    : null;
  const results = remote
    ? checkMixed(
        expandShards(expandListings(entries, remote), remote),
        remote,
        givenConcurrency === undefined ? REMOTE_CONCURRENCY : concurrency,
        () => out.flush(),
      )
    : checkEntries(entries, {
        budget,
        ...judging,
        concurrency,
        structure: flags.structure === true,
        allFiles: flags.allFiles,
        onSkip,
      });
  const take = (checked: Result): boolean => {
    const result = stdinFile !== undefined && checked.path === stdinFile ? { ...checked, path: STDIN } : checked;
    tally.add(result);
    if (!flags.problemsOnly || result.status !== 'ok') reporter.result(result);
    progress?.tick(tally);
    return !out.closed;
  };
  // SIGINT/SIGTERM end the run between two files: the report is then completed and marked as
  // interrupted (with --output, FileOutput discards it instead: nothing is written).
  let interrupted: keyof typeof SIGNAL_EXIT | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted ??= signal === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  const release = () => {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
  };
  const finish = (): number | Promise<number> => {
    release();
    progress?.done();
    // The reader went away (`| head`): stop quietly, with no summary claiming the run finished.
    if (out.closed) {
      err.flush();
      return SIGNAL_EXIT.SIGPIPE;
    }
    if (interrupted && flags.output !== undefined) {
      err.write(`imgguard: interrupted by ${interrupted}: ${flags.output} was not written\n`);
      err.flush();
      return SIGNAL_EXIT[interrupted];
    }
    const summary = interrupted
      ? { ...tally.summary(), interrupted, exitCode: SIGNAL_EXIT[interrupted] }
      : tally.summary();
    const ended = reporter.end(summary, tally);
    if (ended) {
      return ended.then(() => {
        close();
        return exitCode();
      });
    }
    close();
    return exitCode();
  };
  /** Nothing checked is not a pass: an empty folder, or a folder of files that are no images. */
  const exitCode = (): number => {
    if (interrupted) return SIGNAL_EXIT[interrupted];
    if (tally.files === 0 && !flags.allowEmpty) {
      const skipped = tally.skipped ? ` (${tally.skipped} skipped as not images; --all-files checks them)` : '';
      err.write(`imgguard: no file to check in the inputs${skipped}; --allow-empty accepts that\n`);
      err.flush();
      return EXIT.failed;
    }
    return tally.exitCode();
  };
  if (flags.verify || remote) {
    // --verify: each ok image is then decoded through src/decode (sharp loads only there), several
    // at once within the budget, results in input order. Remote objects: one at a time, each
    // fetched whole only when its estimate fits (src/remote/download.ts).
    return (async () => {
      try {
        const budget = BigInt(settings.budget.value);
        if (remote) {
          const verifyResult = flags.verify ? (await import('../decode/verify.js')).verifyResult : null;
          const verifyLocal = verifyResult ? (r: Result, b: bigint) => verifyResult(r, b, timeoutSeconds) : null;
          const { verifyRemote } = verifyLocal ? await import('../remote/download.js') : { verifyRemote: null };
          for await (const r of results as AsyncIterable<Result>)
            if (!take(verifyRemote ? await verifyRemote(remote, r, budget, verifyLocal!) : r) || interrupted) break;
        } else {
          const { verifyResults, VERIFY_IN_FLIGHT } = await import('../decode/verify.js');
          const verified = verifyResults(results as Iterable<Result>, budget, VERIFY_IN_FLIGHT, timeoutSeconds);
          for await (const result of verified) if (!take(result) || interrupted) break;
        }
      } catch (e) {
        release();
        progress?.done();
        throw e;
      }
      return finish();
    })();
  }
  // Checking is synchronous; every YIELD_MS the loop lets the event loop turn, so a signal's
  // handler runs. A run shorter than that stays synchronous from start to end.
  const it = (results as Iterable<Result>)[Symbol.iterator]();
  const checkFor = (ms: number): boolean => {
    const until = Date.now() + ms;
    for (;;) {
      const next = it.next();
      if (next.done || !take(next.value)) return true;
      if (Date.now() >= until) return false;
    }
  };
  const fail = (e: unknown): never => {
    release();
    progress?.done();
    throw e;
  };
  try {
    if (checkFor(YIELD_MS)) return finish();
  } catch (e) {
    fail(e);
  }
  return (async () => {
    try {
      do await new Promise<void>((resolve) => setImmediate(resolve));
      while (!interrupted && !checkFor(YIELD_MS));
    } catch (e) {
      fail(e);
    }
    return finish();
  })();
}

/** Signals that end a run between two files, the report completed and marked interrupted. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
/** Longest stretch of checking before the loop lets a signal's handler run. */
const YIELD_MS = 50;

/** Whether standard input is a regular file (redirected with `<`), which a decode can read again. */
function stdinIsRegularFile(): boolean {
  try {
    return fstatSync(0).isFile();
  } catch {
    return false;
  }
}
