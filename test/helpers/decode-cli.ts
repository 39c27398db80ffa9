/** Runs the built CLI (dist/) in a child process. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BIN } from './cli.js';

export const NO_SHARP = fileURLToPath(new URL('./no-sharp.mjs', import.meta.url));

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], options: { cwd?: string; noSharp?: boolean } = {}): Run {
  const nodeArgs = options.noSharp ? ['--import', NO_SHARP] : [];
  const r = spawnSync(process.execPath, [...nodeArgs, BIN, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: 60000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
