import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { lazyRequire } from '../require.js';
import type { Result, Status } from '../result.js';
import { FAILING_STATUSES } from '../rules.js';
import { detailsText } from './details.js';
import { defaultFails, type Reporter, type ReporterContext } from './reporter.js';
import { summaryLine } from './summary.js';

/** The SARIF 2.1.0 JSON schema (OASIS), named by `$schema`. */
export const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** The base the artifact URIs are relative to: the repository root (SARIF 3.14.14). */
export const SRCROOT = '%SRCROOT%';

type FailingStatus = (typeof FAILING_STATUSES)[number];

/** One rule per verdict that is a problem; a result's ruleId is its verdict. */
const RULE_TEXT: Record<FailingStatus, { name: string; short: string; full: string }> = {
  over_budget: {
    name: 'ImageOverMemoryBudget',
    short: 'The image decodes to more memory than the budget.',
    full:
      'Decoding this image would allocate more memory than the budget allows (an oversized image or a ' +
      'decompression bomb). imgguard judged it from the header alone and did not decode it.',
  },
  corrupt: {
    name: 'ImageCorrupt',
    short: 'The image is damaged: its header is invalid or cut off.',
    full:
      'The file carries an image signature, but its header is invalid or truncated, so a decoder would ' +
      'fail on it or read garbage.',
  },
  unsupported: {
    name: 'NotADecodableImage',
    short: 'Not an image, or a format the decoder cannot open.',
    full:
      'The file is not an image (no known signature, or a Git LFS pointer whose object was not fetched), ' +
      'or it is an image format or variant the decoder cannot open.',
  },
  error: {
    name: 'ImageUnreadable',
    short: 'The file could not be read.',
    full:
      'The file could not be opened or read: missing, a directory, no permission, not a regular file ' +
      'or an I/O error.',
  },
};

export const SARIF_RULES: Sarif.ReportingDescriptor[] = FAILING_STATUSES.map((id) => ({
  id,
  name: RULE_TEXT[id].name,
  shortDescription: { text: RULE_TEXT[id].short },
  fullDescription: { text: RULE_TEXT[id].full },
  help: { text: `${RULE_TEXT[id].full} The result's message gives the reason and the error code.` },
  defaultConfiguration: { level: 'error' },
  properties: { tags: ['images', id === 'over_budget' ? 'memory' : 'integrity'], precision: 'very-high' },
}));

/**
 * The artifact location of a path: relative to `root` (the repository: $GITHUB_WORKSPACE, else the
 * working directory) with uriBaseId %SRCROOT% when inside it, else an absolute file URI. Each
 * segment is percent-encoded, as a URI reference requires (a space is %20).
 */
export function artifactLocation(path: string, root: string): Sarif.ArtifactLocation {
  const abs = resolve(path);
  const rel = relative(resolve(root), abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { uri: pathToFileURL(abs).href };
  return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/**
 * `--reporter sarif`: one SARIF 2.1.0 log for GitHub code scanning (and GitLab, Azure DevOps),
 * with a result for each file that is not ok: level `error` for the verdicts that fail the run
 * (`--fail-on`), `warning` for the others. The log is written whole at the end (complete, or
 * nothing at all), so only the results of files that are not ok are held until then.
 */
export function sarifReporter(ctx: ReporterContext): Reporter {
  const fails = ctx.fails ?? defaultFails;
  const env = ctx.env ?? process.env;
  const root = env.GITHUB_WORKSPACE || process.cwd();
  const { createHash } = lazyRequire('node:crypto') as typeof import('node:crypto');
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'imgguard',
        ...(ctx.run ? { version: ctx.run.version, semanticVersion: ctx.run.version } : {}),
        rules: SARIF_RULES,
      },
    },
    originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(resolve(root) + sep).href } },
    results: [],
  };
  const results: string[] = [];
  return {
    result: (r: Result) => {
      if (r.status === 'ok') return;
      const ruleId = r.status as Exclude<Status, 'ok'>;
      const location = artifactLocation(r.path, root);
      const result: Sarif.Result = {
        ruleId,
        ruleIndex: FAILING_STATUSES.indexOf(ruleId),
        level: fails(r.status) ? 'error' : 'warning',
        message: { text: `${r.status}${r.error ? ` (${r.error.code})` : ''}: ${r.reason ?? r.status}` },
        locations: [
          {
            physicalLocation: {
              artifactLocation: location,
              // A binary file has no lines; GitHub code scanning requires a region with a start line.
              region: { startLine: 1 },
            },
          },
        ],
        // The same file with the same verdict is the same alert from run to run.
        partialFingerprints: {
          'imgguard/v1': createHash('sha256').update(`${ruleId}\0${location.uri}`).digest('hex'),
        },
        properties: {
          format: r.format,
          width: r.width,
          height: r.height,
          decodedBytes: r.decodedBytes,
          budgetBytes: r.budgetBytes,
          ...(r.error ? { code: r.error.code } : {}),
        },
      };
      results.push(JSON.stringify(result));
    },
    end: (summary, tally) => {
      const invocation: Sarif.Invocation = {
        executionSuccessful: !summary.interrupted,
        exitCode: summary.exitCode,
        properties: { summary },
      };
      if (summary.interrupted) {
        invocation.exitSignalName = summary.interrupted;
        invocation.toolExecutionNotifications = [
          { level: 'error', message: { text: summaryLine(summary, ctx.budgetBytes) } },
        ];
      }
      run.invocations = [invocation];
      const log = JSON.stringify({ $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] } satisfies Sarif.Log);
      // The results, one per line, go into the empty array the log was made with.
      const at = log.indexOf('"results":[]') + '"results":['.length;
      ctx.out.write(log.slice(0, at));
      for (let i = 0; i < results.length; i++) ctx.out.write(`${i ? ',' : ''}\n${results[i]}`);
      ctx.out.write(`\n${log.slice(at)}\n`);
      if (!ctx.quiet) ctx.err.write(`${summaryLine(summary, ctx.budgetBytes)}\n`);
      if (tally && ctx.details) ctx.err.write(detailsText(tally));
    },
  };
}
