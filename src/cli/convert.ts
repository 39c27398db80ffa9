import type { Command } from 'commander';
import { extname } from 'node:path';
import prettyBytes from 'pretty-bytes';
import { BUDGET_ENV } from '../budget/settings.js';
import { EXIT } from '../exit.js';
import { STDIN } from '../probe/stdin.js';
import { withStdinFile } from './stdin.js';
import { helpAfter, IMAGE_EXITS } from './help.js';
import { isRemote } from '../remote/reader.js';
import { fsPathOf } from '../inputs/argv.js';
import { DEFAULT_BUDGET_TEXT, OUTPUT_SIDE } from '../rules.js';
import { budgetFlag } from './inspect.js';
import { UserError } from '../user-error.js';
import { wholeNumberIn } from '../validate.js';

interface ConvertFlags {
  budget?: string;
  format?: string;
  maxSide?: string;
  width?: string;
  height?: string;
  fit?: boolean;
  force?: boolean;
  autoOrient: boolean;
  quiet?: boolean;
  rawHeader?: boolean;
}

export function registerConvert(program: Command, run: (exitCode: number | Promise<number>) => void): void {
  program
    .command('convert')
    .description('decode IN through sharp only if it fits the budget, and write OUT atomically')
    .argument('<in>', 'input image; - for standard input (held in memory up to the budget)')
    .argument('<out>', "output file (format from its extension), or '-' for stdout (needs --format)")
    .option(
      '-b, --budget <size>',
      `largest peak decode memory allowed, as for check: 512MB, 2GiB, auto (default ${DEFAULT_BUDGET_TEXT}; env ` +
        `${BUDGET_ENV})`,
    )
    .option('-f, --format <format>', 'output format: jpeg, png, webp, avif, tiff, gif, heif, raw')
    .option('--max-side <n>', 'shrink so the longest side is at most N pixels (never enlarges)')
    .option('--width <n>', 'output width (keeps the aspect unless --height is given too)')
    .option('--height <n>', 'output height (keeps the aspect unless --width is given too)')
    .option(
      '--fit',
      'over budget: decode at the largest shrink-on-load reduction that fits (JPEG 1/2, 1/4, 1/8; WebP, SVG any scale)',
    )
    .option('--force', 'replace OUT if it exists')
    .option('--no-auto-orient', 'keep the stored orientation (default: apply EXIF orientation)')
    .option('-q, --quiet', 'no summary line on stderr')
    .option(
      '--raw-header',
      'with --format raw to stdout: first one JSON line {width, height, channels, bytesPerSample, bytes}; ' +
        'a refusal is one JSON line {status, code, reason} instead',
    )
    .addHelpText(
      'after',
      helpAfter(
        [
          ['imgguard convert huge.jpg thumb.webp --max-side 512', 'decode within the budget, write atomically'],
          ['imgguard convert scan.jpg - --format png --fit --budget 256MiB > small.png', 'shrink on load to fit'],
        ],
        [...IMAGE_EXITS, `${EXIT.failed}  or: the output could not be written (nothing is left behind)`],
      ),
    )
    .action((input: string, output: string, flags: ConvertFlags) => run(convertCommand(input, output, flags)));
}

const side = (flag: string, text: string | undefined): number | undefined =>
  text === undefined ? undefined : wholeNumberIn(flag, text, OUTPUT_SIDE);

export async function convertCommand(
  input: string,
  output: string,
  flags: ConvertFlags,
  shown: string = input,
): Promise<number> {
  const budget = budgetFlag(flags.budget);
  const { OUTPUT_FORMATS } = await import('../decode/convert.js');
  const fromExt = OUTPUT_FORMATS[extname(output).slice(1).toLowerCase()];
  const format = flags.format !== undefined ? OUTPUT_FORMATS[flags.format.toLowerCase()] : fromExt;
  if (flags.format !== undefined && !format)
    throw new UserError(
      `invalid --format ${JSON.stringify(flags.format)}: expected one of jpeg, png, webp, avif, tiff, gif, heif, raw`,
    );
  if (!format)
    throw new UserError(
      output === '-'
        ? "writing to stdout ('-') needs --format"
        : `cannot tell the output format from ${JSON.stringify(output)}: use a known extension or --format`,
    );
  const maxSide = side('--max-side', flags.maxSide);
  const width = side('--width', flags.width);
  const height = side('--height', flags.height);
  if (maxSide !== undefined && (width !== undefined || height !== undefined))
    throw new UserError('--max-side excludes --width and --height');

  if (isRemote(input)) {
    // Judged by its header first; fetched whole (into a temporary file) only when it fits, or
    // when --fit finds a reduction that does.
    const { onRemoteCopy } = await import('../remote/download.js');
    const copy = await onRemoteCopy(
      input,
      budget,
      (local) => convertCommand(local, output, flags, input),
      (r) => r.status === 'ok' || (flags.fit === true && r.status === 'over_budget' && (r.fitScale ?? null) !== null),
    );
    if (!('refused' in copy)) return copy.value;
    const r = copy.refused;
    process.stderr.write(`imgguard: ${input}: ${r.status === 'over_budget' ? 'refused' : r.status}: ${r.reason}\n`);
    return r.status === 'over_budget' ? EXIT.overBudget : EXIT.failed;
  }
  const { convertFile } = await import('../decode/convert.js');
  const { DecodeRefusal } = await import('../decode/guard.js');
  try {
    // Names that were not UTF-8 are opened by their raw bytes.
    const request = {
      budget,
      format,
      force: flags.force === true,
      fit: flags.fit === true,
      rawHeader: flags.rawHeader === true,
      autoOrient: flags.autoOrient,
      ...(maxSide !== undefined ? { maxSide } : {}),
      ...(width !== undefined ? { width } : {}),
      ...(height !== undefined ? { height } : {}),
    };
    const to = output === '-' ? output : fsPathOf(output);
    const done =
      input === STDIN
        ? await withStdinFile(budget, (path) => convertFile(path, to, request))
        : await convertFile(fsPathOf(input), to, request);
    if (!flags.quiet) {
      const p = done.plan;
      const how = p.fitted ? `, reduced to fit (load scale 1/${Number(p.load.shrink.toFixed(3))})` : '';
      process.stderr.write(
        `imgguard: ${shown} → ${output}: ${done.width}×${done.height} ${format}, ${prettyBytes(done.bytes)}; ` +
          `decode peak ≤ ${prettyBytes(Number(p.peak.peakBytes))} of ${prettyBytes(Number(budget))}${how}\n`,
      );
    }
    return EXIT.ok;
  } catch (e) {
    if (e instanceof DecodeRefusal) {
      if (flags.rawHeader && output === '-')
        process.stdout.write(`${JSON.stringify({ status: e.status, code: e.code, reason: e.message })}\n`);
      process.stderr.write(`imgguard: ${shown}: ${e.status === 'over_budget' ? 'refused' : e.status}: ${e.message}\n`);
      return e.status === 'over_budget' ? EXIT.overBudget : EXIT.failed;
    }
    throw e;
  }
}
