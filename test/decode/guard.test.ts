import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DecodeRefusal, planDecode, verifyDecode } from '../../src/decode/guard.js';
import { sharpLoads } from '../../src/decode/sharp.js';
import { peakOf, fullPlan } from '../../src/estimate/fit.js';
import { decodeHints } from '../../src/probe/header.js';
import { readHeader } from '../../src/probe/detect.js';
import { bufferSource } from '../../src/probe/source.js';
import { checkSync } from '../../src/check.js';
import { ResultSchema } from '../../src/result.js';
import { cli } from '../helpers/decode-cli.js';
import { sharp, tempDir } from '../helpers/sharp.js';

const { dir, cleanup } = tempDir();
afterAll(cleanup);

async function noisyPng(
  name: string,
  width: number,
  height: number,
  options: { interlace?: boolean } = {},
): Promise<{ path: string; bytes: Buffer }> {
  const bytes = await sharp({
    create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 50 } },
  })
    .png({ progressive: options.interlace === true, compressionLevel: 1 })
    .toBuffer();
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, bytes };
}

describe('refusal never touches sharp', () => {
  it('planDecode refuses over budget, naming estimate, budget and what fits; sharp stays unloaded', async () => {
    const { path } = await noisyPng('big.png', 300, 200);
    const before = sharpLoads();
    let refusal: unknown;
    try {
      planDecode(path, { budget: 1000n });
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(DecodeRefusal);
    const r = refusal as DecodeRefusal;
    expect(r.status).toBe('over_budget');
    expect(r.message).toContain('180 kB'); // 300 × 200 × 3
    expect(r.message).toContain('1 kB');
    expect(r.message).toMatch(/no shrink-on-load/);
    expect(sharpLoads()).toBe(before);
  });

  it('the CLI refuses with exit 1 under a hook that makes importing sharp fail', async () => {
    const { path } = await noisyPng('big2.png', 300, 200);
    const out = join(dir, 'never.png');
    const r = cli(['convert', path, out, '--budget', '10kB'], { noSharp: true });
    expect(r.stderr).not.toContain('NO_SHARP');
    expect(r.stderr).toMatch(/refused: .*over the budget of 10 kB/);
    expect(r.status).toBe(1);
    expect(readdirSync(dir).filter((f) => f.startsWith('never') || f.includes('.imgguard-'))).toEqual([]);
    const i = cli(['inspect', path, '--budget', '10kB', '--json'], { noSharp: true });
    expect(i.status).toBe(1);
    expect(JSON.parse(i.stdout).stats).toBeNull();
  });

  it('the hook is real: a decode within budget under it fails on the import', async () => {
    const { path } = await noisyPng('small.png', 30, 20);
    const r = cli(['convert', path, join(dir, 'small-out.png')], { noSharp: true });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('NO_SHARP');
  });

  it('a header-only check never loads sharp', async () => {
    const { path } = await noisyPng('c.png', 30, 20);
    const r = cli(['check', path], { noSharp: true });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain('NO_SHARP');
  });
});

describe('check --verify', () => {
  it('finds truncated pixel data in a file whose header is intact', async () => {
    const { bytes } = await noisyPng('whole.png', 200, 150);
    const path = join(dir, 'cut.png');
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * 0.7)));
    // The header check alone passes: the header is intact.
    expect(checkSync(path).status).toBe('ok');
    const r = cli(['check', '--verify', '--ndjson', path, join(dir, 'whole.png')]);
    const results = r.stdout
      .trim()
      .split('\n')
      .map((l) => ResultSchema.parse(JSON.parse(l)));
    const cut = results.find((x) => x.path.endsWith('cut.png'))!;
    const whole = results.find((x) => x.path.endsWith('whole.png'))!;
    expect(cut.status).toBe('corrupt');
    expect(cut.error?.code).toBe('E_PIXEL_DATA');
    expect(cut.reason).toMatch(/png/i);
    expect(whole.status).toBe('ok');
    expect(whole.verified).toBe(true);
    expect(r.status).toBe(2);
  });

  it('finds a truncated baseline and progressive JPEG (header intact)', async () => {
    const paths: string[] = [];
    for (const progressive of [false, true]) {
      const bytes = await sharp({
        create: {
          width: 160,
          height: 120,
          channels: 3,
          background: '#000',
          noise: { type: 'gaussian', mean: 128, sigma: 50 },
        },
      })
        .jpeg({ progressive })
        .toBuffer();
      const path = join(dir, `cut-${progressive ? 'p' : 'b'}.jpg`);
      writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      expect(checkSync(path).status).toBe('ok');
      paths.push(path);
    }
    const r = cli(['check', '--verify', '--ndjson', ...paths]);
    for (const line of r.stdout.trim().split('\n')) {
      const result = ResultSchema.parse(JSON.parse(line));
      expect(result.status).toBe('corrupt');
      expect(result.reason).toMatch(/jpeg/i);
    }
  });

  it('header fits but decode peak does not: over_budget, not verified, sharp never loads', async () => {
    const { path } = await noisyPng('peaky.png', 100, 100, { interlace: true });
    const decoded = checkSync(path).decodedBytes!;
    const r = cli(['check', '--verify', '--ndjson', '--budget', String(decoded), path], { noSharp: true });
    const result = ResultSchema.parse(JSON.parse(r.stdout));
    expect(result.status).toBe('over_budget');
    expect(result.verified).toBe(false);
    expect(result.reason).toMatch(/not verified/);
    expect(r.stderr).not.toContain('NO_SHARP');
    expect(r.status).toBe(1);
  });

  it('finds a flipped byte in the compressed data (bad CRC / zlib data)', async () => {
    const { bytes } = await noisyPng('flip-src.png', 120, 80);
    const bad = Buffer.from(bytes);
    bad[bad.length - 200] = bad[bad.length - 200]! ^ 0xff;
    const path = join(dir, 'flip.png');
    writeFileSync(path, bad);
    const plan = planDecode(path, { budget: 1n << 30n });
    await expect(verifyDecode(plan)).rejects.toMatchObject({ status: 'corrupt', code: 'E_PIXEL_DATA' });
  });
});

describe('peakBytes', () => {
  it('an interlaced PNG holds the whole image beside the pixels; a plain one does not', async () => {
    const plain = await noisyPng('plain.png', 64, 48);
    const inter = await noisyPng('inter.png', 64, 48, { interlace: true });
    const h1 = readHeader(bufferSource(plain.bytes));
    const h2 = readHeader(bufferSource(inter.bytes));
    expect(decodeHints(h2).interlaced).toBe(true);
    expect(decodeHints(h1).interlaced).toBe(false);
    const p1 = peakOf(h1, decodeHints(h1), fullPlan(h1));
    const p2 = peakOf(h2, decodeHints(h2), fullPlan(h2));
    expect(p1.peakBytes).toBeGreaterThanOrEqual(64n * 48n * 3n);
    expect(p2.peakBytes - p1.peakBytes).toBe(64n * 48n * 3n);
  });

  it('check reports peakBytes and, over budget, fitScale (null for PNG)', async () => {
    const { path } = await noisyPng('fs.png', 100, 100);
    const r = ResultSchema.parse(checkSync(path, { budget: 1000 }));
    expect(r.status).toBe('over_budget');
    expect(r.peakBytes).toBeGreaterThanOrEqual(r.decodedBytes!);
    expect(r.fitScale).toBeNull();
    const ok = ResultSchema.parse(checkSync(path));
    expect(ok.fitScale).toBeUndefined();
  });
});

describe('limitInputPixels: the second line of defence', () => {
  it('is set from the budget: the pixels that fit at the header bytes per pixel', async () => {
    const { path } = await noisyPng('limit.png', 50, 40);
    const budget = 1_000_000n;
    const plan = planDecode(path, { budget });
    expect(plan.limitInputPixels).toBe(Math.floor(1_000_000 / 3));
    expect(plan.limitInputPixels).toBeGreaterThanOrEqual(50 * 40);
  });

  it('a header that lies about its size is stopped by sharp and reported as corrupt E_DIMENSIONS', async () => {
    const { path } = await noisyPng('liar.png', 120, 100);
    const plan = planDecode(path, { budget: 1n << 30n });
    // As if the header had claimed 10×10: the limit follows the claim, the file holds more.
    const lying = { ...plan, header: { ...plan.header, width: 10, height: 10 }, limitInputPixels: 100 };
    const refusal = await verifyDecode(lying).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refusal).toBeInstanceOf(DecodeRefusal);
    expect(refusal).toMatchObject({ status: 'corrupt', code: 'E_DIMENSIONS' });
  });
});
