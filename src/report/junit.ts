import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Result } from '../result.js';
import { defaultFails, type Reporter, type ReporterContext } from './reporter.js';
import { summaryLine } from './summary.js';

/**
 * Characters XML 1.0 does not allow at all (section 2.2, production [2]), lone surrogates
 * included; they are dropped.
 */
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text for an attribute value or element content: invalid characters dropped, markup escaped. */
export function xmlEscape(s: string): string {
  return s.replace(INVALID_XML, '').replace(/[&<>"'\t\n\r]/g, (c) => XML_ENTITIES[c]!);
}
const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/**
 * `--reporter junit`: one JUnit XML document, one testcase per file. Verdicts that count as
 * failures (`--fail-on`, default all but ok) become `<failure>` (over_budget, corrupt,
 * unsupported) or `<error>` (error, the file could not be read). The counts sit on the root
 * element, so testcases are spooled to a temporary file while the run goes on (memory stays
 * flat) and the document is written out at the end.
 */
export function junitReporter(ctx: ReporterContext): Reporter {
  const fails = ctx.fails ?? defaultFails;
  const started = Date.now();
  const spoolPath = join(tmpdir(), `imgguard-junit-${process.pid}-${started}.xml`);
  const spool = openSync(spoolPath, 'wx+', 0o600);
  // Unlinked at once: the open descriptor keeps it, and nothing is left behind on any exit.
  unlinkSync(spoolPath);
  let buffer = '';
  let failures = 0;
  let errors = 0;
  let tests = 0;
  const flush = () => {
    if (buffer) writeSync(spool, buffer);
    buffer = '';
  };
  return {
    result: (r: Result) => {
      tests++;
      const name = xmlEscape(r.path);
      const cls = `imgguard.${xmlEscape(r.format ?? 'unknown')}`;
      let body = '';
      const detail = xmlEscape(`${r.status}${r.error ? ` (${r.error.code})` : ''}: ${r.reason ?? ''}`);
      if (r.status !== 'ok' && fails(r.status)) {
        const tag = r.status === 'error' ? 'error' : 'failure';
        if (tag === 'error') errors++;
        else failures++;
        body = `<${tag} message="${xmlEscape(r.reason ?? r.status)}" type="${r.status}">${detail}</${tag}>`;
      } else if (r.status !== 'ok') body = `<system-out>${detail}</system-out>`;
      buffer += body
        ? `    <testcase classname="${cls}" name="${name}" time="0">${body}</testcase>\n`
        : `    <testcase classname="${cls}" name="${name}" time="0"/>\n`;
      if (buffer.length > 65536) flush();
    },
    end: (summary) => {
      flush();
      const time = ((Date.now() - started) / 1000).toFixed(3);
      const counts = `tests="${tests}" failures="${failures}" errors="${errors}" skipped="0" time="${time}"`;
      ctx.out.write('<?xml version="1.0" encoding="UTF-8"?>\n');
      ctx.out.write(`<testsuites name="imgguard" ${counts}>\n`);
      ctx.out.write(
        `  <testsuite name="imgguard check" ${counts} timestamp="${new Date(started).toISOString().slice(0, 19)}">\n`,
      );
      // A run stopped early says so, and that its counts cover only the files it checked.
      if (summary.interrupted) {
        ctx.out.write(`    <properties><property name="interrupted" value="${summary.interrupted}"/></properties>\n`);
        ctx.out.write(`    <system-err>${xmlEscape(summaryLine(summary, ctx.budgetBytes))}</system-err>\n`);
      }
      const chunk = Buffer.allocUnsafe(65536);
      const utf8 = new StringDecoder('utf8'); // a chunk may end inside a character
      let at = 0;
      for (
        let n = readSync(spool, chunk, 0, chunk.length, at);
        n > 0;
        n = readSync(spool, chunk, 0, chunk.length, at)
      ) {
        ctx.out.write(utf8.write(chunk.subarray(0, n)));
        at += n;
      }
      ctx.out.write('  </testsuite>\n</testsuites>\n');
      ctx.out.write(utf8.end());
      closeSync(spool);
      if (!ctx.quiet) ctx.err.write(`${summaryLine(summary, ctx.budgetBytes)}\n`);
    },
  };
}
