import { describe, expect, it } from 'vitest';
import { readPngHeader } from '../../../src/probe/formats/png.js';
import { readHeader } from '../../../src/probe/detect.js';
import { estimate } from '../../../src/estimate/size.js';
import { be32, concat, makePng, pngChunk, prefixes, src, text } from '../../helpers/bytes.js';
import { sharp, sharpTruth } from '../../helpers/sharp.js';
import { failure } from '../../helpers/failure.js';

describe('readPngHeader: valid images agree with sharp', () => {
  const cases: [string, () => Promise<Buffer>][] = [
    [
      'rgb 8-bit',
      () =>
        sharp({ create: { width: 31, height: 17, channels: 3, background: '#336699' } })
          .png()
          .toBuffer(),
    ],
    [
      'rgba 8-bit',
      () =>
        sharp({ create: { width: 20, height: 9, channels: 4, background: '#33669980' } })
          .png()
          .toBuffer(),
    ],
    [
      'grey 8-bit',
      () =>
        sharp({ create: { width: 12, height: 5, channels: 3, background: '#777' } })
          .greyscale()
          .png()
          .toBuffer(),
    ],
    [
      'rgb 16-bit',
      () =>
        sharp({ create: { width: 7, height: 3, channels: 3, background: '#123456' } })
          .toColourspace('rgb16')
          .png()
          .toBuffer(),
    ],
    [
      'grey 16-bit',
      () =>
        sharp({ create: { width: 7, height: 3, channels: 3, background: '#444' } })
          .toColourspace('grey16')
          .png()
          .toBuffer(),
    ],
    [
      'palette',
      () =>
        sharp({ create: { width: 40, height: 30, channels: 3, background: '#ff0000' } })
          .png({ palette: true })
          .toBuffer(),
    ],
    [
      'palette with alpha',
      () =>
        sharp({ create: { width: 40, height: 30, channels: 4, background: '#ff000080' } })
          .png({ palette: true })
          .toBuffer(),
    ],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      const bytes = await make();
      const header = readHeader(src(bytes));
      const truth = await sharpTruth(bytes);
      expect(header.format).toBe('png');
      expect([header.width, header.height, header.channels, header.bitsPerSample]).toEqual([
        truth.width,
        truth.height,
        truth.channels,
        truth.bitsPerSample,
      ]);
      expect(Number(estimate(header).decodedBytes)).toBe(truth.decodedBytes);
    });
  }
});

describe('readPngHeader: ancillary chunks', () => {
  it('counts APNG frames from acTL', () => {
    const png = makePng({ width: 4, height: 4, chunks: [pngChunk('acTL', [...be32(12), ...be32(0)])] });
    expect(readPngHeader(src(png)).frames).toBe(12);
  });
  it('a grey image with tRNS loads with alpha', () => {
    const png = makePng({ width: 4, height: 4, colourType: 0, chunks: [pngChunk('tRNS', [0, 0])] });
    const h = readPngHeader(src(png));
    expect([h.channels, h.outputChannels]).toEqual([2, 4]);
  });
  it('skips a huge text chunk by seeking, not reading', () => {
    const big = new Uint8Array(1_000_000);
    const png = makePng({ width: 4, height: 4, chunks: [pngChunk('zTXt', big), pngChunk('tRNS', [0, 0, 0, 0, 0, 0])] });
    const s = src(png);
    expect(readPngHeader(s).channels).toBe(4);
    expect(s.bytesRead).toBeLessThan(8192);
  });
});

describe('readPngHeader: truncated', () => {
  const png = makePng({ width: 10, height: 10, chunks: [pngChunk('tEXt', text('a\0b'))] });
  it('every cut before the first IDAT is corrupt', () => {
    const idat = png.indexOf(0x49, 40); // the 'I' of IDAT after tEXt
    for (const cut of prefixes(png).filter((p) => p.length >= 8 && p.length < idat)) {
      const f = failure(() => readHeader(src(cut)));
      expect(f.status).toBe('corrupt');
      expect(['E_TRUNCATED']).toContain(f.code);
    }
  });
});

describe('readPngHeader: hostile', () => {
  it('rejects zero width', () => {
    expect(failure(() => readPngHeader(src(makePng({ width: 0, height: 5 })))).code).toBe('E_DIMENSIONS');
  });
  it('rejects a width above 2^31-1', () => {
    expect(failure(() => readPngHeader(src(makePng({ width: 0x80000000, height: 5 })))).code).toBe('E_DIMENSIONS');
  });
  it('accepts the largest legal size and estimates it exactly', () => {
    const h = readPngHeader(src(makePng({ width: 0x7fffffff, height: 0x7fffffff, depth: 16, colourType: 6 })));
    expect(estimate(h).decodedBytes).toBe(0x7fffffffn * 0x7fffffffn * 4n * 2n);
  });
  it('rejects an invalid depth for the colour type', () => {
    expect(failure(() => readPngHeader(src(makePng({ width: 1, height: 1, depth: 16, colourType: 3 })))).code).toBe(
      'E_BAD_HEADER',
    );
  });
  it('rejects a chunk length above 2^31-1', () => {
    const bad = concat(makePng({ width: 1, height: 1 }).subarray(0, 33), be32(0xffffffff), text('tEXt'));
    expect(failure(() => readPngHeader(src(bad))).code).toBe('E_BAD_HEADER');
  });
  it('ends a storm of empty chunks', () => {
    const storm = Array.from({ length: 5000 }, () => pngChunk('tEXt'));
    const f = failure(() => readPngHeader(src(makePng({ width: 1, height: 1, chunks: storm }))));
    expect(f.status).toBe('corrupt');
  });
});
