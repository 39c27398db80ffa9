import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSync } from '../../src/check.js';
import { verifyResults } from '../../src/decode/verify.js';
import type { Result } from '../../src/result.js';
import { sharp, tempDir } from '../helpers/sharp.js';

const { dir, cleanup } = tempDir();
afterAll(cleanup);

/** A JPEG of smooth noise (compresses like a photo). */
async function jpeg(name: string, width: number, height: number, progressive = false): Promise<Buffer> {
  const raw = Buffer.alloc(16 * 12 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919 + ((i * i) % 251)) % 256;
  const bytes = await sharp(raw, { raw: { width: 16, height: 12, channels: 3 } })
    .resize(width, height, { kernel: 'cubic' })
    .jpeg({ quality: 90, progressive })
    .toBuffer();
  writeFileSync(join(dir, name), bytes);
  return bytes;
}

async function collect(results: Iterable<Result>, budget: bigint): Promise<Result[]> {
  const out: Result[] = [];
  for await (const r of verifyResults(results, budget)) out.push(r);
  return out;
}

describe('verifyResults', () => {
  it('keeps input order, decodes several at once and finds cut files among whole ones', async () => {
    const whole = await jpeg('whole.jpg', 300, 200);
    writeFileSync(join(dir, 'cut.jpg'), whole.subarray(0, Math.floor(whole.length * 0.6)));
    writeFileSync(join(dir, 'text.jpg'), 'not an image');
    const names = ['whole.jpg', 'cut.jpg', 'text.jpg', 'whole.jpg', 'cut.jpg', 'whole.jpg', 'whole.jpg'];
    const out = await collect(
      names.map((n) => checkSync(join(dir, n))),
      1n << 30n,
    );
    expect(out.map((r) => r.path)).toEqual(names.map((n) => join(dir, n)));
    expect(out.map((r) => r.status)).toEqual(['ok', 'corrupt', 'unsupported', 'ok', 'corrupt', 'ok', 'ok']);
    expect(out[0]!.verified).toBe(true);
    expect(out[1]!.error?.code).toBe('E_PIXEL_DATA');
    expect(out[1]!.reason).toMatch(/premature end of JPEG/);
    // A verdict that was not ok is passed through, not decoded.
    expect(out[2]!.verified).toBeUndefined();
  });

  it('verifies large JPEGs at 1/8 scale, still finding data cut inside the scans (baseline, progressive)', async () => {
    for (const progressive of [false, true]) {
      const name = progressive ? 'big-progressive' : 'big';
      const bytes = await jpeg(`${name}.jpg`, 1600, 1200, progressive);
      writeFileSync(join(dir, `${name}-cut.jpg`), bytes.subarray(0, Math.floor(bytes.length * 0.8)));
      const out = await collect(
        [checkSync(join(dir, `${name}.jpg`)), checkSync(join(dir, `${name}-cut.jpg`))],
        1n << 30n,
      );
      expect(out.map((r) => r.status)).toEqual(['ok', 'corrupt']);
      expect(out[1]!.reason).toMatch(/JPEG/);
    }
  });

  it('with a budget that holds one decode at a time, every file is still verified, in order', async () => {
    const names = ['whole.jpg', 'whole.jpg', 'cut.jpg', 'whole.jpg'];
    const results = names.map((n) => checkSync(join(dir, n)));
    // Just above one decode's peak plus its bytes: two never fit together.
    const budget = BigInt(results[0]!.peakBytes! + results[0]!.fileBytes! + 1);
    const out = await collect(
      names.map((n) => checkSync(join(dir, n), { budget })),
      budget,
    );
    expect(out.map((r) => r.status)).toEqual(['ok', 'ok', 'corrupt', 'ok']);
    expect(out.filter((r) => r.verified).length).toBe(3);
  });
});
