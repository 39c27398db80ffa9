import type { Command } from 'commander';
import prettyBytes from 'pretty-bytes';
import { PILLOW_ERROR_PIXELS, PILLOW_MAX_IMAGE_PIXELS } from '../budget/limits.js';
import {
  BUDGET_ENV,
  resolveSettings,
  type BudgetFlags,
  type ResolveOptions,
  type Settings,
  type Sourced,
} from '../budget/settings.js';
import { DEFAULT_BUDGET_TEXT } from '../rules.js';
import { EXIT } from '../exit.js';
import { helpAfter } from './help.js';

/** The budget and limit options, shared by `check` and `budget`. */
export function addBudgetOptions(cmd: Command): Command {
  return cmd
    .option(
      '-b, --budget <size>',
      'largest decoded size: 512MB, 1.5GB, 512MiB, 2G, bytes, or auto / auto:60% of the memory still available ' +
        `(default ${DEFAULT_BUDGET_TEXT}; env ${BUDGET_ENV})`,
    )
    .option('--frames <mode>', 'budget on the first frame/page or on all of them: first (default), all')
    .option(
      '--decoder <profile>',
      'whose memory to estimate: sharp (default), pillow (Image.open: the largest of Pillow 9.0 on), pillow@9.4, numpy',
    )
    .option('--max-pixels <n>', 'over_budget above this many pixels (width × height), e.g. 100MP')
    .option('--max-width <n>', 'over_budget above this width')
    .option('--max-height <n>', 'over_budget above this height')
    .option('--max-frames <n>', 'over_budget above this many frames/pages')
    .option('--max-file-size <size>', 'over_budget above this file size, e.g. 50MB')
    .option(
      '--pillow-compat',
      `Pillow's decompression-bomb thresholds: over_budget above ${PILLOW_ERROR_PIXELS} pixels, a warning above ` +
        `${PILLOW_MAX_IMAGE_PIXELS}`,
    )
    .option('--config <file>', 'use this config file instead of looking for one from the working directory up');
}

/** Resolves the settings of a command's flags; a bad flag, env value or config is a UserError (exit 64). */
export function settingsFromFlags(flags: BudgetFlags, options: ResolveOptions = {}): Settings {
  return resolveSettings(flags, options);
}

interface BudgetCommandFlags extends BudgetFlags {
  json?: boolean;
}

export function registerBudget(program: Command, run: (exitCode: number) => void): void {
  const cmd = program
    .command('budget')
    .description(
      'print the effective budget and limits, and where each one came from (flag, environment, config file, default)',
    );
  addBudgetOptions(cmd)
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      helpAfter(
        [
          ['imgguard budget', 'the budget and limits in force, and where each one came from'],
          ['IMGGUARD_BUDGET=auto:50% imgguard budget --json', 'half the available memory, as JSON'],
        ],
        [`${EXIT.ok}  printed`],
      ),
    )
    .action((flags: BudgetCommandFlags) => run(budgetCommand(flags)));
}

const show = (s: Sourced<unknown>): string =>
  s.value === undefined ? 'none' : Array.isArray(s.value) ? s.value.join(', ') : String(s.value);

/** The settings as JSON-safe values (bigints as numbers of bytes). */
export function settingsJson(s: Settings): Record<string, unknown> {
  const entry = (x: Sourced<unknown>) => ({
    value: typeof x.value === 'bigint' ? Number(x.value) : (x.value ?? null),
    source: x.source,
  });
  return {
    budget: {
      ...entry(s.budget),
      spec: s.budget.spec,
      ...(s.budget.available
        ? {
            percent: s.budget.percent,
            availableBytes: Number(s.budget.available.bytes),
            availableSource: s.budget.available.source,
            availableDetail: s.budget.available.detail,
          }
        : {}),
    },
    frames: entry(s.frames),
    decoder: entry(s.decoder),
    maxPixels: entry(s.maxPixels),
    maxWidth: entry(s.maxWidth),
    maxHeight: entry(s.maxHeight),
    maxFrames: entry(s.maxFrames),
    maxFileSize: entry(s.maxFileSize),
    pillowCompat: entry(s.pillowCompat),
    reporter: entry(s.reporter),
    failOn: entry(s.failOn),
    concurrency: entry(s.concurrency),
    ignore: entry(s.ignore),
    config: s.config ? s.config.file : null,
  };
}

/** The human table of `imgguard budget`. */
export function settingsText(s: Settings): string {
  const b = s.budget;
  const rows: [string, string, string][] = [['budget', `${prettyBytes(Number(b.value))} (${b.value} bytes)`, b.source]];
  if (b.available)
    rows.push(['', `${b.percent}% of ${prettyBytes(Number(b.available.bytes))} available: ${b.available.detail}`, '']);
  rows.push(
    ['frames', show(s.frames), s.frames.source],
    ['decoder', show(s.decoder), s.decoder.source],
    ['max-pixels', show(s.maxPixels), s.maxPixels.source],
    ['max-width', show(s.maxWidth), s.maxWidth.source],
    ['max-height', show(s.maxHeight), s.maxHeight.source],
    ['max-frames', show(s.maxFrames), s.maxFrames.source],
    [
      'max-file-size',
      s.maxFileSize.value === undefined
        ? 'none'
        : `${prettyBytes(Number(s.maxFileSize.value))} (${s.maxFileSize.value} bytes)`,
      s.maxFileSize.source,
    ],
    [
      'pillow-compat',
      s.pillowCompat.value
        ? `on (error above ${PILLOW_ERROR_PIXELS} pixels, warning above ${PILLOW_MAX_IMAGE_PIXELS})`
        : 'off',
      s.pillowCompat.source,
    ],
    ['reporter', show(s.reporter), s.reporter.source],
    ['fail-on', show(s.failOn), s.failOn.source],
    ['concurrency', show(s.concurrency), s.concurrency.source],
    ['ignore', show(s.ignore), s.ignore.source],
    ['config', s.config ? s.config.file + (s.config.key ? ` ("${s.config.key}" key)` : '') : 'none found', ''],
  );
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => (r[2] ? r[1].length : 0)));
  return `${rows
    .map(([k, v, src]) => (src ? `${k.padEnd(w0)}  ${v.padEnd(w1)}  from ${src}` : `${k.padEnd(w0)}  ${v}`).trimEnd())
    .join('\n')}\n`;
}

export function budgetCommand(flags: BudgetCommandFlags, options: ResolveOptions = {}): number {
  const settings = settingsFromFlags(flags, options);
  process.stdout.write(flags.json ? `${JSON.stringify(settingsJson(settings), null, 2)}\n` : settingsText(settings));
  return 0;
}
