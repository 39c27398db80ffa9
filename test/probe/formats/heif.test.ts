import { beforeAll, describe, expect, it } from 'vitest';
import { readHeifHeader } from '../../../src/probe/formats/heif.js';
import { readHeader } from '../../../src/probe/detect.js';
import { estimate } from '../../../src/estimate/size.js';
import { ProbeFailure } from '../../../src/probe/failure.js';
import type { Header } from '../../../src/probe/header.js';
import { be32, concat, src, text } from '../../helpers/bytes.js';
import {
  auxC,
  av1C,
  box,
  boxBoundaries,
  buildHeif,
  clap,
  gridData,
  irot,
  imir,
  ispe,
  itemData,
  pixi,
  type HeifSpec,
} from '../../helpers/heif.js';
import { sharp, sharpTruth } from '../../helpers/sharp.js';
import { failure } from '../../helpers/failure.js';

/** Whether sharp can read the header and decode the pixels. */
async function sharpDecodes(bytes: Uint8Array): Promise<boolean> {
  try {
    await sharp(Buffer.from(bytes)).raw().toBuffer();
    return true;
  } catch {
    return false;
  }
}

async function expectAgreesWithSharp(bytes: Uint8Array, frames?: number): Promise<Header> {
  const header = readHeader(src(bytes));
  const truth = await sharpTruth(Buffer.from(bytes));
  expect(header.format).toBe('avif');
  expect([header.width, header.height, header.channels, header.bitsPerSample]).toEqual([
    truth.width,
    truth.height,
    truth.channels,
    truth.bitsPerSample,
  ]);
  expect(Number(estimate(header).decodedBytes)).toBe(truth.decodedBytes);
  expect(header.frames).toBe(frames ?? truth.pages);
  return header;
}

const solid = (w: number, h: number, channels: 3 | 4, bg: string) =>
  sharp({ create: { width: w, height: h, channels, background: bg } });

describe('readHeifHeader: AVIF written by sharp agrees with sharp', () => {
  const cases: [string, () => Promise<Buffer>][] = [
    ['rgb 8-bit', () => solid(31, 17, 3, '#336699').avif().toBuffer()],
    ['rgba 8-bit (alpha auxiliary image)', () => solid(20, 9, 4, '#33669980').avif().toBuffer()],
    ['rgb 10-bit loads as 16-bit', () => solid(31, 17, 3, '#336699').avif({ bitdepth: 10 }).toBuffer()],
    ['rgba 12-bit loads as 16-bit with alpha', () => solid(13, 7, 4, '#33669980').avif({ bitdepth: 12 }).toBuffer()],
    ['greyscale still loads as 3 bands', () => solid(12, 5, 3, '#777').greyscale().avif().toBuffer()],
    ['lossless', () => solid(16, 16, 3, '#ff0000').avif({ lossless: true }).toBuffer()],
    ['4:2:0', () => solid(33, 21, 3, '#00ff00').avif({ chromaSubsampling: '4:2:0' }).toBuffer()],
    [
      'EXIF orientation 6 becomes irot: width and height swap',
      () => solid(31, 17, 3, '#336699').withMetadata({ orientation: 6 }).avif().toBuffer(),
    ],
    ['heif() with av1 compression', () => solid(9, 30, 3, '#123456').heif({ compression: 'av1' }).toBuffer()],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      await expectAgreesWithSharp(await make());
    });
  }
});

describe('readHeifHeader: hand-built files agree with sharp', () => {
  let color: Uint8Array;
  let colorA: Uint8Array;
  let alpha: Uint8Array;
  let color10: Uint8Array;
  beforeAll(async () => {
    color = itemData(await solid(31, 17, 3, '#336699').avif().toBuffer(), 1);
    color10 = itemData(await solid(31, 17, 3, '#336699').avif({ bitdepth: 10 }).toBuffer(), 1);
    const rgba = await solid(31, 17, 4, '#33669980').avif().toBuffer();
    colorA = itemData(rgba, 1);
    alpha = itemData(rgba, 2);
  });
  const single = (extra: Uint8Array[] = [], more: Partial<HeifSpec> = {}): HeifSpec => ({
    items: [{ id: 1, type: 'av01', data: color }],
    props: [av1C(), ispe(31, 17), pixi(8, 8, 8), ...extra],
    assoc: [[1, [[1, true], [2, false], [3, false], ...extra.map((_, i): [number, boolean] => [4 + i, true])]]],
    ...more,
  });

  it('irot 90 swaps width and height', async () => {
    const h = await expectAgreesWithSharp(buildHeif(single([irot(1)])));
    expect([h.width, h.height]).toEqual([17, 31]);
  });
  it('irot 180 and imir keep the size', async () => {
    await expectAgreesWithSharp(buildHeif(single([irot(2), imir(1)])));
  });
  it('clap crops to its rounded size (41/2 x 21/2 -> 21 x 11)', async () => {
    const h = await expectAgreesWithSharp(buildHeif(single([clap(41, 2, 21, 2)])));
    expect([h.width, h.height]).toEqual([21, 11]);
  });
  it('clap with offsets inside the image, then irot, in ipma order', async () => {
    await expectAgreesWithSharp(buildHeif(single([clap(20, 1, 10, 1, -6, 1, -4, 1), irot(3)])));
  });
  it('a clap window outside the image fails the decode, and is corrupt', async () => {
    const bytes = buildHeif(single([clap(20, 1, 10, 1, 10, 1, 5, 1)]));
    expect(await sharpDecodes(bytes)).toBe(false);
    expect(failure(() => readHeader(src(bytes))).code).toBe('E_BAD_HEADER');
  });
  it('pixi is ignored: av1C high_bitdepth decides 16-bit', async () => {
    const h = await expectAgreesWithSharp(buildHeif({ ...single(), props: [av1C(10), ispe(31, 17), pixi(8, 8, 8)] }));
    expect(h.bitsPerSample).toBe(16);
    const h8 = await expectAgreesWithSharp(
      buildHeif({ ...single(), props: [av1C(8), ispe(31, 17), pixi(10, 10, 10)] }),
    );
    expect(h8.bitsPerSample).toBe(8);
  });
  it('monochrome av1C still loads as 3 bands', async () => {
    const h = await expectAgreesWithSharp(buildHeif({ ...single(), props: [av1C(8, true), ispe(31, 17), pixi(8)] }));
    expect(h.channels).toBe(3);
  });
  it('meta after mdat is found by seeking', async () => {
    await expectAgreesWithSharp(buildHeif(single([], { metaLast: true })));
  });
  it('a large mdat before meta is seeked over, not read', () => {
    const big = box('free', new Uint8Array(2_000_000));
    const s = src(buildHeif(single([], { extraTop: [big] })));
    expect(readHeifHeader(s).width).toBe(31);
    expect(s.bytesRead).toBeLessThan(16384);
  });
  it('trailing junk after the last box is ignored, as libheif does', async () => {
    for (const junk of [[0, 0, 0, 0], text('hello world, trailing text'), [0, 0, 0, 4, ...text('abcdxxxx')]]) {
      await expectAgreesWithSharp(concat(buildHeif(single()), junk));
    }
  });
  it('a malformed box before meta is corrupt', async () => {
    const bytes = buildHeif(single([], { extraTop: [concat(be32(4), text('abcd'))] }));
    await expect(sharp(Buffer.from(bytes)).metadata()).rejects.toThrow();
    expect(failure(() => readHeader(src(bytes))).code).toBe('E_BAD_HEADER');
  });
  it('a 64-bit largesize box is walked', async () => {
    const free = concat(be32(1), text('free'), be32(0), be32(16 + 100), new Uint8Array(100));
    await expectAgreesWithSharp(buildHeif(single([], { extraTop: [free] })));
  });

  const alphaSpec = (urn?: string): HeifSpec => ({
    items: [
      { id: 1, type: 'av01', data: colorA },
      { id: 2, type: 'av01', data: alpha },
    ],
    props: [av1C(), ispe(31, 17), pixi(8, 8, 8), av1C(), pixi(8), auxC(urn)],
    assoc: [
      [
        1,
        [
          [1, true],
          [2, false],
          [3, false],
        ],
      ],
      [
        2,
        [
          [4, true],
          [2, false],
          [5, false],
          [6, true],
        ],
      ],
    ],
    refs: [['auxl', 2, [1]]],
  });
  it('an alpha auxiliary image adds a band and is not a page', async () => {
    const h = await expectAgreesWithSharp(buildHeif(alphaSpec()));
    expect([h.channels, h.frames]).toEqual([4, 1]);
  });
  it('the HEVC alpha URN counts too', async () => {
    expect((await expectAgreesWithSharp(buildHeif(alphaSpec('urn:mpeg:hevc:2015:auxid:1')))).channels).toBe(4);
  });
  it('a depth auxiliary image adds no band', async () => {
    expect(
      (await expectAgreesWithSharp(buildHeif(alphaSpec('urn:mpeg:mpegB:cicp:systems:auxiliary:depth')))).channels,
    ).toBe(3);
  });

  const gridSpec = (tiles: Uint8Array, g = gridData(2, 2, 62, 34), size = ispe(62, 34), bits = 8): HeifSpec => ({
    items: [
      { id: 1, type: 'grid', data: g },
      ...[2, 3, 4, 5].map((id) => ({ id, type: 'av01', data: tiles, hidden: true })),
    ],
    props: [av1C(bits), ispe(31, 17), pixi(bits, bits, bits), size],
    assoc: [
      [
        1,
        [
          [4, false],
          [3, false],
        ],
      ],
      ...[2, 3, 4, 5].map((id): [number, [number, boolean][]] => [
        id,
        [
          [1, true],
          [2, false],
          [3, false],
        ],
      ]),
    ],
    refs: [['dimg', 1, [2, 3, 4, 5]]],
  });
  it('a 2x2 grid takes its size from the grid item', async () => {
    const h = await expectAgreesWithSharp(buildHeif(gridSpec(color)));
    expect([h.width, h.height]).toEqual([62, 34]);
  });
  it('a grid cropped by its output size', async () => {
    await expectAgreesWithSharp(buildHeif(gridSpec(color, gridData(2, 2, 50, 30), ispe(50, 30))));
  });
  it('a grid with 32-bit output fields', async () => {
    await expectAgreesWithSharp(buildHeif(gridSpec(color, gridData(2, 2, 62, 34, true))));
  });
  it('a grid takes its depth from its tiles', async () => {
    expect((await expectAgreesWithSharp(buildHeif(gridSpec(color10, undefined, undefined, 10)))).bitsPerSample).toBe(
      16,
    );
  });
  it('visible tiles are pages of their own', async () => {
    const spec = gridSpec(color);
    spec.items = spec.items.map((i) => ({ ...i, hidden: false }));
    expect((await expectAgreesWithSharp(buildHeif(spec))).frames).toBe(5);
  });
  it('tiles that do not cover the grid fail the decode, and are corrupt', async () => {
    const bytes = buildHeif(gridSpec(color, gridData(2, 2, 80, 40), ispe(80, 40)));
    expect(await sharpDecodes(bytes)).toBe(false);
    expect(failure(() => readHeader(src(bytes))).code).toBe('E_BAD_HEADER');
  });
  it('a grid whose ispe disagrees with its output size is corrupt', async () => {
    const bytes = buildHeif(gridSpec(color, gridData(2, 2, 62, 34), ispe(40, 20)));
    expect(await sharpDecodes(bytes)).toBe(false);
    expect(failure(() => readHeader(src(bytes))).code).toBe('E_BAD_HEADER');
  });
  it('a grid with fewer tiles than cells is corrupt', async () => {
    const spec = gridSpec(color);
    spec.refs = [['dimg', 1, [2, 3, 4]]];
    expect(await sharpDecodes(buildHeif(spec))).toBe(false);
    expect(failure(() => readHeader(src(buildHeif(spec)))).status).toBe('corrupt');
  });
  it('the primary item decides: a second, larger image is only a page', async () => {
    const spec: HeifSpec = {
      items: [
        { id: 1, type: 'av01', data: color },
        { id: 2, type: 'av01', data: color },
      ],
      props: [av1C(), ispe(31, 17), pixi(8, 8, 8)],
      assoc: [
        [
          1,
          [
            [1, true],
            [2, false],
            [3, false],
          ],
        ],
        [
          2,
          [
            [1, true],
            [2, false],
            [3, false],
          ],
        ],
      ],
    };
    expect((await expectAgreesWithSharp(buildHeif(spec))).frames).toBe(2);
    spec.refs = [['thmb', 2, [1]]];
    expect((await expectAgreesWithSharp(buildHeif(spec))).frames).toBe(1);
  });
  it('an identity (iden) item with irot over an AV1 image', async () => {
    const spec: HeifSpec = {
      items: [
        { id: 1, type: 'iden', data: new Uint8Array(0) },
        { id: 2, type: 'av01', data: color, hidden: true },
      ],
      props: [av1C(), ispe(31, 17), pixi(8, 8, 8), irot(1)],
      assoc: [
        [
          1,
          [
            [2, false],
            [4, true],
          ],
        ],
        [
          2,
          [
            [1, true],
            [2, false],
            [3, false],
          ],
        ],
      ],
      refs: [['dimg', 1, [2]]],
    };
    const h = await expectAgreesWithSharp(buildHeif(spec));
    expect([h.width, h.height]).toEqual([17, 31]);
  });

  describe('brands', () => {
    it('libheif needs a compatible brand it reads: a bare major brand is unsupported', async () => {
      const bytes = buildHeif(single([], { compat: [] }));
      await expect(sharp(Buffer.from(bytes)).metadata()).rejects.toThrow();
      expect(failure(() => readHeader(src(bytes))).status).toBe('unsupported');
    });
    it("libvips does not open the major brand 'avis'", async () => {
      const bytes = buildHeif(single([], { major: 'avis', compat: ['avis', 'mif1'] }));
      await expect(sharp(Buffer.from(bytes)).metadata()).rejects.toThrow();
      expect(failure(() => readHeader(src(bytes))).code).toBe('E_UNSUPPORTED_FORMAT');
    });
    it("major 'heic' with an AV1 item decodes as AVIF", async () => {
      await expectAgreesWithSharp(buildHeif(single([], { major: 'heic', compat: ['heic'] })));
    });
    it('a sequence brand without a moov box is corrupt', async () => {
      const bytes = buildHeif(single([], { compat: ['mif1', 'msf1'] }));
      await expect(sharp(Buffer.from(bytes)).metadata()).rejects.toThrow();
      expect(failure(() => readHeader(src(bytes))).status).toBe('corrupt');
    });
    it('an MP4 video is not an image', () => {
      const mp4 = concat(
        box('ftyp', text('isom'), be32(512), text('isomiso2mp41')),
        box('moov'),
        box('mdat', new Uint8Array(10)),
      );
      expect(failure(() => readHeader(src(mp4))).code).toBe('E_NOT_IMAGE');
    });
  });

  describe('HEVC is recognised, and reported unsupported', () => {
    const hvcC = box('hvcC', new Uint8Array(23));
    it('an hvc1 primary item', () => {
      const bytes = buildHeif({
        major: 'heic',
        compat: ['mif1', 'heic'],
        items: [{ id: 1, type: 'hvc1', data: color }],
        props: [hvcC, ispe(31, 17)],
        assoc: [
          [
            1,
            [
              [1, true],
              [2, false],
            ],
          ],
        ],
      });
      const f = failure(() => readHeader(src(bytes)));
      expect([f.code, f.format]).toEqual(['E_UNSUPPORTED_FORMAT', 'heic']);
    });
    it('a grid of hvc1 tiles', () => {
      const spec = gridSpec(color);
      spec.items = spec.items.map((i) => (i.type === 'av01' ? { ...i, type: 'hvc1' } : i));
      const f = failure(() => readHeader(src(buildHeif(spec))));
      expect([f.code, f.format]).toEqual(['E_UNSUPPORTED_FORMAT', 'heic']);
    });
  });

  describe('truncated', () => {
    it('every cut at a box boundary, and every byte of a small file, is corrupt', async () => {
      const files = [
        buildHeif(alphaSpec()),
        buildHeif(gridSpec(color)),
        await solid(8, 8, 3, '#000').avif().toBuffer(),
      ];
      for (const file of files) {
        const cuts = new Set([
          ...boxBoundaries(file),
          ...Array.from({ length: Math.min(file.length, 400) }, (_, i) => i),
        ]);
        for (const cut of [...cuts].filter((n) => n >= 8 && n < file.length)) {
          const f = failure(() => readHeader(src(file.subarray(0, cut))));
          expect(f.status, `cut at ${cut}`).toBe('corrupt');
        }
      }
    });
  });

  describe('hostile', () => {
    const corrupt = (bytes: Uint8Array, code?: string) => {
      const f = failure(() => readHeader(src(bytes)));
      expect(f.status).toBe('corrupt');
      if (code) expect(f.code).toBe(code);
    };
    it('zero, missing and 2^32-1 sizes', () => {
      corrupt(buildHeif({ ...single(), props: [av1C(), ispe(0, 17), pixi(8)] }), 'E_DIMENSIONS');
      corrupt(
        buildHeif({
          ...single(),
          props: [av1C(), pixi(8)],
          assoc: [
            [
              1,
              [
                [1, true],
                [2, false],
              ],
            ],
          ],
        }),
        'E_DIMENSIONS',
      );
      corrupt(buildHeif({ ...single(), props: [av1C(), ispe(0xffffffff, 0xffffffff), pixi(8)] }), 'E_DIMENSIONS');
    });
    it('the largest size libvips accepts is estimated exactly', () => {
      const h = readHeader(
        src(
          buildHeif({
            ...alphaSpec(),
            props: [av1C(12), ispe(0x7fffffff, 0x7fffffff), pixi(12), av1C(12), pixi(12), auxC()],
          }),
        ),
      );
      expect(estimate(h).decodedBytes).toBe(0x7fffffffn * 0x7fffffffn * 4n * 2n);
    });
    it('a box smaller than its header, and a child overrunning its parent', () => {
      const ok = buildHeif(single());
      const at = Buffer.from(ok).indexOf('iinf') - 4;
      const small = Uint8Array.from(ok);
      small.set(be32(4), at);
      corrupt(small, 'E_BAD_HEADER');
      const over = Uint8Array.from(ok);
      over.set(be32(5000), at);
      corrupt(over, 'E_BAD_HEADER');
    });
    it('a size-0 box runs to the end of its container', async () => {
      const ok = buildHeif(single());
      const mdat = Buffer.from(ok).lastIndexOf('mdat') - 4;
      const zero = Uint8Array.from(ok);
      zero.set(be32(0), mdat);
      expect(readHeader(src(zero)).width).toBe((await sharpTruth(Buffer.from(zero))).width);
      const ipco = Uint8Array.from(ok);
      ipco.set(be32(0), Buffer.from(ok).indexOf('ipco') - 4); // swallows ipma: no sizes left
      corrupt(ipco);
    });
    it('a 64-bit box size beyond the file is truncated', () => {
      const huge = concat(be32(1), text('mdat'), be32(0x100), be32(0), new Uint8Array(8));
      corrupt(buildHeif(single([], { extraTop: [huge] })), 'E_TRUNCATED');
    });
    it('an ipma entry count storm is refused before walking', () => {
      const bytes = buildHeif(single());
      const at = Buffer.from(bytes).indexOf('ipma') + 8;
      const storm = Uint8Array.from(bytes);
      storm.set(be32(0xffffffff), at);
      corrupt(storm, 'E_BAD_HEADER');
    });
    it('an iref count storm is refused', () => {
      const spec = alphaSpec();
      const bytes = buildHeif(spec);
      const at = Buffer.from(bytes).indexOf('auxl') + 6;
      const storm = Uint8Array.from(bytes);
      storm.set([0xff, 0xff], at);
      corrupt(storm, 'E_BAD_HEADER');
    });
    it('an item count storm is ended', () => {
      const items = Array.from({ length: 1500 }, (_, i) => ({ id: i + 1, type: 'av01', data: color.subarray(0, 1) }));
      corrupt(buildHeif({ ...single(), items }), 'E_HEADER_TOO_LARGE');
    });
    it('a property storm is ended', () => {
      const props = Array.from({ length: 12000 }, () => box('free'));
      corrupt(buildHeif({ ...single(), props: [av1C(), ispe(31, 17), ...props] }), 'E_STRUCTURE_LOOP');
    });
    it('iref loops: a grid of itself, an identity of itself', () => {
      const selfGrid: HeifSpec = {
        items: [{ id: 1, type: 'grid', data: gridData(1, 1, 31, 17) }],
        props: [ispe(31, 17)],
        assoc: [[1, [[1, false]]]],
        refs: [['dimg', 1, [1]]],
      };
      expect(failure(() => readHeader(src(buildHeif(selfGrid)))).status).not.toBe('ok');
      const selfIden: HeifSpec = { ...selfGrid, items: [{ id: 1, type: 'iden', data: new Uint8Array(0) }] };
      expect(failure(() => readHeader(src(buildHeif(selfIden)))).status).not.toBe('ok');
    });
    it('dangling references and primary items', () => {
      corrupt(buildHeif({ ...single(), primary: 9 }));
      corrupt(buildHeif({ ...single(), refs: [['thmb', 2, [1]]] }));
      corrupt(
        buildHeif({
          ...single(),
          assoc: [
            [
              1,
              [
                [1, true],
                [2, false],
                [9, false],
              ],
            ],
          ],
        }),
      );
      corrupt(buildHeif({ ...single(), items: [{ id: 1, type: 'av01', data: color, hidden: true }] }));
      corrupt(buildHeif({ ...single(), hdlr: null }));
    });
    it('clap with a zero denominator or zero size is corrupt', () => {
      corrupt(buildHeif(single([clap(20, 0, 10, 1)])), 'E_BAD_HEADER');
      corrupt(buildHeif(single([clap(1, 3, 10, 1)])), 'E_BAD_HEADER');
    });
    it('an unknown essential property is unsupported, a non-essential one ignored', () => {
      const unknown = box('zzzz', [1, 2, 3, 4]);
      expect(failure(() => readHeader(src(buildHeif(single([unknown]))))).code).toBe('E_UNSUPPORTED_FEATURE');
      const spec = single([unknown]);
      spec.assoc = [
        [
          1,
          [
            [1, true],
            [2, false],
            [3, false],
            [4, false],
          ],
        ],
      ];
      expect(readHeader(src(buildHeif(spec))).width).toBe(31);
    });
    it('an auxiliary image without auxC is corrupt', () => {
      const spec = alphaSpec();
      spec.assoc = [
        [
          1,
          [
            [1, true],
            [2, false],
            [3, false],
          ],
        ],
        [
          2,
          [
            [4, true],
            [2, false],
            [5, false],
          ],
        ],
      ];
      corrupt(buildHeif(spec));
    });
    it('random damage never crashes', () => {
      const base = buildHeif(alphaSpec());
      let seed = 7;
      const rnd = () => {
        seed = (seed * 1103515245 + 12345) >>> 0;
        return (seed >>> 8) / 2 ** 24;
      };
      for (let n = 0; n < 2000; n++) {
        const b = Uint8Array.from(base);
        for (let k = 0; k < 4; k++) b[8 + Math.floor(rnd() * (b.length - 8))] = Math.floor(rnd() * 256);
        try {
          const h = readHeader(src(b));
          expect(h.width).toBeGreaterThan(0);
        } catch (e) {
          expect(e).toBeInstanceOf(ProbeFailure);
        }
      }
    });
  });
});

describe('readHeifHeader: ftyp box itself', () => {
  it('a ftyp shorter than its brands is corrupt', () => {
    expect(failure(() => readHeader(src(concat(be32(12), text('ftyp'), text('avif'))))).status).toBe('corrupt');
  });
});
