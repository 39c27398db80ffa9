import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DecodeTimeout, parseTimeout, withDeadline } from '../../src/decode/deadline.js';
import { svgProblem } from '../../src/decode/svg-guard.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/sharp.js';
import { useFanOut } from '../helpers/svg.js';

describe('parseTimeout', () => {
  it.each([
    ['1', 1],
    ['0.5', 0.5],
    [' 30 ', 30],
    ['86400', 86400],
  ])('%j is %d s', (text, seconds) => expect(parseTimeout(text)).toBe(seconds));
  it.each(['0', '-1', '1e3', 'abc', '', '86401', '1s'])('%j is refused', (text) =>
    expect(parseTimeout(text)).toBeNull(),
  );
});

describe('withDeadline', () => {
  it('passes a result through, and turns a late one into a DecodeTimeout', async () => {
    await expect(withDeadline(5, Promise.resolve(7))).resolves.toBe(7);
    const never = new Promise<never>(() => {});
    await expect(withDeadline(0.05, never)).rejects.toBeInstanceOf(DecodeTimeout);
  });
});

describe('a decode that runs past the limit', () => {
  let dir: string;
  let cleanup: () => void;
  let slow: string;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    // Under the <use> bound, but minutes of drawing: librsvg draws all 1728 canvas-sized
    // rectangles again for every tile, a second or two each.
    const text = useFanOut(3, 12, 3000, 3000);
    expect(svgProblem(text)).toBeNull();
    slow = join(dir, 'slow.svg');
    writeFileSync(slow, text);
  });
  afterAll(() => cleanup());
  const timed = (args: string[]) => {
    const t = Date.now();
    const r = runCli(args);
    return { ...r, seconds: (Date.now() - t) / 1000 };
  };
  it('check --verify reports E_TIMEOUT and the process ends', () => {
    const r = timed(['check', '--verify', '--timeout', '1', '--ndjson', slow]);
    const line = JSON.parse(r.stdout) as { status: string; error: { code: string } };
    expect([line.status, line.error.code]).toEqual(['error', 'E_TIMEOUT']);
    expect(r.code).toBe(2);
    expect(r.seconds).toBeLessThan(45);
  }, 60_000);
  it('convert reports it in one line and leaves nothing behind', () => {
    const out = join(dir, 'out.png');
    const r = timed(['convert', '--timeout', '1', slow, out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/did not finish within 1 s/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('.imgguard-'))).toEqual([]);
    expect(r.seconds).toBeLessThan(45);
  }, 60_000);
  it('nested <use> past the bound is refused before rendering', () => {
    const bomb = join(dir, 'bomb.svg');
    writeFileSync(bomb, useFanOut(9, 10, 100));
    const r = timed(['check', '--verify', '--ndjson', bomb]);
    const line = JSON.parse(r.stdout) as { status: string; error: { code: string } };
    expect([line.status, line.error.code]).toEqual(['unsupported', 'E_SVG_REFERENCES']);
    expect(r.seconds).toBeLessThan(30);
  }, 60_000);
  it.each([
    ['check', '--verify', 'x.png'],
    ['inspect', 'x.png'],
    ['convert', 'x.png', 'y.png'],
  ])('a bad --timeout is one usage line (%s)', (...args) => {
    const r = runCli([...args, '--timeout', 'soon']);
    expect(r.code).toBe(64);
    expect(r.stderr).toBe('imgguard: invalid --timeout "soon": expected seconds, a number above 0 up to 86400\n');
  });
});
