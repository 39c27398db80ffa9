import { spawn, spawnSync } from 'node:child_process';
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

/**
 * `runCli` without blocking this process: for tests whose servers (HTTP, S3) run in the test's
 * own event loop, which a synchronous spawn would freeze.
 */
export function runCliAsync(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...opts.env },
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
