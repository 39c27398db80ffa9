import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pillowMode, pillowModeOfLayout, profileEstimate } from '../../src/estimate/profiles.js';
import { checkSync } from '../../src/check.js';
import { parseDecoder, refusal } from '../../src/estimate/decoders.js';
import { ResultSchema } from '../../src/result.js';
import type { Header } from '../../src/probe/header.js';
import { makePng } from '../helpers/bytes.js';
import { sharp, sharpTruth, tempDir } from '../helpers/sharp.js';

const W = 37;
const H = 23;
const { dir, cleanup } = tempDir('imgguard-profiles-');
afterAll(cleanup);

/**
 * Per Pillow mode: bytes per pixel Pillow stores (libImaging/Storage.c: RGB and LA are padded to
 * 4 bytes) and numpy.asarray's bands × item size (PIL/ImageMode.py typestr).
 */
const RULES: Record<string, { pillow: number; numpy: number }> = {
  '1': { pillow: 1, numpy: 1 }, // bool array, 1 byte per pixel
  L: { pillow: 1, numpy: 1 },
  P: { pillow: 1, numpy: 1 },
  'I;16': { pillow: 2, numpy: 2 }, // <u2
  LA: { pillow: 4, numpy: 2 },
  RGB: { pillow: 4, numpy: 3 },
  RGBA: { pillow: 4, numpy: 4 },
};

/**
 * PNG images generated with sharp, with the colour type / depth we meant and Pillow's mode for it (PngImagePlugin
 * _MODES).
 */
const base = () => sharp({ create: { width: W, height: H, channels: 3, background: { r: 200, g: 30, b: 90 } } });
const baseAlpha = () =>
  sharp({ create: { width: W, height: H, channels: 4, background: { r: 200, g: 30, b: 90, alpha: 0.5 } } });
const CASES: { name: string; make: () => Promise<Buffer>; colourType: number; depth: number; mode: string }[] = [
  { name: 'grey 8-bit', make: () => base().toColourspace('b-w').png().toBuffer(), colourType: 0, depth: 8, mode: 'L' },
  {
    name: 'grey 16-bit',
    make: () => base().toColourspace('grey16').png().toBuffer(),
    colourType: 0,
    depth: 16,
    mode: 'I;16',
  },
  {
    name: 'grey+alpha 8-bit',
    make: () => baseAlpha().toColourspace('b-w').png().toBuffer(),
    colourType: 4,
    depth: 8,
    mode: 'LA',
  },
  {
    name: 'grey+alpha 16-bit',
    make: () => baseAlpha().toColourspace('grey16').png().toBuffer(),
    colourType: 4,
    depth: 16,
    mode: 'RGBA',
  },
  { name: 'RGB 8-bit', make: () => base().png().toBuffer(), colourType: 2, depth: 8, mode: 'RGB' },
  {
    name: 'RGB 16-bit',
    make: () => base().toColourspace('rgb16').png().toBuffer(),
    colourType: 2,
    depth: 16,
    mode: 'RGB',
  },
  { name: 'RGBA 8-bit', make: () => baseAlpha().png().toBuffer(), colourType: 6, depth: 8, mode: 'RGBA' },
  {
    name: 'RGBA 16-bit',
    make: () => baseAlpha().toColourspace('rgb16').png().toBuffer(),
    colourType: 6,
    depth: 16,
    mode: 'RGBA',
  },
  { name: 'palette', make: () => base().png({ palette: true }).toBuffer(), colourType: 3, depth: 8, mode: 'P' },
  {
    name: 'palette 1-bit',
    make: () => base().png({ palette: true, colours: 2 }).toBuffer(),
    colourType: 3,
    depth: 1,
    mode: 'P',
  },
  {
    name: 'palette with tRNS',
    make: () => baseAlpha().png({ palette: true }).toBuffer(),
    colourType: 3,
    depth: 8,
    mode: 'P',
  },
  {
    name: 'bilevel grey (hand-built)',
    make: async () => Buffer.from(makePng({ width: W, height: H, depth: 1, colourType: 0 })),
    colourType: 0,
    depth: 1,
    mode: '1',
  },
];

describe('pillow and numpy profiles on PNGs of every Pillow mode', () => {
  for (const c of CASES) {
    it(`${c.name} → ${c.mode}`, async () => {
      const bytes = await c.make();
      // The generated file has the layout the case is about (IHDR bit depth at 24, colour type at 25).
      expect([bytes[25], bytes[24]]).toEqual([c.colourType, c.depth]);
      const file = join(dir, `${c.name.replace(/\W+/g, '-')}.png`);
      writeFileSync(file, bytes);
      const rule = RULES[c.mode]!;
      // Current releases (12.x); the default takes the largest of every release (below).
      const pillow = checkSync(file, { decoder: 'pillow@12' });
      const numpy = checkSync(file, { decoder: 'numpy@12' });
      expect(pillow).toMatchObject({
        status: 'ok',
        decoder: 'pillow@12',
        pillowMode: c.mode,
        decodedBytes: W * H * rule.pillow,
      });
      expect(numpy).toMatchObject({
        status: 'ok',
        decoder: 'numpy@12',
        pillowMode: c.mode,
        decodedBytes: W * H * rule.numpy,
      });
      const sharpResult = checkSync(file);
      expect(sharpResult.decoder).toBe('sharp');
      expect(sharpResult.pillowMode).toBeUndefined();
      if (c.colourType !== 0 || c.depth !== 1)
        expect(sharpResult.decodedBytes).toBe((await sharpTruth(bytes)).decodedBytes);
    });
  }

  it('16-bit grey: I (4 bytes) in Pillow 9.x, I;16 (2 bytes) since; the default counts the larger', async () => {
    const file = join(dir, 'grey16-versions.png');
    writeFileSync(file, await base().toColourspace('grey16').png().toBuffer());
    expect(checkSync(file, { decoder: 'pillow@9.4' })).toMatchObject({ pillowMode: 'I', decodedBytes: W * H * 4 });
    expect(checkSync(file, { decoder: 'pillow@12.3' })).toMatchObject({ pillowMode: 'I;16', decodedBytes: W * H * 2 });
    const any = checkSync(file, { decoder: 'pillow' });
    expect(any).toMatchObject({ pillowMode: 'I', decodedBytes: W * H * 4 });
    expect(any.notes?.join(' ')).toContain('Pillow releases differ');
    expect(checkSync(file, { decoder: 'numpy@9' })).toMatchObject({ pillowMode: 'I', decodedBytes: W * H * 4 });
  });

  it('results with a profile still satisfy the output contract', async () => {
    const file = join(dir, 'contract.png');
    writeFileSync(file, await base().png({ palette: true }).toBuffer());
    for (const decoder of ['sharp', 'pillow', 'numpy', 'pillow@9.4'] as const)
      expect(ResultSchema.parse(checkSync(file, { decoder })).decoder).toBe(decoder);
  });

  // Optional cross-check against the real Pillow and numpy, when python3 has them (not required).
  const python = spawnSync('python3', ['-c', 'import PIL, numpy'], { encoding: 'utf8' });
  it.skipIf(python.status !== 0)('agrees with Image.open(f).mode and numpy.asarray(...).nbytes', async () => {
    const files: string[] = [];
    // The hand-built bilevel PNG has no real pixel data, so Pillow could not load it.
    for (const c of CASES.filter((k) => !k.name.includes('hand-built'))) {
      const file = join(dir, `py-${c.name.replace(/\W+/g, '-')}.png`);
      writeFileSync(file, await c.make());
      files.push(file);
    }
    const code =
      'import sys, json, numpy\nfrom PIL import Image\nout = []\nfor f in sys.argv[1:]:\n' +
      '    im = Image.open(f)\n    out.append([im.mode, int(numpy.asarray(im).nbytes)])\nprint(json.dumps(out))';
    const r = spawnSync('python3', ['-c', code, ...files], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const real = JSON.parse(r.stdout) as [string, number][];
    files.forEach((file, i) => {
      const ours = checkSync(file, { decoder: 'numpy' });
      expect([ours.pillowMode, ours.decodedBytes]).toEqual(real[i]);
    });
  });

  it.skipIf(python.status !== 0)('the layout derivation agrees with Image.open(f).mode for other formats', async () => {
    const opaque = () =>
      sharp({ create: { width: 20, height: 10, channels: 3, background: { r: 10, g: 100, b: 200 } } });
    const alpha = () =>
      sharp({ create: { width: 20, height: 10, channels: 4, background: { r: 10, g: 100, b: 200, alpha: 0.5 } } });
    const made: [string, Buffer][] = [
      ['grey.jpg', await opaque().toColourspace('b-w').jpeg().toBuffer()],
      ['rgb.jpg', await opaque().jpeg().toBuffer()],
      ['cmyk.jpg', await opaque().toColourspace('cmyk').jpeg().toBuffer()],
      ['cmyk.tif', await opaque().toColourspace('cmyk').tiff().toBuffer()],
      ['grey.tif', await opaque().toColourspace('b-w').tiff().toBuffer()],
      ['rgb.tif', await opaque().tiff().toBuffer()],
      ['rgba.tif', await alpha().tiff().toBuffer()],
      ['alpha.webp', await alpha().webp().toBuffer()],
      ['opaque.webp', await opaque().webp().toBuffer()],
      ['alpha.gif', await alpha().gif().toBuffer()],
    ];
    const files = made.map(([name, bytes]) => {
      const file = join(dir, `py-${name}`);
      writeFileSync(file, bytes);
      return file;
    });
    const code =
      'import sys, json\nfrom PIL import Image\nprint(json.dumps([Image.open(f).mode for f in sys.argv[1:]]))';
    const r = spawnSync('python3', ['-c', code, ...files], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const real = JSON.parse(r.stdout) as string[];
    for (let i = 0; i < files.length; i++) {
      const m = await sharp(files[i]!).metadata();
      const format = m.format === 'jpeg' ? 'jpeg' : m.format === 'tiff' ? 'tiff' : m.format === 'gif' ? 'gif' : 'webp';
      const bits = m.depth === 'ushort' ? 16 : 8;
      expect([
        made[i]![0],
        pillowModeOfLayout(
          format,
          { width: m.width!, height: m.height!, channels: m.channels!, bitsPerSample: bits },
          m.space,
        ),
      ]).toEqual([made[i]![0], real[i]]);
    }
  });

  it('a budget below the pillow size but above numpy judges by the profile', async () => {
    const file = join(dir, 'rgb-budget.png');
    writeFileSync(file, await base().png().toBuffer());
    const budget = W * H * 3; // numpy RGB fits exactly; Pillow's 4-byte pixels do not
    expect(checkSync(file, { decoder: 'numpy', budget }).status).toBe('ok');
    const r = checkSync(file, { decoder: 'pillow', budget });
    expect(r.status).toBe('over_budget');
    expect(r.reason).toContain('pillow (mode RGB)');
  });
});

const header = (h: Partial<Header>): Header => ({
  format: 'tiff',
  width: 10,
  height: 10,
  channels: 3,
  bitsPerSample: 8,
  frames: 1,
  ...h,
});

describe('Pillow mode derived from headers of other formats', () => {
  const cases: [string, Partial<Header>, string | null][] = [
    ['JPEG grey', { format: 'jpeg', channels: 1 }, 'L'],
    ['JPEG colour', { format: 'jpeg', channels: 3 }, 'RGB'],
    ['JPEG CMYK', { format: 'jpeg', channels: 4, space: 'cmyk' }, 'CMYK'],
    ['GIF', { format: 'gif', channels: 4 }, 'P'],
    ['WebP with alpha', { format: 'webp', channels: 4 }, 'RGBA'],
    ['TIFF 16-bit grey', { channels: 1, bitsPerSample: 16 }, 'I;16'],
    ['TIFF 32-bit int grey', { channels: 1, bitsPerSample: 32 }, 'I'],
    ['TIFF float grey', { channels: 1, bitsPerSample: 32, space: 'float' }, 'F'],
    ['TIFF CMYK', { channels: 4, space: 'cmyk' }, 'CMYK'],
    ['TIFF 16-bit RGB', { channels: 3, bitsPerSample: 16 }, 'RGB'],
    ['TIFF 5 bands', { channels: 5 }, null],
  ];
  for (const [name, h, mode] of cases) {
    it(`${name} → ${mode ?? 'no mode'}`, () => expect(pillowMode(header(h)).mode).toBe(mode));
  }

  it('a reader-supplied mode wins over the derivation', () => {
    expect(pillowMode(header({ channels: 3, pillowMode: 'P' })).mode).toBe('P');
  });

  it('no Pillow mode: the libvips layout is counted, with a note', () => {
    const e = profileEstimate(header({ channels: 5, bitsPerSample: 16 }), 'pillow');
    expect(e.decodedBytes).toBe(10n * 10n * 5n * 2n);
    expect(e.notes?.[0]).toContain('no mode');
  });

  it('CMYK: 4 bytes in both profiles; float F: 4 bytes', () => {
    expect(profileEstimate(header({ channels: 4, space: 'cmyk' }), 'numpy').decodedBytes).toBe(400n);
    expect(profileEstimate(header({ channels: 1, bitsPerSample: 32, space: 'float' }), 'numpy').decodedBytes).toBe(
      400n,
    );
  });

  it('GIF frames after the first are counted as RGBA (Pillow converts them)', () => {
    const e = profileEstimate(header({ format: 'gif', frames: 3 }), 'numpy');
    expect(e.decodedBytes).toBe(100n);
    expect(e.decodedBytesAllFrames).toBe(100n + 2n * 400n);
  });

  it('TIFF pages each take their own mode', () => {
    const e = profileEstimate(
      header({ channels: 1, frames: 2, otherPages: [{ width: 20, height: 20, channels: 3, bitsPerSample: 8 }] }),
      'pillow',
    );
    expect(e.decodedBytesAllFrames).toBe(100n + 400n * 4n);
  });

  it('SVG: Pillow cannot open it (the decoder table says why)', () => {
    expect(refusal(parseDecoder('pillow')!, { format: 'svg' })).toContain('no SVG reader');
  });
});
