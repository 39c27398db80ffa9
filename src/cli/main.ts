import { Command, CommanderError } from 'commander';
import { registerBudget } from './budget.js';
import { registerCheck } from './check.js';
import { registerConvert } from './convert.js';
import { registerInspect } from './inspect.js';
import { registerMerge } from './merge.js';
import { imgguardVersion } from './version.js';
import { recoverRawArgs } from '../inputs/argv.js';
import { OutputError } from '../report/output.js';
import { EXIT } from '../exit.js';
import { UserError } from '../user-error.js';

/**
 * Runs the CLI and returns the exit code (a promise of it for commands that decode); never
 * throws and never rejects.
 */
export function main(argv: string[]): number | Promise<number> {
  const state: { code: number | Promise<number> } = { code: EXIT.ok };
  const program = new Command('imgguard')
    .description('Open images safely: read only the header, estimate the decoded memory, judge it against a budget.')
    .version(imgguardVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(true);
  const run = (c: number | Promise<number>): void => {
    state.code = c;
  };
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
