import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The executable, as npm links it (package.json `bin`). */
export const BIN = fileURLToPath(new URL('../../bin/imgguard.js', import.meta.url));

/** Runs the built CLI (npm test builds first) and returns its exit code and output. */
export function runCli(
  args: string[],
  opts: { env?: Record<string, string>; input?: string | Buffer; cwd?: string } = {},
) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...opts.env },
    input: opts.input,
    cwd: opts.cwd,
    timeout: 60000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}
