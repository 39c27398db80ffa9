import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readVipsHeader } from '../../../src/probe/formats/vips.js';
import { readHeader } from '../../../src/probe/detect.js';
import { estimate } from '../../../src/estimate/size.js';
import { prefixes, src } from '../../helpers/bytes.js';
import { sharp, sharpTruth, tempDir } from '../../helpers/sharp.js';
import type { Sharp } from 'sharp';
import { failure } from '../../helpers/failure.js';

const SAMPLE = [1, 1, 2, 2, 4, 4, 4, 8, 8, 16];

/** A .v file by hand: the 64-byte header (libvips vips.c layout) and zeroed pixels. */
function makeV(o: {
  w: number;
  h: number;
  bands: number;
  fmt: number;
  type: number;
  coding?: number;
  be?: boolean;
  pixels?: boolean;
}): Buffer {
  const b = Buffer.alloc(64);
  const put = (v: number, at: number): number => (o.be ? b.writeInt32BE(v, at) : b.writeInt32LE(v, at));
  if (o.be) b.writeUInt32BE(0x08f2a6b6, 0);
  else b.writeUInt32LE(0x08f2a6b6, 0);
  put(o.w, 4);
  put(o.h, 8);
  put(o.bands, 12);
  put((SAMPLE[o.fmt] ?? 1) * 8, 16);
  put(o.fmt, 20);
  put(o.coding ?? 0, 24);
  put(o.type, 28);
  if (o.be) {
    b.writeFloatBE(1, 32);
    b.writeFloatBE(1, 36);
  } else {
    b.writeFloatLE(1, 32);
    b.writeFloatLE(1, 36);
  }
  const data = o.pixels === false ? 0 : o.w * o.h * o.bands * (SAMPLE[o.fmt] ?? 1);
  return Buffer.concat([b, Buffer.alloc(data)]);
}

// sharp reads .v files from a path only (sharp.format.vips.input.buffer is false).
const tmp = tempDir('imgguard-vips-');
afterAll(() => tmp.cleanup());
let seq = 0;
const file = (bytes: Buffer): string => {
  const path = join(tmp.dir, `t${seq++}.v`);
  writeFileSync(path, bytes);
  return path;
};

async function expectAgrees(path: string): Promise<void> {
  const bytes = readFileSync(path);
  const header = readHeader(src(bytes));
  const truth = await sharpTruth(path);
  expect(header.format).toBe('vips');
  expect([header.width, header.height, header.channels, header.bitsPerSample]).toEqual([
    truth.width,
    truth.height,
    truth.channels,
    truth.bitsPerSample,
  ]);
  expect(Number(estimate(header).decodedBytes)).toBe(truth.decodedBytes);
}

describe('readVipsHeader: files written by sharp agree with sharp', () => {
  const base = (): Sharp => sharp({ create: { width: 13, height: 7, channels: 4, background: '#33669980' } });
  const cases: [string, () => Sharp][] = [
    ['srgb with alpha', base],
    ['srgb', () => base().removeAlpha()],
    ['rgb16', () => base().removeAlpha().toColourspace('rgb16')],
    ['grey16 with alpha', () => base().toColourspace('grey16')],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      const path = join(tmp.dir, `sharp-${name.replace(/\W/g, '')}.v`);
      await make().toFile(path);
      await expectAgrees(path);
    });
  }
});

describe('readVipsHeader: hand-made headers agree with sharp', () => {
  const cases: [string, Parameters<typeof makeV>[0]][] = [
    ['b-w 1 band (grey -> 3 bands out)', { w: 5, h: 3, bands: 1, fmt: 0, type: 1 }],
    ['b-w 2 bands', { w: 5, h: 3, bands: 2, fmt: 0, type: 1 }],
    ['grey16 ushort', { w: 5, h: 3, bands: 1, fmt: 2, type: 26 }],
    ['float b-w', { w: 5, h: 3, bands: 1, fmt: 6, type: 1 }],
    ['float srgb', { w: 5, h: 3, bands: 3, fmt: 6, type: 22 }],
    ['double srgb', { w: 5, h: 3, bands: 3, fmt: 8, type: 22 }],
    ['short srgb', { w: 5, h: 3, bands: 3, fmt: 3, type: 22 }],
    ['float labs', { w: 5, h: 3, bands: 3, fmt: 6, type: 21 }],
    ['float xyz', { w: 5, h: 3, bands: 3, fmt: 6, type: 12 }],
    ['scrgb', { w: 5, h: 3, bands: 3, fmt: 6, type: 28 }],
    ['cmyk (4 bands load, 3 out)', { w: 5, h: 3, bands: 4, fmt: 0, type: 15 }],
    ['cmyk with alpha', { w: 5, h: 3, bands: 5, fmt: 0, type: 15 }],
    ['matrix (grey -> 3 bands out)', { w: 5, h: 3, bands: 1, fmt: 0, type: 27 }],
    ['b-w 3 bands (first band -> 3)', { w: 5, h: 3, bands: 3, fmt: 0, type: 1 }],
    ['big-endian', { w: 6, h: 4, bands: 3, fmt: 0, type: 22, be: true }],
  ];
  for (const [name, o] of cases) it(name, async () => expectAgrees(file(makeV(o))));
});

describe('readVipsHeader: truncated', () => {
  const v = makeV({ w: 5, h: 3, bands: 3, fmt: 0, type: 22 });
  it('every cut of the header is corrupt', () => {
    for (const cut of prefixes(
      v,
      Array.from({ length: 60 }, (_, i) => i + 4),
    )) {
      expect(failure(() => readHeader(src(cut))).code).toBe('E_TRUNCATED');
    }
  });
  it('missing pixel data is corrupt (sharp cannot decode it either)', async () => {
    const bytes = makeV({ w: 5, h: 3, bands: 3, fmt: 0, type: 22, pixels: false });
    expect(failure(() => readHeader(src(bytes))).code).toBe('E_TRUNCATED');
    await expect(sharp(file(bytes)).raw().toBuffer()).rejects.toThrow();
  });
});

describe('readVipsHeader: hostile', () => {
  it('rejects zero and negative dimensions', () => {
    expect(failure(() => readVipsHeader(src(makeV({ w: 0, h: 3, bands: 3, fmt: 0, type: 22 })))).code).toBe(
      'E_DIMENSIONS',
    );
    expect(
      failure(() => readVipsHeader(src(makeV({ w: 5, h: -3, bands: 3, fmt: 0, type: 22, pixels: false })))).code,
    ).toBe('E_DIMENSIONS');
  });
  it('rejects an unknown band format and a zero band count', () => {
    expect(failure(() => readVipsHeader(src(makeV({ w: 5, h: 3, bands: 3, fmt: 10, type: 22 })))).code).toBe(
      'E_BAD_HEADER',
    );
    expect(failure(() => readVipsHeader(src(makeV({ w: 5, h: 3, bands: 0, fmt: 0, type: 22 })))).code).toBe(
      'E_BAD_HEADER',
    );
  });
  it('huge claimed dimensions cost one header read and no allocation', () => {
    const s = src(makeV({ w: 0x7fffffff, h: 0x7fffffff, bands: 0x7fffffff, fmt: 9, type: 22, pixels: false }));
    expect(failure(() => readVipsHeader(s)).code).toBe('E_TRUNCATED');
    expect(s.bytesRead).toBeLessThanOrEqual(64);
  });
  it('interpretations sharp cannot convert to sRGB are unsupported', async () => {
    for (const type of [0, 10, 24]) {
      const bytes = makeV({ w: 5, h: 3, bands: 1, fmt: 0, type });
      expect(failure(() => readVipsHeader(src(bytes))).code).toBe('E_UNSUPPORTED_FEATURE');
      await expect(sharp(file(bytes)).raw().toBuffer()).rejects.toThrow(/colourspace/);
    }
  });
  it('coded (LABQ) pixels are unsupported by this reader', () => {
    expect(failure(() => readVipsHeader(src(makeV({ w: 5, h: 3, bands: 4, fmt: 0, type: 16, coding: 2 })))).code).toBe(
      'E_UNSUPPORTED_FEATURE',
    );
  });
});
