import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, linkSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitPlan, peakOf, planAt } from '../../src/estimate/fit.js';
import { openDecoder, probeForDecode, type DecodePlan } from '../../src/decode/guard.js';
import { decodeHints } from '../../src/probe/header.js';
import { readHeader } from '../../src/probe/detect.js';
import { bufferSource } from '../../src/probe/source.js';
import type { Header } from '../../src/probe/header.js';
import { makePng } from '../helpers/bytes.js';
import { BIN } from '../helpers/cli.js';
import { cli } from '../helpers/decode-cli.js';
import { sharp, tempDir } from '../helpers/sharp.js';

const { dir, cleanup } = tempDir();
afterAll(cleanup);

const leftovers = (): string[] => readdirSync(dir).filter((f) => f.includes('.imgguard-') || f.endsWith('.tmp'));

async function write(name: string, img: ReturnType<typeof sharp>): Promise<string> {
  const path = join(dir, name);
  await img.toFile(path);
  return path;
}
const noise = (width: number, height: number) =>
  sharp({
    create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 50 } },
  });

describe('convert', () => {
  it('writes OUT in the format of its extension, with --max-side, and leaves no temp file', async () => {
    const input = await write('in.png', noise(200, 100).png());
    const out = join(dir, 'small.webp');
    const r = cli(['convert', input, out, '--max-side', '50']);
    expect(r.status).toBe(0);
    const m = await sharp(out).metadata();
    expect([m.format, m.width, m.height]).toEqual(['webp', 50, 25]);
    expect(leftovers()).toEqual([]);
  });

  it('applies the EXIF orientation by default', async () => {
    const input = await write('rot.png', noise(40, 20).png().withMetadata({ orientation: 6 }));
    const out = join(dir, 'rot-out.png');
    const r = cli(['convert', input, out]);
    expect(r.status, r.stderr).toBe(0);
    const m = await sharp(out).metadata();
    expect([m.width, m.height]).toEqual([20, 40]);
  });

  it('refuses to overwrite IN, even through another name (same dev+ino) or with --force', async () => {
    const input = await write('self.png', noise(20, 20).png());
    const before = readFileSync(input);
    const alias = join(dir, 'alias.png');
    linkSync(input, alias);
    for (const out of [input, alias]) {
      const r = cli(['convert', input, out, '--force']);
      expect(r.status).toBe(64);
      expect(r.stderr).toMatch(/overwrite the input/);
    }
    expect(readFileSync(input).equals(before)).toBe(true);
  });

  it('refuses an existing OUT unless --force', async () => {
    const input = await write('a.png', noise(30, 20).png());
    const out = join(dir, 'exists.png');
    writeFileSync(out, 'keep me');
    const r = cli(['convert', input, out]);
    expect(r.status).toBe(64);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    const f = cli(['convert', input, out, '--force']);
    expect(f.status).toBe(0);
    expect((await sharp(out).metadata()).width).toBe(30);
    expect(leftovers()).toEqual([]);
  });

  it('a decode failure mid-write (truncated pixel data) leaves no OUT and no temp file', async () => {
    const whole = await noise(300, 200).png().toBuffer();
    const input = join(dir, 'cut.png');
    writeFileSync(input, whole.subarray(0, Math.floor(whole.length / 2)));
    const out = join(dir, 'cut-out.png');
    const r = cli(['convert', input, out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/corrupt: pixel data/);
    expect(existsSync(out)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('an unwritable output folder: one line, exit 2, nothing written', async () => {
    const input = await write('b.png', noise(10, 10).png());
    const r = cli(['convert', input, join(dir, 'no-such-dir', 'x.png')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot write in/);
  });

  it('SIGINT mid-write leaves no OUT and no temp file, and the process dies by SIGINT', async () => {
    const input = await write('slow.png', noise(1000, 1000).png({ compressionLevel: 0 }));
    const out = join(dir, 'slow.avif');
    const child = spawn(process.execPath, [BIN, 'convert', input, out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const deadline = Date.now() + 20000;
    while (leftovers().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(leftovers().length).toBe(1); // the temp file exists: we are mid-write
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGINT');
    const signal = await new Promise<string | null>((resolve) => child.on('exit', (_c, sig) => resolve(sig)));
    expect(signal).toBe('SIGINT'); // a shell reports 130
    await new Promise((r) => setTimeout(r, 300)); // nothing may come back after death
    expect(stderr).toMatch(/interrupted/);
    expect(existsSync(out)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it("'-' writes to stdout (needs --format)", async () => {
    const input = await write('pipe.png', noise(12, 7).png());
    const r = spawnSync(process.execPath, [BIN, 'convert', input, '-', '--format', 'jpeg', '-q']);
    expect(r.status).toBe(0);
    const m = await sharp(r.stdout).metadata();
    expect([m.format, m.width, m.height]).toEqual(['jpeg', 12, 7]);
    expect(cli(['convert', input, '-']).status).toBe(64);
  });

  it('--raw-header: one JSON line that shapes the raw pixels after it, or the refusal as JSON', async () => {
    const input = await write('shaped.png', noise(12, 7).png());
    const r = spawnSync(process.execPath, [BIN, 'convert', input, '-', '-f', 'raw', '--raw-header', '-q']);
    expect(r.status).toBe(0);
    const nl = r.stdout.indexOf(0x0a);
    const header = JSON.parse(r.stdout.subarray(0, nl).toString());
    expect(header).toEqual({ width: 12, height: 7, channels: 3, bytesPerSample: 1, bytes: 12 * 7 * 3 });
    const own = await sharp(input).raw().toBuffer();
    expect(r.stdout.subarray(nl + 1)).toEqual(own);
    const bomb = fileURLToPath(new URL('../../samples/bomb.gif', import.meta.url));
    const refused = spawnSync(process.execPath, [BIN, 'convert', bomb, '-', '-f', 'raw', '--raw-header', '-q']);
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stdout.toString())).toMatchObject({ status: 'over_budget', code: 'E_OVER_BUDGET' });
  });

  it.runIf(existsSync('/dev/full'))('a full disk on stdout gives one clear line and exit 2', async () => {
    const input = await write('full.png', noise(64, 64).png());
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, 'convert', input, '-', '--format', 'png'], {
        stdio: ['ignore', full, 'pipe'],
        encoding: 'utf8',
      });
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/no space left|ENOSPC|cannot write/i);
    } finally {
      closeSync(full);
    }
  });

  it('raw output above 4 GiB is refused before decoding', () => {
    const input = join(dir, 'huge.png');
    writeFileSync(input, makePng({ width: 40000, height: 40000, colourType: 2 })); // 4.8 GB raw
    const r = cli(['convert', input, '-', '--format', 'raw', '--budget', '20GB'], { noSharp: true });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/4 GiB/);
    expect(r.stderr).not.toContain('NO_SHARP');
  });

  it('--fit on a PNG over budget is a clear refusal (no shrink-on-load)', async () => {
    const input = await write('fitpng.png', noise(100, 100).png());
    const r = cli(['convert', input, join(dir, 'fitpng-out.png'), '--fit', '--budget', '10kB'], { noSharp: true });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/PNG has no shrink-on-load/);
  });
});

describe('--fit on JPEG: the largest shrink-on-load that fits, and the promised size', () => {
  const W = 1200;
  const H = 900;
  async function jpegFile(): Promise<{ path: string; bytes: Buffer }> {
    const bytes = await noise(W, H).jpeg({ quality: 80 }).toBuffer();
    const path = join(dir, 'fit.jpg');
    writeFileSync(path, bytes);
    return { path, bytes };
  }

  it('sharp loads at the planned scale and outputs the promised size (header from sharp metadata)', async () => {
    const { path, bytes } = await jpegFile();
    const m = await sharp(bytes).metadata();
    const header: Header = {
      format: 'jpeg',
      width: m.width!,
      height: m.height!,
      channels: m.channels!,
      bitsPerSample: 8,
      frames: 1,
    };
    const hints = decodeHints(readHeader(bufferSource(bytes)));
    expect(hints.progressive).toBe(false);
    const budget = peakOf(header, hints, planAt(header, 2)).peakBytes; // fits at 1/2, not at full size
    const fp = fitPlan(header, hints, budget)!;
    expect(fp.shrink).toBe(2);
    const plan = {
      path,
      header,
      hints,
      autoOrient: false,
      load: fp,
      peak: fp.peak,
      limitInputPixels: W * H,
      resize: { width: fp.targetWidth, height: fp.targetHeight },
    } as unknown as DecodePlan;
    const { info } = await (await openDecoder(plan)).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([fp.targetWidth, fp.targetHeight]);
    expect([fp.targetWidth, fp.targetHeight]).toEqual([Math.floor(W / 3), Math.floor(H / 3)]);
  });

  it('end to end through the CLI (runs once the JPEG header reader is merged)', async () => {
    const { path, bytes } = await jpegFile();
    let detected = true;
    try {
      readHeader(bufferSource(bytes));
    } catch {
      detected = false;
    }
    if (!detected) {
      console.warn('skipped: no JPEG header reader on this branch yet');
      return;
    }
    const { header, hints } = probeForDecode(path);
    const budget = peakOf(header, hints, planAt(header, 4)).peakBytes + 1n; // 1/4 fits, 1/2 does not
    expect(peakOf(header, hints, planAt(header, 2)).peakBytes).toBeGreaterThan(budget);
    const out = join(dir, 'fit-out.png');
    const refused = cli(['convert', path, out, '--budget', String(budget)]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/it fits at scale 1\/4/);
    const r = cli(['convert', path, out, '--budget', String(budget), '--fit']);
    expect(r.status, r.stderr).toBe(0);
    const m = await sharp(out).metadata();
    expect([m.width, m.height]).toEqual([Math.floor(W / 5), Math.floor(H / 5)]);
    const check = JSON.parse(cli(['check', path, '--json', '--budget', String(budget)]).stdout);
    expect(check.results[0].fitScale).toBe(0.25);
  });
});

describe('--fit on WebP (any scale) and formats without shrink-on-load', () => {
  it('WebP: the largest width whose peak fits, output at the promised size', async () => {
    const input = join(dir, 'fit.webp');
    await noise(800, 600).webp().toFile(input);
    const { header, hints } = probeForDecode(input);
    const budget = peakOf(header, hints).peakBytes / 5n;
    const fp = fitPlan(header, hints, budget, { autoOrient: true })!;
    expect(fp.shrink).toBeGreaterThan(1);
    const out = join(dir, 'fit-webp.png');
    const r = cli(['convert', input, out, '--budget', String(budget), '--fit']);
    expect(r.status, r.stderr).toBe(0);
    const m = await sharp(out).metadata();
    expect([m.width, m.height]).toEqual([fp.targetWidth, fp.targetHeight]);
  });

  it('GIF: --fit refuses, naming the reason', async () => {
    const input = join(dir, 'fit.gif');
    await noise(300, 200).gif().toFile(input);
    const r = cli(['convert', input, join(dir, 'fit-gif.png'), '--budget', '50kB', '--fit'], { noSharp: true });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/GIF has no shrink-on-load/);
  });
});
