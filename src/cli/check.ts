import type { Command } from 'commander';
import { parseSize, SizeError } from '../budget/size.js';
import { DEFAULT_BUDGET, type FramesMode } from '../check.js';
import { toReportedBytes } from '../estimate.js';
import { walkInputs } from '../inputs/walk.js';
import { humanReporter } from '../report/human.js';
import { jsonReporter, ndjsonReporter } from '../report/json.js';
import { Output } from '../report/output.js';
import type { ReporterFactory } from '../report/reporter.js';
import { checkEntries, Tally } from '../run.js';
import { oneOf, UsageError } from './usage.js';

interface CheckFlags {
  budget?: string;
  frames: string;
  json?: boolean;
  ndjson?: boolean;
  quiet?: boolean;
  verify?: boolean;
}

const REPORTERS: Record<string, ReporterFactory> = { human: humanReporter, json: jsonReporter, ndjson: ndjsonReporter };

export function registerCheck(program: Command, run: (exitCode: number | Promise<number>) => void): void {
  program
    .command('check')
    .description('read only the headers of images and judge their decoded size against a memory budget')
    .argument('<paths...>', 'image files and directories (walked recursively, in sorted order)')
    .option('-b, --budget <size>', 'largest decoded size allowed, e.g. 512MB, 1.5GB, 512MiB, 2G or bytes (default 1GiB)')
    .option('--frames <mode>', 'budget on the first frame/page or on all of them: first, all', 'first')
    .option('--json', 'print one JSON document at the end')
    .option('--ndjson', 'print one JSON object per file per line, as results come')
    .option('-q, --quiet', 'no summary line')
    .option('--verify', 'also decode every image within budget (one at a time) and report corrupt pixel data')
    .action((paths: string[], flags: CheckFlags) => run(checkCommand(paths, flags)));
}

export function checkCommand(paths: string[], flags: CheckFlags): number | Promise<number> {
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
  if (flags.json && flags.ndjson) throw new UsageError('--json and --ndjson exclude each other: pick one');
  const reporterName = flags.json ? 'json' : flags.ndjson ? 'ndjson' : 'human';

  const out = new Output(1);
  const err = new Output(2, 0);
  const budgetBytes = toReportedBytes(budget);
  const color = reporterName === 'human' && process.stdout.isTTY === true && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '');
  const reporter = REPORTERS[reporterName]!({ out, err, color, budgetBytes, quiet: flags.quiet === true });
  const tally = new Tally();
  const finish = (): number => {
    reporter.end(tally.summary());
    out.flush();
    err.flush();
    return tally.exitCode();
  };
  const results = checkEntries(walkInputs(paths), { budget, frames });
  if (flags.verify) {
    // sharp loads only here, and only once an image is within budget.
    return (async () => {
      const { verifyResult } = await import('../decode/verify.js');
      for (const header of results) {
        const result = await verifyResult(header, budget);
        tally.add(result);
        reporter.result(result);
        if (out.closed) break;
      }
      return finish();
    })();
  }
  for (const result of results) {
    tally.add(result);
    reporter.result(result);
    if (out.closed) break;
  }
  return finish();
}
