import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { registerBudget } from './budget.js';
import { registerCheck } from './check.js';
import { registerMerge } from './merge.js';
import { UsageError } from './usage.js';
import { EXIT } from '../run.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Runs the CLI and returns the exit code; never throws. Commands that need an asynchronous step
 * (e.g. `merge`, which loads the schema library lazily) return a promise of it.
 */
export function main(argv: string[]): number | Promise<number> {
  let code: number = EXIT.ok;
  let pending: Promise<number> | null = null;
  const program = new Command('imgguard')
    .description('Open images safely: read only the header, estimate the decoded memory, judge it against a budget.')
    .version(version(), '-V, --version')
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(true);
  registerCheck(program, (c) => { code = c; });
  registerBudget(program, (c) => { code = c; });
  registerMerge(program, (p) => { pending = p.catch((e: unknown) => failure(e)); });
  try {
    program.parse(argv);
  } catch (e) {
    return failure(e);
  }
  return pending ?? code;
}

/** The exit code for an error thrown by a command, with its one line on stderr. */
function failure(e: unknown): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
    process.stderr.write(`imgguard: ${e.message.replace(/^error: /, '')}\n`);
    return EXIT.usage;
  }
  if (e instanceof UsageError) {
    process.stderr.write(`imgguard: ${e.message}\n`);
    return EXIT.usage;
  }
  process.stderr.write(`imgguard: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  return EXIT.failed;
}
