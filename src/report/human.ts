import prettyBytes from 'pretty-bytes';
import { humanName } from './escape.js';
import type { Result, Status } from '../result.js';
import { detailsText } from './details.js';
import { summaryLine } from './summary.js';
import type { Reporter, ReporterContext } from './reporter.js';

const MARKS: Record<Status, string> = { ok: '✓', over_budget: '✗', corrupt: '!', unsupported: '?', error: '!' };
const COLOURS: Record<Status, number> = { ok: 32, over_budget: 31, corrupt: 33, unsupported: 33, error: 31 };
/** Lines are aligned in batches, so output still streams on long runs. */
const BATCH = 100;
const MAX_PATH_WIDTH = 60;

/** Cells of one line: mark, path, format, size, bands/depth, decoded size, verdict. */
function cells(r: Result): string[] {
  const dims = r.width !== null && r.height !== null ? `${r.width}×${r.height}` : '';
  const bands = r.channels !== null && r.bitsPerSample !== null ? `${r.channels}ch/${r.bitsPerSample}bit` : '';
  const frames = r.frames !== null && r.frames > 1 ? ` ×${r.frames}` : '';
  const decoded = r.decodedBytes !== null ? prettyBytes(r.decodedBytes) + frames : '';
  const base = r.reason ? `${r.status}: ${r.reason}` : r.status;
  // Warnings (e.g. Pillow's DecompressionBombWarning level) do not change the verdict, but show.
  const verdict = r.warnings?.length ? `${base} (warning: ${r.warnings.join('; ')})` : base;
  return [MARKS[r.status], humanName(r.path), r.format ?? '-', dims, bands, decoded, humanName(verdict)];
}

/** The default: one aligned line per file, then a summary line. */
export function humanReporter(ctx: ReporterContext): Reporter {
  let batch: Result[] = [];
  const flush = () => {
    const rows = batch.map(cells);
    const widths = [0, 1, 2, 3, 4, 5].map((i) =>
      Math.min(i === 1 ? MAX_PATH_WIDTH : 99, Math.max(...rows.map((r) => r[i]!.length))),
    );
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k]!;
      let line =
        row
          .slice(0, 6)
          .map((c, i) => (i === 3 || i === 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
          .join('  ') +
        '  ' +
        row[6];
      if (ctx.color) line = `\x1b[${COLOURS[batch[k]!.status]}m${row[0]}\x1b[0m${line.slice(row[0]!.length)}`;
      ctx.out.write(`${line}\n`);
    }
    batch = [];
  };
  return {
    result: (r) => {
      batch.push(r);
      if (batch.length >= BATCH) flush();
    },
    end: (summary, tally) => {
      flush();
      if (!ctx.quiet) ctx.out.write(`${summaryLine(summary, ctx.budgetBytes)}\n`);
      if (tally && ctx.details) ctx.out.write(detailsText(tally));
    },
  };
}
