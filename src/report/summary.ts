import prettyBytes from 'pretty-bytes';
import type { Summary } from '../result.js';

const LABELS = {
  ok: 'ok',
  over_budget: 'over budget',
  corrupt: 'corrupt',
  unsupported: 'unsupported',
  error: 'error',
} as const;

/** "5 files: 3 ok, 1 over budget, 1 corrupt (budget 1.07 GB)". */
export function summaryLine(summary: Summary, budgetBytes: number): string {
  const parts = (Object.keys(LABELS) as (keyof typeof LABELS)[])
    .filter((s) => summary.byStatus[s] > 0)
    .map((s) => `${summary.byStatus[s]} ${LABELS[s]}`);
  const files = `${summary.files} file${summary.files === 1 ? '' : 's'}`;
  if (summary.skipped) parts.push(`${summary.skipped} skipped (not images)`);
  const counts = summary.files ? parts.join(', ') : ['none checked', ...parts].join(', ');
  const interrupted = summary.interrupted ? `interrupted by ${summary.interrupted} after ` : '';
  const budget = `${prettyBytes(budgetBytes)}, ${prettyBytes(budgetBytes, { binary: true })}`;
  return `${interrupted}${files}: ${counts} (budget ${budget})`;
}
