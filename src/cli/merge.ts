import type { Command } from 'commander';
import { readRecords } from '../inputs/list.js';
import { SeenPaths } from '../inputs/seen.js';
import { detailsText } from '../report/details.js';
import { summaryLine } from '../report/summary.js';
import { EXIT } from '../exit.js';
import { helpAfter, VERDICT_EXITS } from './help.js';
import { Tally } from '../tally.js';
import { imgguardVersion } from './version.js';
import { FAILING_STATUSES, REPORTER_NAMES } from '../rules.js';
import { UserError } from '../user-error.js';
import { openReporting, parseFailOn, reporterName, type ReportFlags } from './reporting.js';

/** Longest ndjson line accepted (a result with a very long path and notes stays far below). */
const MAX_LINE = 1024 * 1024;
/** Repeated paths named one by one on stderr; beyond, only their number. */
const MAX_REPEATS_NAMED = 10;

export function registerMerge(program: Command, run: (exitCode: Promise<number>) => void): void {
  program
    .command('merge')
    .description('combine the --ndjson outputs of several runs (e.g. shards) into one summary and exit code')
    .argument('<files...>', 'ndjson files written by `imgguard check --ndjson` (- for standard input)')
    .option('--reporter <name>', `also print every result again: ${REPORTER_NAMES.join(', ')}`)
    .option('--output <file>', 'write the report to FILE (complete, or not at all) instead of standard output')
    .option('--json', 'print one JSON document (--reporter json)')
    .option('--ndjson', 'print the combined results as ndjson (--reporter ndjson)')
    .option('--summary', 'also print counts by verdict and format, the decoded total and the largest images')
    .option('--fail-on <list>', 'verdicts that make the exit code non-zero', FAILING_STATUSES.join(','))
    .option('-q, --quiet', 'no summary line')
    .addHelpText(
      'after',
      helpAfter(
        [
          ['imgguard merge shard-*.ndjson', "one summary and exit code for all the shards' results"],
          ['imgguard merge a.ndjson b.ndjson --reporter junit > imgguard.xml', 'one report for all of them'],
        ],
        [...VERDICT_EXITS, `${EXIT.failed}  or: a line is not a result (file and line named)`],
      ),
    )
    .action((files: string[], flags: ReportFlags) => run(mergeCommand(files, flags)));
}

/**
 * Streams each file line by line, validates every line against the result schema, and tallies
 * exactly as `check` does, so merging the shards of a run gives that run's summary and exit
 * code. A line that is not a valid result stops the merge with exit 2, naming file and line.
 * A path met again (overlapping inputs: a shard given twice) is counted once, the first time,
 * and named on stderr.
 */
export async function mergeCommand(files: string[], flags: ReportFlags): Promise<number> {
  // zod is loaded only here: `check` never pays for it.
  const { ResultSchema } = await import('../result.js');
  const replay = flags.reporter !== undefined || flags.json === true || flags.ndjson === true;
  const tally = new Tally(parseFailOn(flags.failOn));
  reporterName(flags); // a bad --reporter is a usage error before any file is read
  // Without a reporter only the summary is printed; the budget comes from the first result.
  const open = (budget: number) =>
    openReporting(replay ? flags : { ...flags, reporter: 'ndjson', json: false, ndjson: false }, budget, {
      command: 'merge',
      version: imgguardVersion(),
    });
  let reporting: ReturnType<typeof openReporting> | null = null;
  let budgetBytes: number | null = null;
  let mixedBudgets = false;
  const seen = new SeenPaths();
  let repeats = 0;
  for (const file of files) {
    let line = 0;
    try {
      for (const record of readRecords(file, 0x0a, MAX_LINE, 'a line')) {
        line++;
        const text = record.toString('utf8').trim();
        if (text === '') continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (e) {
          return bad(file, line, `not JSON (${(e as Error).message})`);
        }
        const r = ResultSchema.safeParse(parsed);
        if (!r.success)
          return bad(
            file,
            line,
            `not an imgguard result: ${r.error.issues
              .map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`)
              .slice(0, 3)
              .join('; ')}`,
          );
        if (!seen.add(r.data.path)) {
          if (++repeats <= MAX_REPEATS_NAMED) {
            process.stderr.write(
              `imgguard merge: ${file}:${line}: ${r.data.path} was merged already (do the inputs overlap?); ` +
                `counted once\n`,
            );
          }
          continue;
        }
        if (budgetBytes === null) {
          budgetBytes = r.data.budgetBytes;
          reporting = open(budgetBytes);
        } else if (r.data.budgetBytes !== budgetBytes && !mixedBudgets) {
          mixedBudgets = true;
          process.stderr.write(
            `imgguard merge: ${file}:${line}: budget ${r.data.budgetBytes} differs from the first result's ` +
              `${budgetBytes}; the summary shows the first\n`,
          );
        }
        tally.add(r.data);
        if (replay) reporting!.reporter.result(r.data);
      }
    } catch (e) {
      // A file that cannot be read, or a line too long: the input is bad, not the flags.
      if (e instanceof UserError) return bad(file, line + 1, e.message);
      throw e;
    }
  }
  if (repeats > MAX_REPEATS_NAMED) {
    process.stderr.write(`imgguard merge: ${repeats} paths were met more than once in all; each was counted once\n`);
  }
  reporting ??= open(0);
  const summary = tally.summary();
  if (replay) await reporting.reporter.end(summary, tally);
  else {
    if (!flags.quiet)
      reporting.out.write(budgetBytes === null ? '0 files: none checked\n' : `${summaryLine(summary, budgetBytes)}\n`);
    if (flags.summary) reporting.out.write(detailsText(tally));
  }
  reporting.close();
  return tally.exitCode();
}

function bad(file: string, line: number, message: string): number {
  process.stderr.write(`imgguard merge: ${file}:${line}: ${message}\n`);
  return EXIT.failed;
}
