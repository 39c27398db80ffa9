import { closeSync, openSync, writeSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import prettyBytes from 'pretty-bytes';
import type { Result } from '../result.js';
import { detailsMarkdown, detailsText, mdCell, mdCode } from './details.js';
import { defaultFails, type Reporter, type ReporterContext } from './reporter.js';
import { summaryLine } from './summary.js';

/** GitHub shows at most 10 error annotations per step; more are dropped by GitHub anyway. */
export const MAX_ANNOTATIONS = 10;
/** Bytes of file rows in the job summary; GitHub's limit is 1 MiB per step, we stay well under. */
export const SUMMARY_LIST_CAP = 512 * 1024;

/** Escapes the message of a workflow command (`%`, CR, LF). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command property value (also `:` and `,`, which end a property). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * The path as an annotation names it: relative to `$GITHUB_WORKSPACE` (the repository's checkout)
 * when the file is inside it, since GitHub links an annotation only by a path from the repository
 * root; otherwise as given.
 */
export function workspacePath(path: string, workspace: string | undefined): string {
  if (!workspace) return path;
  const rel = relative(resolve(workspace), resolve(path));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return path;
  return sep === '/' ? rel : rel.split(sep).join('/');
}

/**
 * `--reporter github`: GitHub Actions workflow commands. The first files that are not ok become
 * annotations: `::error` for the verdicts that fail the run (`--fail-on`), `::warning` for the
 * others; further ones become plain log lines. When `$GITHUB_STEP_SUMMARY` is set, a Markdown job
 * summary is appended to it with the counts and the files that are not ok (as many as fit under
 * SUMMARY_LIST_CAP; it says how many were left out).
 */
export function githubReporter(ctx: ReporterContext): Reporter {
  const fails = ctx.fails ?? defaultFails;
  const env = ctx.env ?? process.env;
  const summaryFile = env.GITHUB_STEP_SUMMARY;
  const workspace = env.GITHUB_WORKSPACE;
  let fd: number | null = null;
  if (summaryFile) {
    try {
      fd = openSync(summaryFile, 'a');
    } catch (e) {
      ctx.err.write(`imgguard: cannot write the job summary to ${summaryFile}: ${(e as Error).message}\n`);
    }
  }
  const annotated = { error: 0, warning: 0 };
  let problems = 0;
  let listedBytes = 0;
  let unlisted = 0;
  let tableStarted = false;
  let pending = '';
  const put = (s: string) => {
    pending += s;
    if (pending.length > 16384) flushSummary();
  };
  const flushSummary = () => {
    if (fd !== null && pending) writeSync(fd, pending);
    pending = '';
  };
  return {
    result: (r: Result) => {
      if (r.status === 'ok') return;
      problems++;
      const path = workspacePath(r.path, workspace);
      const message = `${r.status}: ${r.reason ?? r.status}`;
      const level = fails(r.status) ? 'error' : 'warning';
      if (annotated[level] < MAX_ANNOTATIONS) {
        annotated[level]++;
        ctx.out.write(
          `::${level} file=${escapeProperty(path)},title=${escapeProperty(`imgguard: ${r.status}`)}::` +
            `${escapeData(message)}\n`,
        );
      } else ctx.out.write(`imgguard: ${escapeData(path)}: ${escapeData(message)}\n`);
      if (fd === null) return;
      const dims = r.width !== null && r.height !== null ? `${r.width}×${r.height}` : '';
      const row =
        `| \`${mdCode(path)}\` | ${r.status} | ${r.format ?? ''} ${dims} | ` +
        `${r.decodedBytes !== null ? prettyBytes(r.decodedBytes) : ''} | ${mdCell(r.reason ?? '')} |\n`;
      if (listedBytes + row.length > SUMMARY_LIST_CAP) {
        unlisted++;
        return;
      }
      if (!tableStarted) {
        put('## imgguard: files that are not ok\n\n');
        put('| file | verdict | image | decoded | reason |\n|---|---|---|---:|---|\n');
        tableStarted = true;
      }
      listedBytes += row.length;
      put(row);
    },
    end: (summary, tally) => {
      const more = problems - annotated.error - annotated.warning;
      if (more > 0)
        ctx.out.write(
          `::notice title=imgguard::${more} more files that are not ok are listed in the ` +
            `log${fd !== null ? ' and in the job summary' : ''}\n`,
        );
      if (!ctx.quiet) ctx.out.write(`${summaryLine(summary, ctx.budgetBytes)}\n`);
      if (tally && ctx.details) ctx.out.write(detailsText(tally));
      if (fd === null) return;
      if (unlisted > 0)
        put(
          `\n${unlisted} more files that are not ok are not listed here (the summary is capped); ` +
            'the job log has them all.\n',
        );
      put(`\n## imgguard: ${mdCell(summaryLine(summary, ctx.budgetBytes))}\n\n`);
      if (tally) put(detailsMarkdown(tally));
      flushSummary();
      closeSync(fd);
    },
  };
}
