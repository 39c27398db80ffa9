import type { Result } from '../result.js';
import { detailsText } from './details.js';
import { summaryLine } from './summary.js';
import type { Reporter, ReporterContext } from './reporter.js';

/** `--json`: one document `{ budgetBytes, results, summary }` at the end. */
export function jsonReporter(ctx: ReporterContext): Reporter {
  const results: Result[] = [];
  return {
    result: (r) => results.push(r),
    end: (summary, tally) => {
      ctx.out.write(`${JSON.stringify({ budgetBytes: ctx.budgetBytes, results, summary }, null, 2)}\n`);
      if (tally && ctx.details) ctx.err.write(detailsText(tally));
    },
  };
}

/** `--ndjson`: one JSON object per file per line as results come; the summary on stderr. */
export function ndjsonReporter(ctx: ReporterContext): Reporter {
  return {
    result: (r) => ctx.out.write(`${JSON.stringify(r)}\n`),
    end: (summary, tally) => {
      if (!ctx.quiet) ctx.err.write(`${summaryLine(summary, ctx.budgetBytes)}\n`);
      if (tally && ctx.details) ctx.err.write(detailsText(tally));
    },
  };
}
