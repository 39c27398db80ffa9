import { Command, CommanderError } from 'commander';
import { registerBudget } from './budget.js';
import { registerCheck } from './check.js';
import { registerConvert } from './convert.js';
import { registerInspect } from './inspect.js';
import { registerMerge } from './merge.js';
import { imgguardVersion } from './version.js';
import { recoverRawArgs } from '../inputs/argv.js';
import { OutputError } from '../report/output.js';
import { lazyRequire } from '../require.js';
import { EXIT } from '../exit.js';
import { UserError } from '../user-error.js';

/**
 * `--version`: imgguard's version, then the decoder's (sharp and the libvips inside it, which
 * decide what `inspect`, `convert` and `--verify` can open), then Node's. sharp loads only here
 * and in decodes; when it cannot load, the line says why.
 */
export function versionText(): string {
  let decoder: string;
  try {
    const sharp = lazyRequire('sharp') as { versions: { sharp?: string; vips: string } };
    decoder = `sharp ${sharp.versions.sharp ?? 'unknown'}\nlibvips ${sharp.versions.vips}`;
  } catch (e) {
    decoder = `sharp: not available (${(e as Error).message.split('\n')[0]})`;
  }
  return `imgguard ${imgguardVersion()}\n${decoder}\nnode ${process.versions.node}`;
}

/**
 * Runs the CLI and returns the exit code (a promise of it for commands that decode); never
 * throws and never rejects.
 */
export function main(argv: string[]): number | Promise<number> {
  const state: { code: number | Promise<number> } = { code: EXIT.ok };
  const program = new Command('imgguard')
    .description('Open images safely: read only the header, estimate the decoded memory, judge it against a budget.')
    // Not commander's .version(): that takes the text up front, and this one loads sharp.
    .option('-V, --version', 'output the versions of imgguard, sharp, libvips and Node')
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(true);
  const run = (c: number | Promise<number>): void => {
    state.code = c;
  };
  program.on('option:version', () => {
    const text = versionText();
    process.stdout.write(`${text}\n`);
    throw new CommanderError(0, 'commander.version', text);
  });
  registerCheck(program, run);
  registerInspect(program, run);
  registerConvert(program, run);
  registerBudget(program, run);
  registerMerge(program, run);
  try {
    // Names that are not UTF-8 are recovered from the raw arguments (src/inputs/argv.ts).
    program.parse(recoverRawArgs(argv));
  } catch (e) {
    return failure(e);
  }
  const settled = state.code;
  return typeof settled === 'number' ? settled : settled.catch(failure);
}

/** The exit code for an error thrown by a command, with its one line on stderr. */
function failure(e: unknown): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
      return EXIT.ok;
    process.stderr.write(`imgguard: ${e.message.replace(/^error: /, '')}\n`);
    return EXIT.usage;
  }
  if (e instanceof OutputError) {
    process.stderr.write(`imgguard: ${e.message}\n`);
    return EXIT.failed;
  }
  if (e instanceof UserError) {
    process.stderr.write(`imgguard: ${e.message}\n`);
    return e.exitCode;
  }
  process.stderr.write(`imgguard: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return EXIT.failed;
}
