import type { Command } from 'commander';
import { checkOptionsOf, type BudgetFlags } from '../budget/settings.js';
import { toReportedBytes } from '../estimate.js';
import { walkInputs } from '../inputs/walk.js';
import { humanReporter } from '../report/human.js';
import { jsonReporter, ndjsonReporter } from '../report/json.js';
import { Output } from '../report/output.js';
import type { ReporterFactory } from '../report/reporter.js';
import { checkEntries, Tally } from '../run.js';
import { addBudgetOptions, settingsFromFlags } from './budget.js';
import { UsageError } from './usage.js';

interface CheckFlags extends BudgetFlags {
  json?: boolean;
  ndjson?: boolean;
  quiet?: boolean;
  verify?: boolean;
}

const REPORTERS: Record<string, ReporterFactory> = { human: humanReporter, json: jsonReporter, ndjson: ndjsonReporter };

export function registerCheck(program: Command, run: (exitCode: number | Promise<number>) => void): void {
  const cmd = program
    .command('check')
    .description('read only the headers of images and judge their decoded size against a memory budget')
    .argument('<paths...>', 'image files and directories (walked recursively, in sorted order)');
  addBudgetOptions(cmd)
    .option('--json', 'print one JSON document at the end')
    .option('--ndjson', 'print one JSON object per file per line, as results come')
    .option('-q, --quiet', 'no summary line')
    .option('--verify', 'also decode every image within budget (one at a time) and report corrupt pixel data')
    .action((paths: string[], flags: CheckFlags) => run(checkCommand(paths, flags)));
}

export function checkCommand(paths: string[], flags: CheckFlags): number | Promise<number> {
  // Budget, limits and decoder: flag > IMGGUARD_BUDGET > config file > default (src/budget/settings.ts).
  const settings = settingsFromFlags(flags);
  const { budget, ...judging } = checkOptionsOf(settings);
  if (flags.json && flags.ndjson) throw new UsageError('--json and --ndjson exclude each other: pick one');
  const reporterName = flags.json ? 'json' : flags.ndjson ? 'ndjson' : settings.reporter.value ?? 'human';

  const out = new Output(1);
  const err = new Output(2, 0);
  const budgetBytes = toReportedBytes(settings.budget.value);
  const color = reporterName === 'human' && process.stdout.isTTY === true && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '');
  const reporter = REPORTERS[reporterName]!({ out, err, color, budgetBytes, quiet: flags.quiet === true });
  const tally = new Tally();
  const finish = (): number => {
    reporter.end(tally.summary());
    out.flush();
    err.flush();
    return tally.exitCode();
  };
  const results = checkEntries(walkInputs(paths), { budget, ...judging });
  if (flags.verify) {
    // sharp loads only here, and only once an image is within budget.
    return (async () => {
      const { verifyResult } = await import('../decode/verify.js');
      for (const header of results) {
        const result = await verifyResult(header, BigInt(settings.budget.value));
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
