import prettyBytes from 'pretty-bytes';
import type { Tally } from '../tally.js';
import { STATUSES } from '../rules.js';

/** `--summary` as plain text: counts by verdict and by format, decoded total, largest images. */
export function detailsText(t: Tally): string {
  const lines: string[] = [];
  lines.push(`by verdict: ${STATUSES.map((s) => `${s} ${t.byStatus[s]}`).join(', ')}`);
  const formats = Object.entries(t.byFormat).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  lines.push(`by format:  ${formats.length ? formats.map(([f, n]) => `${f} ${n}`).join(', ') : '-'}`);
  lines.push(`decoded:    ${prettyBytes(t.decodedBytes)} in total (first frame/page of each file)`);
  const r = t.remote;
  if (r.objects > 0)
    lines.push(
      `remote:     ${r.objects} objects, ${r.requests} requests (median ${t.medianRequests()} per object), ` +
        `${prettyBytes(r.bytes)} fetched (${prettyBytes(Math.round(r.bytes / r.objects))} per object on average)`,
    );
  if (t.largest.length) {
    lines.push('largest:');
    for (const l of t.largest) {
      const dims = l.width !== null && l.height !== null ? `${l.width}×${l.height}` : '';
      lines.push(
        `  ${prettyBytes(l.decodedBytes).padStart(9)}  ${dims.padEnd(11)}  ${(l.format ?? '-').padEnd(5)}  ` +
          `${JSON.stringify(l.path).slice(1, -1)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The same in Markdown, for the GitHub job summary. */
export function detailsMarkdown(t: Tally): string {
  const md: string[] = [];
  md.push('| verdict | files |', '|---|---:|', ...STATUSES.map((s) => `| ${s} | ${t.byStatus[s]} |`), '');
  const formats = Object.entries(t.byFormat).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (formats.length)
    md.push('| format | files |', '|---|---:|', ...formats.map(([f, n]) => `| ${mdCell(f)} | ${n} |`), '');
  md.push(`Decoded size in total: **${prettyBytes(t.decodedBytes)}**`, '');
  if (t.largest.length) {
    md.push('| largest | size | decoded |', '|---|---|---:|');
    for (const l of t.largest)
      md.push(
        `| \`${mdCode(l.path)}\` | ${l.width ?? '?'}×${l.height ?? '?'} ${l.format ?? ''} | ` +
          `${prettyBytes(l.decodedBytes)} |`,
      );
    md.push('');
  }
  return `${md.join('\n')}\n`;
}

/** Text safe inside a Markdown table cell. */
export function mdCell(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
  return s.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/([\\|*_`[\]<>#])/g, '\\$1');
}

/** Text safe inside a code span in a table cell (backticks and pipes cannot be escaped there). */
export function mdCode(s: string): string {
  return (
    s
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
      .replace(/[\u0000-\u001f\u007f]/g, ' ')
      .replace(/`/g, "'")
      .replace(/\|/g, '\\|')
  );
}
