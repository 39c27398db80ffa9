import type { Command } from 'commander';
import { parseSize, SizeError } from '../budget/size.js';
import { DEFAULT_BUDGET, type FramesMode } from '../check.js';
import { toReportedBytes } from '../estimate.js';
import { ListError, readPathList } from '../inputs/list.js';
import { inShard, parseShard } from '../inputs/shard.js';
import { walkInputs, type InputEntry } from '../inputs/walk.js';
import { Progress } from '../report/progress.js';
import { checkEntries, Tally } from '../run.js';
import { openReporting, parseWords, type ReportFlags } from './reporting.js';
import { oneOf, UsageError } from './usage.js';

interface CheckFlags extends ReportFlags {
  budget?: string;
  frames: string;
  filesFrom?: string;
  null?: boolean;
  ext?: string;
  hidden?: boolean;
  follow?: boolean;
  shard?: string;
  concurrency?: string;
}

export function registerCheck(program: Command, run: (exitCode: number) => void): void {
  program
    .command('check')
    .description('read only the headers of images and judge their decoded size against a memory budget')
    .argument('[paths...]', 'image files, directories (walked recursively, in sorted order) and quoted glob patterns')
    .option('-b, --budget <size>', 'largest decoded size allowed, e.g. 512MB, 1.5GB, 512MiB, 2G or bytes (default 1GiB)')
    .option('--frames <mode>', 'budget on the first frame/page or on all of them: first, all', 'first')
    // datasets (README "Datasets and CI")
    .option('--files-from <file>', 'also read paths from FILE, one per line (- for standard input)')
    .option('-0, --null', 'paths in --files-from are NUL-separated (find -print0)')
    .option('--ext <list>', 'only files with these extensions, e.g. jpg,jpeg,png (files named directly are kept)')
    .option('--hidden', 'also walk names starting with a dot')
    .option('--follow', 'follow symbolic links inside directories (loops are detected)')
    .option('--shard <K/N>', 'check only shard K of N (stable hash of the path); auto/N reads JOB_COMPLETION_INDEX')
    .option('--concurrency <n>', 'files checked at once; above 1 uses worker threads (for network file systems)', '1')
    .option('--reporter <name>', 'human, json, ndjson, junit or github')
    .option('--json', 'print one JSON document at the end (--reporter json)')
    .option('--ndjson', 'print one JSON object per file per line, as results come (--reporter ndjson)')
    .option('--summary', 'also print counts by verdict and format, the decoded total and the largest images')
    .option('--fail-on <list>', 'verdicts that make the exit code non-zero', 'over_budget,corrupt,unsupported,error')
    .option('-q, --quiet', 'no summary line and no progress')
    .action((paths: string[], flags: CheckFlags) => run(checkCommand(paths, flags)));
}

export function checkCommand(paths: string[], flags: CheckFlags): number {
  let budget = DEFAULT_BUDGET;
  if (flags.budget !== undefined) {
    try {
      budget = parseSize(flags.budget);
    } catch (e) {
      if (e instanceof SizeError) throw new UsageError(`--budget: ${e.message}`);
      throw e;
    }
  }
  const frames = oneOf<FramesMode>('--frames', flags.frames, ['first', 'all']);
  if (paths.length === 0 && flags.filesFrom === undefined) throw new UsageError('no input: give paths, directories, patterns or --files-from');
  if (flags.null && flags.filesFrom === undefined) throw new UsageError('-0/--null applies to --files-from: give it too');
  const concurrency = Number(flags.concurrency ?? '1');
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw new UsageError(`--concurrency must be a whole number from 1 to 256, got ${JSON.stringify(flags.concurrency)}`);
  const shard = flags.shard === undefined ? null : parseShard(flags.shard);
  if (typeof shard === 'string') throw new UsageError(`--shard: ${shard}`);
  const ext = parseWords(flags.ext);

  const budgetBytes = toReportedBytes(budget);
  const { reporter, out, err, failOn } = openReporting(flags, budgetBytes);
  const walk = { ext, hidden: flags.hidden, follow: flags.follow };
  function* inputs(): Generator<InputEntry> {
    yield* walkInputs(paths, walk);
    if (flags.filesFrom !== undefined) yield* readPathList(flags.filesFrom, { nul: flags.null, ext });
  }
  const entries = shard ? inShard(inputs(), shard) : inputs();
  const tally = new Tally(failOn);
  const progress = !flags.quiet && process.stderr.isTTY === true && process.stdout.isTTY !== true ? new Progress(err) : null;
  try {
    for (const result of checkEntries(entries, { budget, frames, concurrency })) {
      tally.add(result);
      reporter.result(result);
      progress?.tick(tally);
      if (out.closed) break;
    }
  } catch (e) {
    if (e instanceof ListError) throw new UsageError(e.message);
    throw e;
  } finally {
    progress?.done();
  }
  reporter.end(tally.summary(), tally);
  out.flush();
  err.flush();
  return tally.exitCode();
}
