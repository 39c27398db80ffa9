import type { Command } from 'commander';
import prettyBytes from 'pretty-bytes';
import { settingsFromFlags } from './budget.js';
import type { Inspection } from '../decode/inspect.js';
import { BUDGET_ENV } from '../budget/settings.js';
import { EXIT } from '../exit.js';
import { STDIN } from '../probe/stdin.js';
import { withStdinFile } from './stdin.js';
import { helpAfter, IMAGE_EXITS } from './help.js';
import { isRemote } from '../remote/reader.js';
import type { Result } from '../result.js';
import { fsPathOf } from '../inputs/argv.js';
import { DEFAULT_BUDGET_TEXT } from '../rules.js';

interface InspectFlags {
  budget?: string;
  json?: boolean;
}

export function registerInspect(program: Command, run: (exitCode: number | Promise<number>) => void): void {
  program
    .command('inspect')
    .description(
      "every header fact, the estimate with its arithmetic, and (if it fits the budget) sharp's pixel statistics",
    )
    .argument('<file>', 'one image file; - for standard input (held in memory up to the budget)')
    .option(
      '-b, --budget <size>',
      `largest peak decode memory allowed, as for check: 512MB, 2GiB, auto (default ${DEFAULT_BUDGET_TEXT}; env ` +
        `${BUDGET_ENV})`,
    )
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      helpAfter(
        [
          ['imgguard inspect photo.jpg', 'every header fact, the estimate, and pixel statistics if it fits'],
          ['imgguard inspect huge.tiff --budget 256MiB --json', 'one JSON document'],
        ],
        IMAGE_EXITS,
      ),
    )
    .action((file: string, flags: InspectFlags) => run(inspectCommand(file, flags)));
}

/** The budget as `check` resolves it: --budget > IMGGUARD_BUDGET > config file > 1 GiB (auto allowed). */
export function budgetFlag(text: string | undefined): bigint {
  return BigInt(settingsFromFlags(text === undefined ? {} : { budget: text }).budget.value);
}

export async function inspectCommand(file: string, flags: InspectFlags): Promise<number> {
  const budget = budgetFlag(flags.budget);
  const { inspect } = await import('../decode/inspect.js');
  let report: Inspection;
  if (isRemote(file)) {
    // Judged by its header first; fetched whole (into a temporary file) only when it fits.
    const { onRemoteCopy } = await import('../remote/download.js');
    const copy = await onRemoteCopy(file, budget, (local) => inspect(local, budget));
    if ('refused' in copy) return refusedRemote(copy.refused, flags.json);
    report = { ...copy.value, path: file };
  } else if (file === STDIN)
    report = { ...(await withStdinFile(budget, (path) => inspect(path, budget))), path: STDIN };
  else report = await inspect(fsPathOf(file), budget);
  process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : humanInspection(report));
  return report.status === 'ok' ? EXIT.ok : report.status === 'over_budget' ? EXIT.overBudget : EXIT.failed;
}

/** A remote object not fetched whole: its check result, and the exit code `check` gives it. */
export function refusedRemote(r: Result, json: boolean | undefined): number {
  process.stdout.write(json ? `${JSON.stringify(r, null, 2)}\n` : `${r.path}\n  ${r.status.padEnd(12)} ${r.reason}\n`);
  return r.status === 'over_budget' ? EXIT.overBudget : EXIT.failed;
}

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

/** What an over-budget image can still do: decode at a reduced scale with --fit, or nothing. */
const fitNote = (scale: number | null): string =>
  scale === null ? '; no shrink-on-load reduction fits' : `; fits at scale ${scale} (--fit)`;
const sizeOf = (n: number | null): string => (n === null ? 'none' : prettyBytes(n));

export function humanInspection(r: Inspection): string {
  const lines: string[] = [r.path];
  const row = (k: string, v: string) => lines.push(`  ${k.padEnd(12)} ${v}`);
  const h = r.header;
  if (h) {
    row('format', h.format + (h.progressive ? ' (progressive)' : '') + (h.interlaced ? ' (interlaced)' : ''));
    row('dimensions', `${h.width}×${h.height}`);
    row(
      'orientation',
      h.orientation === null ? 'none' : `${h.orientation} (displayed ${h.orientedWidth}×${h.orientedHeight})`,
    );
    row('channels', `${h.channels} as loaded, ${h.outputChannels} in sRGB output`);
    row('depth', `${h.bitsPerSample} bits/sample`);
    row('space', h.space ?? 'unknown');
    row('frames', String(h.frames));
    for (const [i, p] of h.otherPages.entries())
      row(`page ${i + 2}`, `${p.width}×${p.height}, ${p.channels} ch, ${p.bitsPerSample} bit`);
    for (const n of h.notes) row('note', n);
  }
  const m = r.metadata;
  if (m) {
    row('icc', sizeOf(m.iccBytes));
    row('exif', sizeOf(m.exifBytes));
    row('xmp', sizeOf(m.xmpBytes));
    if (m.delays)
      row('delays', `${m.delays.join(', ')} ms${m.loop !== null ? `, loop ${m.loop === 0 ? 'forever' : m.loop}` : ''}`);
  }
  const e = r.estimate;
  if (e) {
    row('estimate', e.arithmetic[0] ?? '');
    for (const step of e.arithmetic.slice(1)) row('', step);
    row('decoded', `${prettyBytes(e.decodedBytes)} (all frames ${prettyBytes(e.decodedBytesAllFrames)})`);
    row('peak', prettyBytes(e.peakBytes));
    row(
      'budget',
      `${prettyBytes(e.budgetBytes)}: ${e.fits ? 'fits' : 'over budget'}${e.fits ? '' : fitNote(e.fitScale)}`,
    );
  }
  const s = r.stats;
  if (s) {
    for (const [i, c] of s.channels.entries()) {
      row(i === 0 ? 'stats' : '', `band ${i}: min ${c.min} max ${c.max} mean ${c.mean.toFixed(2)}`);
    }
    row('opaque', yesNo(s.isOpaque));
    row('dominant', `rgb(${s.dominant.r}, ${s.dominant.g}, ${s.dominant.b})`);
  }
  if (r.reason) row(r.status, r.reason);
  return `${lines.join('\n')}\n`;
}
