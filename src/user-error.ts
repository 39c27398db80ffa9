import { EXIT } from './exit.js';

/**
 * The user's mistake: a bad flag, argument, environment value, config file, pattern or path list.
 * Thrown where it is found, with one line saying what is wrong and what is accepted; the CLI prints
 * that line and exits with `exitCode`, in one place (src/cli/main.ts).
 */
export class UserError extends Error {
  readonly exitCode: number = EXIT.usage;
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
