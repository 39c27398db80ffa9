import { describe, expect, it } from 'vitest';
import { readTiffHeader } from '../../../src/probe/formats/tiff.js';
import { readHeader } from '../../../src/probe/detect.js';
import { estimate } from '../../../src/estimate/size.js';
import { ProbeFailure } from '../../../src/probe/failure.js';
import type { Header } from '../../../src/probe/header.js';
import { bufferSource } from '../../../src/probe/source.js';
import { prefixes, src } from '../../helpers/bytes.js';
import { sharp, sharpTruth } from '../../helpers/sharp.js';
import { colormap, makeTiff, type TiffPage } from '../../helpers/tiff.js';
import { failure } from '../../helpers/failure.js';

/** The header agrees with sharp's metadata and raw decode of the same bytes. */
async function expectAgrees(bytes: Uint8Array): Promise<Header> {
  const header = readHeader(src(bytes));
  const truth = await sharpTruth(Buffer.from(bytes));
  expect(header.format).toBe('tiff');
  expect([header.width, header.height, header.channels, header.bitsPerSample, header.frames]).toEqual([
    truth.width,
    truth.height,
    truth.channels,
    truth.bitsPerSample,
    truth.pages,
  ]);
  expect(Number(estimate(header).decodedBytes)).toBe(truth.decodedBytes);
  expect(header.orientation ?? 1).toBe(truth.orientation ?? 1);
  return header;
}

/** Whether sharp refuses the bytes (metadata, or the raw decode). */
async function sharpRefuses(bytes: Uint8Array): Promise<boolean> {
  try {
    await sharpTruth(Buffer.from(bytes));
    return false;
  } catch {
    return true;
  }
}

const rgb = (w = 31, h = 17) => sharp({ create: { width: w, height: h, channels: 3, background: '#336699' } });
const rgba = (w = 31, h = 17) => sharp({ create: { width: w, height: h, channels: 4, background: '#33669980' } });
const grey = (w = 31, h = 17) => rgb(w, h).toColourspace('b-w');

describe('readTiffHeader: images written by sharp agree with sharp', () => {
  const cases: [string, () => Promise<Buffer>][] = [
    ['rgb', () => rgb().tiff().toBuffer()],
    ['rgba lzw', () => rgba().tiff({ compression: 'lzw' }).toBuffer()],
    ['rgb jpeg (YCbCr, loads as RGB)', () => rgb().tiff({ compression: 'jpeg' }).toBuffer()],
    ['rgba webp', () => rgba().tiff({ compression: 'webp' }).toBuffer()],
    [
      'rgb tiled deflate',
      () => rgb(300, 200).tiff({ compression: 'deflate', tile: true, tileWidth: 64, tileHeight: 64 }).toBuffer(),
    ],
    ['grey', () => grey().tiff().toBuffer()],
    ['grey 1-bit', () => grey().tiff({ bitdepth: 1 }).toBuffer()],
    ['grey 2-bit', () => grey().tiff({ bitdepth: 2 }).toBuffer()],
    ['grey 4-bit', () => grey().tiff({ bitdepth: 4 }).toBuffer()],
    ['cmyk', () => rgb().toColourspace('cmyk').tiff().toBuffer()],
    ['pyramid (pages of different sizes)', () => rgb(600, 400).tiff({ pyramid: true, tile: true }).toBuffer()],
    [
      'multi-page',
      async () => {
        const p = await rgb(20, 10).png().toBuffer();
        return sharp([p, p, p], { join: { animated: true } } as never)
          .tiff()
          .toBuffer();
      },
    ],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      await expectAgrees(await make());
    });
  }
  it('lists pyramid levels as other pages', async () => {
    const h = readHeader(src(await rgb(600, 400).tiff({ pyramid: true, tile: true }).toBuffer()));
    expect(h.otherPages?.map((p) => [p.width, p.height])).toEqual([
      [300, 200],
      [150, 100],
    ]);
  });
  it('leaves out other pages that match page 1', async () => {
    const p = await rgb(20, 10).png().toBuffer();
    const h = readHeader(
      src(
        await sharp([p, p], { join: { animated: true } } as never)
          .tiff()
          .toBuffer(),
      ),
    );
    expect([h.frames, h.otherPages]).toEqual([2, undefined]);
  });
});

const greyMap = (bits: number) =>
  colormap(bits, (i) => {
    const v = Math.round((i * 65535) / (2 ** bits - 1));
    return [v, v, v];
  });
const colourMap = (bits: number) => colormap(bits, (i) => [(i * 256) & 0xffff, 0, 65535 - i]);

/** Layouts built by hand, each checked against what sharp makes of the same bytes. */
const LAYOUTS: [string, TiffPage][] = [
  ['grey 8-bit', { width: 9, height: 5 }],
  ['grey 1-bit', { width: 9, height: 5, bits: 1 }],
  ['grey 4-bit white-is-zero', { width: 9, height: 5, bits: 4, photometric: 0 }],
  ['grey + alpha', { width: 9, height: 5, samples: 2, extraSamples: [2] }],
  ['grey 16-bit + alpha', { width: 9, height: 5, samples: 2, bits: 16, extraSamples: [2] }],
  ['grey 16-bit signed', { width: 9, height: 5, bits: 16, sampleFormat: 2 }],
  ['grey 32-bit uint', { width: 9, height: 5, bits: 32 }],
  ['grey 32-bit float', { width: 9, height: 5, bits: 32, sampleFormat: 3 }],
  ['grey 16-bit half float (loads as float)', { width: 9, height: 5, bits: 16, sampleFormat: 3 }],
  ['rgb 8-bit', { width: 9, height: 5, samples: 3 }],
  ['rgb 16-bit half float', { width: 9, height: 5, samples: 3, bits: 16, sampleFormat: 3 }],
  ['rgb 32-bit float', { width: 9, height: 5, samples: 3, bits: 32, sampleFormat: 3 }],
  ['rgba', { width: 9, height: 5, samples: 4, extraSamples: [2] }],
  ['rgb + 2 extra samples', { width: 9, height: 5, samples: 5, extraSamples: [0, 0] }],
  ['palette 8-bit colour', { width: 9, height: 5, bits: 8, photometric: 3, colormap: colourMap(8) }],
  ['palette 8-bit grey map (1 band)', { width: 9, height: 5, bits: 8, photometric: 3, colormap: greyMap(8) }],
  ['palette 4-bit colour', { width: 9, height: 5, bits: 4, photometric: 3, colormap: colourMap(4) }],
  ['palette 1-bit grey map', { width: 9, height: 5, bits: 1, photometric: 3, colormap: greyMap(1) }],
  ['palette 16-bit colour', { width: 9, height: 5, bits: 16, photometric: 3, colormap: colourMap(16) }],
  ['palette 16-bit grey map', { width: 9, height: 5, bits: 16, photometric: 3, colormap: greyMap(16) }],
  [
    'palette colour + alpha',
    { width: 9, height: 5, samples: 2, photometric: 3, colormap: colourMap(8), extraSamples: [2] },
  ],
  [
    'palette grey + alpha',
    { width: 9, height: 5, samples: 2, photometric: 3, colormap: greyMap(8), extraSamples: [2] },
  ],
  ['palette 8-bit without a map (loads as grey)', { width: 9, height: 5, photometric: 3 }],
  [
    'palette map of LONGs',
    { width: 9, height: 5, photometric: 3, fields: [{ tag: 320, type: 4, values: colourMap(8) }] },
  ],
  ['cmyk 8-bit', { width: 9, height: 5, samples: 4, photometric: 5 }],
  ['cmyk + alpha', { width: 9, height: 5, samples: 5, photometric: 5, extraSamples: [2] }],
  ['cmyk 16-bit', { width: 9, height: 5, samples: 4, bits: 16, photometric: 5 }],
  ['CIELab 16-bit', { width: 9, height: 5, samples: 3, bits: 16, photometric: 8 }],
  [
    'CIELab 8-bit + alpha (loads as 16-bit LabS)',
    { width: 9, height: 5, samples: 4, photometric: 8, extraSamples: [2] },
  ],
  ['CIELab 32-bit float', { width: 9, height: 5, samples: 3, bits: 32, sampleFormat: 3, photometric: 8 }],
  ['YCbCr subsampled 2x2 (RGBA reader: 4 bands)', { width: 8, height: 4, samples: 3, photometric: 6 }],
  [
    'YCbCr subsampled 2x1',
    { width: 8, height: 4, samples: 3, photometric: 6, fields: [{ tag: 530, type: 3, values: [2, 1] }] },
  ],
  [
    'YCbCr not subsampled, 16-bit',
    { width: 8, height: 4, samples: 3, bits: 16, photometric: 6, fields: [{ tag: 530, type: 3, values: [1, 1] }] },
  ],
  ['orientation 6', { width: 9, height: 5, samples: 3, orientation: 6 }],
  ['no BitsPerSample (defaults to 1)', { width: 9, height: 5, omit: [258] }],
];

describe('readTiffHeader: hand-built layouts agree with sharp', () => {
  const geometries: [string, { le: boolean; big: boolean }][] = [
    ['II classic', { le: true, big: false }],
    ['MM classic', { le: false, big: false }],
    ['II BigTIFF', { le: true, big: true }],
    ['MM BigTIFF', { le: false, big: true }],
  ];
  for (const [gname, geo] of geometries) {
    describe(gname, () => {
      for (const [name, page] of LAYOUTS) {
        it(name, async () => {
          await expectAgrees(makeTiff({ ...geo, pages: [page] }).bytes);
        });
      }
      it('two pages of different layouts', async () => {
        const bytes = makeTiff({
          ...geo,
          pages: [
            { width: 9, height: 5, samples: 3 },
            { width: 4, height: 2, bits: 16 },
          ],
        }).bytes;
        const h = await expectAgrees(bytes);
        expect(h.otherPages).toEqual([{ width: 4, height: 2, channels: 1, bitsPerSample: 16, outputChannels: 3 }]);
      });
    });
  }
  it('a palette with one colour entry at the very end is colour', async () => {
    const map = colormap(16, (i) => (i === 65535 ? [1, 2, 3] : [i, i, i]));
    const h = await expectAgrees(
      makeTiff({ pages: [{ width: 9, height: 5, bits: 16, photometric: 3, colormap: map }] }).bytes,
    );
    expect(h.channels).toBe(3);
  });
});

describe('readTiffHeader: layouts sharp refuses are refused', () => {
  const cases: [string, TiffPage, string][] = [
    ['64-bit float samples', { width: 9, height: 5, bits: 64, sampleFormat: 3 }, 'E_UNSUPPORTED_FEATURE'],
    ['64-bit uint samples', { width: 9, height: 5, samples: 3, bits: 64 }, 'E_UNSUPPORTED_FEATURE'],
    ['12-bit samples', { width: 9, height: 5, bits: 12 }, 'E_UNSUPPORTED_FEATURE'],
    ['24-bit samples', { width: 9, height: 5, bits: 24, sampleFormat: 3 }, 'E_UNSUPPORTED_FEATURE'],
    ['1-bit RGB', { width: 9, height: 5, samples: 3, bits: 1 }, 'E_UNSUPPORTED_FEATURE'],
    [
      '1-bit grey + 1-bit alpha',
      { width: 9, height: 5, samples: 2, bits: 1, extraSamples: [2] },
      'E_UNSUPPORTED_FEATURE',
    ],
    ['1-bit transparency mask', { width: 9, height: 5, bits: 1, photometric: 4 }, 'E_UNSUPPORTED_FEATURE'],
    ['samples of different sizes', { width: 9, height: 5, samples: 3, bits: [8, 16, 8] }, 'E_UNSUPPORTED_FEATURE'],
    ['CIELab with one sample', { width: 9, height: 5, photometric: 8 }, 'E_UNSUPPORTED_FEATURE'],
    ['no PhotometricInterpretation', { width: 9, height: 5, omit: [262] }, 'E_BAD_HEADER'],
    ['no StripOffsets', { width: 9, height: 5, omit: [273] }, 'E_BAD_HEADER'],
    ['orientation 0', { width: 9, height: 5, orientation: 0 }, 'E_BAD_HEADER'],
    ['orientation 9', { width: 9, height: 5, orientation: 9 }, 'E_BAD_HEADER'],
    ['4-bit palette without a map', { width: 9, height: 5, bits: 4, photometric: 3 }, 'E_BAD_HEADER'],
    ['SamplesPerPixel 0', { width: 9, height: 5, fields: [{ tag: 277, type: 3, values: [0] }] }, 'E_BAD_HEADER'],
  ];
  for (const [name, page, code] of cases) {
    it(name, async () => {
      const bytes = makeTiff({ pages: [page] }).bytes;
      expect(failure(() => readHeader(src(bytes))).code).toBe(code);
      expect(await sharpRefuses(bytes)).toBe(true);
    });
  }
  it('a sample count sharp will not decode (no ExtraSamples for the 4th sample) is corrupt', async () => {
    const bytes = makeTiff({ pages: [{ width: 9, height: 5, samples: 4 }] }).bytes;
    const f = failure(() => readHeader(src(bytes)));
    expect([f.code, f.message.includes('ExtraSamples')]).toEqual(['E_BAD_HEADER', true]);
    expect(await sharpRefuses(bytes)).toBe(true);
  });
});

/** The byte offset of the next-IFD pointer of the IFD at `ifd` in a classic little-endian file. */
function nextPointer(bytes: Uint8Array, ifd: number): number {
  return ifd + 2 + (bytes[ifd]! | (bytes[ifd + 1]! << 8)) * 12;
}
function putLe32(bytes: Uint8Array, at: number, v: number): void {
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(at, v, true);
}
function putLe16(bytes: Uint8Array, at: number, v: number): void {
  new DataView(bytes.buffer, bytes.byteOffset).setUint16(at, v, true);
}

describe('readTiffHeader: truncated', () => {
  for (const big of [false, true]) {
    it(`every cut before the end of page 1's structures is corrupt (${big ? 'BigTIFF' : 'classic'})`, () => {
      // A palette page whose ColorMap (48 SHORTs) is out of line, and a second page after it.
      const page: TiffPage = { width: 9, height: 5, bits: 4, photometric: 3, colormap: colourMap(4) };
      const t = makeTiff({ big, pages: [page, page] });
      const end = t.values.filter((v) => v < t.ifds[1]!).pop()! + 96;
      expect(readTiffHeader(src(t.bytes)).frames).toBe(2);
      for (const cut of prefixes(t.bytes).filter((p) => p.length >= 4 && p.length < end)) {
        const f = failure(() => readHeader(src(cut)));
        expect([f.status, f.code]).toEqual(['corrupt', 'E_TRUNCATED']);
      }
    });
  }
  it('a colour map cut short is truncated', () => {
    const t = makeTiff({ pages: [{ width: 9, height: 5, photometric: 3, colormap: colourMap(8) }] });
    const mapAt = t.values[t.values.length - 1]!;
    expect(failure(() => readTiffHeader(src(t.bytes.subarray(0, mapAt + 100)))).code).toBe('E_TRUNCATED');
  });
  it('a cut inside page 2 is truncated (libtiff refuses the file)', async () => {
    const t = makeTiff({
      pages: [
        { width: 9, height: 5 },
        { width: 9, height: 5 },
      ],
    });
    const cut = t.bytes.subarray(0, t.ifds[1]! + 20);
    expect(failure(() => readTiffHeader(src(cut))).code).toBe('E_TRUNCATED');
    expect(await sharpRefuses(cut)).toBe(true);
  });
  it('a chain longer than the read caps stops counting with a note', () => {
    // Pages far apart, so each costs its own read: 40 pages against a cap of 20 reads.
    const t = makeTiff({ pages: Array.from({ length: 40 }, () => ({ width: 100, height: 30 })) });
    const h = readTiffHeader(bufferSource(t.bytes, { maxBytes: 1 << 20, maxReads: 20 }));
    expect(h.frames).toBeGreaterThan(1);
    expect(h.frames).toBeLessThan(40);
    expect(h.notes?.some((n) => n.includes('stopped counting pages'))).toBe(true);
  });
});

describe('readTiffHeader: hostile', () => {
  it('an IFD whose next pointer is itself is a loop', () => {
    const t = makeTiff({ pages: [{ width: 9, height: 5 }] });
    putLe32(t.bytes, nextPointer(t.bytes, t.ifds[0]!), t.ifds[0]!);
    expect(failure(() => readTiffHeader(src(t.bytes))).code).toBe('E_STRUCTURE_LOOP');
  });
  it('a cycle through two pages is a loop', () => {
    const t = makeTiff({
      pages: [
        { width: 9, height: 5 },
        { width: 9, height: 5 },
      ],
    });
    putLe32(t.bytes, nextPointer(t.bytes, t.ifds[1]!), t.ifds[0]!);
    expect(failure(() => readTiffHeader(src(t.bytes))).code).toBe('E_STRUCTURE_LOOP');
  });
  it('an entry count of 65535 past the end of the file is truncated, without reading it', () => {
    const t = makeTiff({ pages: [{ width: 9, height: 5 }] });
    putLe16(t.bytes, t.ifds[0]!, 65535);
    const s = src(t.bytes);
    expect(failure(() => readTiffHeader(s)).code).toBe('E_TRUNCATED');
    expect(s.bytesRead).toBeLessThan(4096);
  });
  it('a BigTIFF entry count of 2^40 is refused', () => {
    const t = makeTiff({ big: true, pages: [{ width: 9, height: 5 }] });
    t.bytes[t.ifds[0]! + 5] = 1;
    expect(failure(() => readTiffHeader(src(t.bytes))).code).toBe('E_BAD_HEADER');
  });
  it('a huge BitsPerSample count reads only one value per sample', () => {
    const t = makeTiff({ pages: [{ width: 9, height: 5, samples: 3 }] });
    // Entry 3 (BitsPerSample) of the first IFD: its count is at +4.
    const entry = t.ifds[0]! + 2 + 2 * 12;
    expect(t.bytes[entry]).toBe(258 & 255);
    putLe32(t.bytes, entry + 4, 0xffffffff);
    const s = src(t.bytes);
    expect(readTiffHeader(s).channels).toBe(3);
    expect(s.bytesRead).toBeLessThan(4096);
  });
  it('a ColorMap claiming 2^32-1 values is corrupt (libtiff warns, sharp refuses), without reading it', () => {
    const t = makeTiff({
      pages: [{ width: 9, height: 5, photometric: 3, fields: [{ tag: 320, type: 3, values: [1, 2, 3] }] }],
    });
    const list = [256, 257, 258, 259, 262, 273, 277, 278, 279, 284, 320];
    putLe32(t.bytes, t.ifds[0]! + 2 + list.indexOf(320) * 12 + 4, 0xffffffff);
    const s = src(t.bytes);
    expect(failure(() => readTiffHeader(s)).code).toBe('E_BAD_HEADER');
    expect(s.bytesRead).toBeLessThan(4096);
  });
  it('rejects zero width and zero height', () => {
    expect(failure(() => readTiffHeader(src(makeTiff({ pages: [{ width: 0, height: 5 }] }).bytes))).code).toBe(
      'E_DIMENSIONS',
    );
    expect(failure(() => readTiffHeader(src(makeTiff({ pages: [{ width: 5, height: 0 }] }).bytes))).code).toBe(
      'E_DIMENSIONS',
    );
  });
  it('accepts 2^32-1 x 2^32-1 and estimates it exactly', () => {
    // LZW (any byte count may hold a strip), one strip of all the rows (RowsPerStrip, entry 7).
    const t = makeTiff({ pages: [{ width: 1, height: 1, samples: 4, bits: 16, extraSamples: [2], compression: 5 }] });
    putLe32(t.bytes, t.ifds[0]! + 2 + 8, 0xffffffff);
    putLe32(t.bytes, t.ifds[0]! + 2 + 12 + 8, 0xffffffff);
    putLe32(t.bytes, t.ifds[0]! + 2 + 7 * 12 + 8, 0xffffffff);
    const h = readTiffHeader(src(t.bytes));
    expect([h.width, h.height]).toEqual([0xffffffff, 0xffffffff]);
    expect(estimate(h).decodedBytes).toBe(0xffffffffn * 0xffffffffn * 4n * 2n);
  });
  it('a missing ImageWidth is a bad header', () => {
    expect(
      failure(() => readTiffHeader(src(makeTiff({ pages: [{ width: 9, height: 5, omit: [256] }] }).bytes))).code,
    ).toBe('E_BAD_HEADER');
  });
  it('a first IFD offset of 0, or inside the file header, is a bad header', () => {
    const t = makeTiff({ pages: [{ width: 9, height: 5 }] });
    putLe32(t.bytes, 4, 0);
    expect(failure(() => readTiffHeader(src(t.bytes))).code).toBe('E_BAD_HEADER');
    putLe32(t.bytes, 4, 2);
    expect(failure(() => readTiffHeader(src(t.bytes))).code).toBe('E_BAD_HEADER');
  });
  it('a first IFD offset past the end of the file is truncated', () => {
    const t = makeTiff({ pages: [{ width: 9, height: 5 }] });
    putLe32(t.bytes, 4, 0xfffffff0);
    expect(failure(() => readTiffHeader(src(t.bytes))).code).toBe('E_TRUNCATED');
  });
  it('a BigTIFF first IFD offset above 2^53 is refused', () => {
    const t = makeTiff({ big: true, pages: [{ width: 9, height: 5 }] });
    t.bytes.fill(0xff, 8, 16);
    expect(failure(() => readTiffHeader(src(t.bytes))).status).toBe('corrupt');
  });
  it('a BigTIFF whose offset size is not 8 is a bad header', () => {
    const t = makeTiff({ big: true, pages: [{ width: 9, height: 5 }] });
    t.bytes[4] = 4;
    expect(failure(() => readTiffHeader(src(t.bytes))).code).toBe('E_BAD_HEADER');
  });
  it('ends a chain of more than 10000 pages', () => {
    // 10001 small valid IFDs (ImageWidth, ImageLength, Photometric, StripOffsets,
    // StripByteCounts), each pointing to the next.
    const n = 10001;
    const size = 2 + 5 * 12 + 4;
    const bytes = new Uint8Array(8 + n * size);
    bytes.set([0x49, 0x49, 42, 0, 8, 0, 0, 0]);
    for (let i = 0; i < n; i++) {
      const at = 8 + i * size;
      putLe16(bytes, at, 5);
      [
        [256, 3],
        [257, 3],
        [262, 1],
        [273, 8],
        [279, 9],
      ].forEach(([tag, value], k) => {
        const e = at + 2 + k * 12;
        putLe16(bytes, e, tag!);
        putLe16(bytes, e + 2, 3);
        putLe32(bytes, e + 4, 1);
        putLe16(bytes, e + 8, value!);
      });
      putLe32(bytes, at + 2 + 60, i + 1 < n ? at + size : 0);
    }
    const three = bytes.slice(0, 8 + 3 * size);
    putLe32(three, 8 + 3 * size - 4, 0);
    expect(readTiffHeader(src(three)).frames).toBe(3);
    expect(failure(() => readTiffHeader(src(bytes))).code).toBe('E_STRUCTURE_LOOP');
  });
  it('never throws anything but a ProbeFailure on mutated files', () => {
    const base = makeTiff({
      pages: [
        { width: 9, height: 5, photometric: 3, colormap: colourMap(4), bits: 4 },
        { width: 3, height: 3, samples: 3 },
      ],
    }).bytes;
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let failures = 0;
    for (let i = 0; i < 3000; i++) {
      const b = base.slice();
      for (let k = 0; k < 1 + rand(4); k++) b[8 + rand(b.length - 8)] = rand(256);
      try {
        const h = readTiffHeader(src(b));
        expect(h.width).toBeGreaterThan(0);
      } catch (e) {
        expect(e).toBeInstanceOf(ProbeFailure);
        failures++;
      }
    }
    expect(failures).toBeGreaterThan(0);
  });
});

describe('readTiffHeader: warnings that make sharp refuse to decode', () => {
  const ascii = (s: string): number[] => [...Buffer.from(s, 'latin1')];
  for (const [name, value, tag] of [
    ['an inline ImageDescription without NUL', ascii('abc'), 270],
    ['a long ImageDescription without NUL', ascii('a description of some length'), 270],
    ['an unknown ASCII tag without NUL', ascii('GeoTIFF-like params|'), 34737],
  ] as [string, number[], number][]) {
    it(`calls ${name} corrupt`, async () => {
      const bytes = makeTiff({
        pages: [{ width: 9, height: 5, samples: 3, fields: [{ tag, type: 2, values: value }] }],
      }).bytes;
      const f = failure(() => readTiffHeader(src(bytes)));
      expect([f.status, f.message.includes(`ASCII field ${tag}`)]).toEqual(['corrupt', true]);
      expect(await sharpRefuses(bytes)).toBe(true);
    });
  }
  it('does not note NUL-terminated ASCII fields', async () => {
    const bytes = makeTiff({
      pages: [
        {
          width: 9,
          height: 5,
          samples: 3,
          fields: [{ tag: 270, type: 2, values: [...Buffer.from('a description of some length\0')] }],
        },
      ],
    }).bytes;
    expect(readTiffHeader(src(bytes)).notes).toBeUndefined();
    expect(await sharpRefuses(bytes)).toBe(false);
  });
});
