import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSync } from '../../src/check.js';
import { DECODER_TABLE, parseDecoder, partlyOpens, refusal } from '../../src/estimate/decoders.js';
import { ResultSchema } from '../../src/result.js';
import { concat, le16, le32, text } from '../helpers/bytes.js';
import { tempDir } from '../helpers/sharp.js';

const { dir, cleanup } = tempDir('imgguard-decoders-');
afterAll(cleanup);

describe('decoder profiles by name', () => {
  it('parses each kind and Pillow release', () => {
    expect(parseDecoder('sharp')).toEqual({ kind: 'sharp', releases: null });
    expect(parseDecoder('pillow')).toEqual({ kind: 'pillow', releases: [900, 9999] });
    expect(parseDecoder('numpy')).toEqual({ kind: 'numpy', releases: [900, 9999] });
    expect(parseDecoder('pillow@9.4')).toEqual({ kind: 'pillow', releases: [904, 904] });
    expect(parseDecoder('pillow@12')).toEqual({ kind: 'pillow', releases: [1200, 1299] });
    expect(parseDecoder('numpy@11.3.0')).toEqual({ kind: 'numpy', releases: [1103, 1103] });
  });
  it('refuses releases before 9.0 and anything else', () => {
    for (const bad of ['pillow@8.4', 'pillow@', 'pillow@x', 'sharp@0.35', 'opencv', 'Pillow', 'pillow@9.4.1.2', ''])
      expect(parseDecoder(bad), bad).toBeNull();
  });
});

describe('the decoder table', () => {
  const pillow = parseDecoder('pillow')!;
  const sharp = parseDecoder('sharp')!;
  it('sharp decodes its own formats, Pillow its own', () => {
    expect(refusal(sharp, { format: 'png' })).toBeNull();
    expect(refusal(sharp, { format: 'bmp' })).toBe('a format sharp cannot decode here');
    expect(refusal(pillow, { format: 'bmp' })).toBeNull();
    expect(refusal(pillow, { format: 'svg' })).toContain('no SVG reader');
    expect(refusal(pillow, { format: 'heif' })).toContain('pillow-heif');
    expect(refusal(pillow, { format: 'jxl' })).toContain('JPEG XL');
  });
  it('formats and variants added in later releases', () => {
    expect(refusal(parseDecoder('pillow@9.4')!, { format: 'qoi' })).toContain('9.5');
    expect(refusal(parseDecoder('pillow@9.5')!, { format: 'qoi' })).toBeNull();
    expect(refusal(parseDecoder('pillow@11.1')!, { format: 'avif' })).toContain('pillow-avif-plugin');
    expect(refusal(parseDecoder('pillow@11')!, { format: 'avif' })).toBeNull();
    expect(partlyOpens(parseDecoder('pillow@11')!, { format: 'avif' })).toContain('11.2');
    expect(refusal(parseDecoder('pillow@9.4')!, { format: 'dds', pillowSince: 905 })).toContain('9.5');
    expect(refusal(pillow, { format: 'psd', pillowRefusal: 'Pillow reads PSD (version 1), not PSB' })).toContain('PSB');
  });
  it('every format has a row', () => {
    for (const row of Object.values(DECODER_TABLE)) expect(typeof row.sharp).toBe('boolean');
  });
});

/** A 24-bit BMP, `w`×`h`, with a BITMAPINFOHEADER. */
function bmp24(w: number, h: number): Uint8Array {
  const stride = Math.ceil((w * 3) / 4) * 4;
  return concat(
    text('BM'),
    le32(54 + stride * h),
    le32(0),
    le32(54),
    le32(40),
    le32(w),
    le32(h),
    le16(1),
    le16(24),
    le32(0),
    le32(stride * h),
    le32(2835),
    le32(2835),
    le32(0),
    le32(0),
    new Uint8Array(stride * h),
  );
}

describe('check: the verdict follows the decoder', () => {
  const file = join(dir, 'a.bmp');
  writeFileSync(file, bmp24(300, 200));
  it('sharp: unsupported, carrying the size the header gave', () => {
    const r = checkSync(file);
    expect(r).toMatchObject({
      status: 'unsupported',
      format: 'bmp',
      width: 300,
      height: 200,
      channels: 3,
      bitsPerSample: 8,
      frames: 1,
      decodedBytes: null,
      error: { code: 'E_UNSUPPORTED_FORMAT' },
    });
    expect(r.reason).toContain('sharp cannot decode');
    expect(ResultSchema.parse(r).width).toBe(300);
  });
  it('pillow and numpy: ok with their allocation, over_budget above it', () => {
    expect(checkSync(file, { decoder: 'pillow' })).toMatchObject({
      status: 'ok',
      pillowMode: 'RGB',
      decodedBytes: 300 * 200 * 4,
    });
    expect(checkSync(file, { decoder: 'numpy' })).toMatchObject({ status: 'ok', decodedBytes: 300 * 200 * 3 });
    const over = checkSync(file, { decoder: 'pillow', budget: 1000 });
    expect(over.status).toBe('over_budget');
    expect(over.reason).toContain('mode RGB');
  });
  it('--pillow-compat applies to it', () => {
    const big = join(dir, 'big.bmp');
    // 20000 × 10000 = 2e8 pixels: over twice MAX_IMAGE_PIXELS (header only: the pixels are not there).
    writeFileSync(big, bmp24(20000, 10000).subarray(0, 54));
    const r = checkSync(big, { decoder: 'pillow', imageLimits: { pillowCompat: true }, budget: 2n ** 40n });
    expect(r.status).toBe('over_budget');
    expect(r.limits).toEqual(['--pillow-compat']);
  });
});
