/**
 * Runs that end early: the reader of the output goes away (`| head`), or a signal arrives. A
 * FIFO named on the command line whose writer (this test) writes nothing keeps a file's check
 * waiting (up to its 2 s limit), so a signal lands while the run is known to be in progress.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type * as Sarif from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportSchema } from '../../src/result.js';
import { makePng } from '../helpers/bytes.js';
import { BIN } from '../helpers/cli.js';
import { tempDir } from '../helpers/sharp.js';
import { checkXml } from '../helpers/xml.js';

let dir: string;
let cleanup: () => void;
const writers: number[] = [];
beforeAll(() => {
  ({ dir, cleanup } = tempDir('imgguard-interrupted-'));
  mkdirSync(join(dir, 'many'));
  const png = makePng({ width: 4, height: 4 });
  for (let i = 0; i < 3000; i++) writeFileSync(join(dir, 'many', `${String(i).padStart(5, '0')}.png`), png);
  writeFileSync(join(dir, 'ok.png'), png);
  for (const name of ['slow-1', 'slow-2', 'slow-3']) {
    execFileSync('mkfifo', [join(dir, name)]);
    writers.push(openSync(join(dir, name), 'r+')); // a writer that never writes
  }
});
afterAll(() => {
  for (const fd of writers) closeSync(fd);
  cleanup();
});

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Whether process `pid` has `path` open (Linux: /proc/PID/fd). */
function waitsOn(pid: number, path: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/** Starts a check, sends `signal` once it is waiting on the first FIFO, and collects the output. */
function interrupt(args: string[], signal: NodeJS.Signals): Promise<Ended> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      [BIN, 'check', join(dir, 'ok.png'), join(dir, 'slow-1'), join(dir, 'slow-2'), join(dir, 'slow-3'), ...args],
      { cwd: dir, env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    // The signal goes once the check has the first FIFO open (so its handlers are in place).
    const fifo = join(dir, 'slow-1');
    const started = Date.now();
    const poll = setInterval(() => {
      if (waitsOn(child.pid!, fifo) || Date.now() - started > 15000) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 20);
    child.on('close', (code, sig) => done({ code, signal: sig, stdout, stderr }));
  });
}

describe('SIGINT and SIGTERM', () => {
  it('json: a complete document, marked interrupted, counting what was checked; exit 130', async () => {
    const r = await interrupt(['--json'], 'SIGINT');
    expect(r.code).toBe(130);
    const report = ReportSchema.parse(JSON.parse(r.stdout));
    expect(report.summary.interrupted).toBe('SIGINT');
    expect(report.summary.exitCode).toBe(130);
    // ok.png, and the FIFO whose wait was under way; not the other two.
    expect(report.results.length).toBeLessThan(4);
    expect(report.results[0]!.path).toBe(join(dir, 'ok.png'));
  }, 20000);

  it('junit: a well-formed document with an interrupted property; exit 143 for SIGTERM', async () => {
    const r = await interrupt(['--reporter', 'junit'], 'SIGTERM');
    expect(r.code).toBe(143);
    const els = checkXml(r.stdout);
    expect(els.find((e) => e.name === 'property')!.attrs).toEqual({ name: 'interrupted', value: 'SIGTERM' });
    expect(r.stderr).toMatch(/^interrupted by SIGTERM after \d files: /);
  }, 20000);

  it('sarif: the invocation is not successful and names the signal', async () => {
    const r = await interrupt(['--reporter', 'sarif'], 'SIGINT');
    const log = JSON.parse(r.stdout) as Sarif.Log;
    expect(log.runs[0]!.invocations![0]).toMatchObject({ executionSuccessful: false, exitSignalName: 'SIGINT' });
  }, 20000);

  it('--output: nothing is written, no temporary file is left', async () => {
    const r = await interrupt(['--reporter', 'junit', '--output', 'report.xml'], 'SIGINT');
    expect(r.code === 130 || r.signal === 'SIGINT').toBe(true);
    expect(existsSync(join(dir, 'report.xml'))).toBe(false);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }, 20000);

  it('a run that ends by itself installs no lasting handler: it exits with its own code', () => {
    const out = execFileSync(process.execPath, [BIN, 'check', join(dir, 'ok.png'), '--json'], { encoding: 'utf8' });
    expect(ReportSchema.parse(JSON.parse(out)).summary.interrupted).toBeUndefined();
  });
});

describe('a closed pipe (| head)', () => {
  it('stops quietly: no summary on stderr, exit 141', async () => {
    const r = await new Promise<Ended>((done) => {
      const child = spawn(process.execPath, [BIN, 'check', join(dir, 'many'), '--ndjson'], { cwd: dir });
      let stdout = '';
      let stderr = '';
      child.stdout.once('data', (d) => {
        stdout += d;
        child.stdout.destroy(); // as head does after its lines
      });
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
    });
    expect(r.stdout.length).toBeGreaterThan(0);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(141);
  }, 30000);

  it('in a shell pipeline, head gets its lines and the summary is not printed', () => {
    const out = execFileSync(
      'bash',
      ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" check many --ndjson 2>err.txt | head -2; echo "exit $?"`],
      { cwd: dir, encoding: 'utf8' },
    );
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('exit 141');
    expect(readFileSync(join(dir, 'err.txt'), 'utf8')).toBe('');
  }, 30000);
});
