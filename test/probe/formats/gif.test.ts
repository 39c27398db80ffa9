import { describe, expect, it } from 'vitest';
import { readGifHeader } from '../../../src/probe/formats/gif.js';
import { readHeader } from '../../../src/probe/detect.js';
import { estimate } from '../../../src/estimate/size.js';
import { bufferSource } from '../../../src/probe/source.js';
import { concat, le16, mutants, src, text } from '../../helpers/bytes.js';
import { sharp, sharpTruth } from '../../helpers/sharp.js';
import { failure } from '../../helpers/failure.js';
import { agreesWithSharp as agree } from '../../helpers/agree.js';

// Hand-made GIF blocks (GIF89a §18-§27).
const screen = (w: number, h: number): number[] => [
  ...text('GIF89a'),
  ...le16(w),
  ...le16(h),
  0x80,
  0,
  0,
  0,
  0,
  0,
  255,
  255,
  255,
];
const gce = (transparent: boolean): number[] => [0x21, 0xf9, 4, transparent ? 1 : 0, 0, 0, 0, 0];
const comment = (s: string): number[] => [0x21, 0xfe, s.length, ...text(s), 0];
/** An image descriptor with a tiny valid LZW stream (clear, end) for code size 2. */
const frame = (x: number, y: number, w: number, h: number): number[] => [
  0x2c,
  ...le16(x),
  ...le16(y),
  ...le16(w),
  ...le16(h),
  0,
  2,
  2,
  0x4c,
  0x01,
  0,
];
const TRAILER = [0x3b];
const gif = (...parts: ArrayLike<number>[]): Uint8Array => concat(...parts);
/** `block` repeated `n` times, without spreading n arguments. */
function repeat(block: number[], n: number): Uint8Array {
  const out = new Uint8Array(block.length * n);
  for (let i = 0; i < n; i++) out.set(block, i * block.length);
  return out;
}

const agreesWithSharp = (bytes: Uint8Array): Promise<void> => agree(readGifHeader, bytes);

describe('readGifHeader: valid images agree with sharp', () => {
  const cases: [string, () => Promise<Buffer>][] = [
    [
      'rgb',
      () =>
        sharp({ create: { width: 31, height: 17, channels: 3, background: '#336699' } })
          .gif()
          .toBuffer(),
    ],
    [
      'transparent',
      () =>
        sharp({ create: { width: 20, height: 9, channels: 4, background: '#33669900' } })
          .gif()
          .toBuffer(),
    ],
    [
      'noise',
      () =>
        sharp({
          create: {
            width: 64,
            height: 48,
            channels: 3,
            background: '#000',
            noise: { type: 'gaussian', mean: 128, sigma: 40 },
          },
        })
          .gif()
          .toBuffer(),
    ],
    [
      'animated, opaque',
      () =>
        sharp({ create: { width: 12, height: 30, channels: 3, background: '#abcdef', pageHeight: 10 } })
          .gif()
          .toBuffer(),
    ],
    [
      'animated, transparent',
      () =>
        sharp({ create: { width: 12, height: 40, channels: 4, background: '#abcdef00', pageHeight: 10 } })
          .gif()
          .toBuffer(),
    ],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      const bytes = await make();
      const header = readHeader(src(bytes));
      const truth = await sharpTruth(bytes);
      expect(header.format).toBe('gif');
      expect([header.width, header.height, header.channels, header.bitsPerSample, header.frames]).toEqual([
        truth.width,
        truth.height,
        truth.channels,
        truth.bitsPerSample,
        truth.pages,
      ]);
      expect(Number(estimate(header).decodedBytes)).toBe(truth.decodedBytes);
    });
  }
});

describe('readGifHeader: libnsgif canvas and band rules (checked against sharp)', () => {
  const cases: [string, Uint8Array][] = [
    ['plain', gif(screen(10, 10), frame(0, 0, 10, 10), TRAILER)],
    ['the first frame enlarges the canvas', gif(screen(10, 10), frame(5, 3, 20, 30), TRAILER)],
    ['a later frame does not', gif(screen(10, 10), frame(0, 0, 10, 10), frame(0, 0, 50, 50), TRAILER)],
    ['640x480 screen is distrusted', gif(screen(640, 480), frame(0, 0, 10, 10), TRAILER)],
    ['640x512 screen is distrusted', gif(screen(640, 512), frame(0, 0, 10, 10), TRAILER)],
    ['1600x1200 screen is distrusted', gif(screen(1600, 1200), frame(2, 2, 10, 10), TRAILER)],
    ['1920x1080 screen is kept', gif(screen(1920, 1080), frame(0, 0, 10, 10), TRAILER)],
    ['2048 screen is kept', gif(screen(2048, 2048), frame(0, 0, 10, 10), TRAILER)],
    ['2049 screen is distrusted', gif(screen(2049, 10), frame(0, 0, 10, 10), TRAILER)],
    ['zero screen', gif(screen(0, 10), frame(0, 0, 10, 10), TRAILER)],
    ['zero screen and zero frame', gif(screen(0, 0), frame(0, 0, 0, 0), TRAILER)],
    [
      'transparency on a later frame gives 4 bands',
      gif(screen(10, 10), frame(0, 0, 10, 10), gce(true), frame(0, 0, 10, 10), TRAILER),
    ],
    ['an opaque control extension gives 3', gif(screen(10, 10), gce(false), frame(0, 0, 10, 10), TRAILER)],
    ['a control extension without a frame is ignored', gif(screen(10, 10), frame(0, 0, 10, 10), gce(true), TRAILER)],
    [
      'flags are read whatever the block size',
      gif(screen(10, 10), [0x21, 0xf9, 1, 1, 0], frame(0, 0, 10, 10), TRAILER),
    ],
    [
      'other extensions are skipped',
      gif(
        screen(10, 10),
        [0x21, 0xff, 11, ...text('NETSCAPE2.0'), 3, 1, 0, 0, 0],
        comment('hi'),
        frame(0, 0, 10, 10),
        TRAILER,
      ),
    ],
    [
      'a local colour table',
      gif(screen(10, 10), [0x2c, 0, 0, 0, 0, 10, 0, 10, 0, 0x80, 0, 0, 0, 9, 9, 9, 2, 2, 0x4c, 1, 0], TRAILER),
    ],
    ['no trailer', gif(screen(10, 10), frame(0, 0, 10, 10))],
    [
      'bytes after the trailer are ignored',
      gif(screen(10, 10), frame(0, 0, 10, 10), TRAILER, gce(true), frame(0, 0, 10, 10)),
    ],
    ['junk where a frame starts fails', gif(screen(10, 10), frame(0, 0, 10, 10), new Array(12).fill(0x55))],
    ['fewer than 10 junk bytes are the end of data', gif(screen(10, 10), frame(0, 0, 10, 10), new Array(9).fill(0x55))],
    [
      'LZW code size 12 fails',
      gif(screen(10, 10), frame(0, 0, 10, 10), [0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 12, 0], TRAILER),
    ],
    ['no frames fails', gif(screen(10, 10), TRAILER)],
    ['GIF87a', concat(text('GIF87a'), gif(screen(10, 10), gce(true), frame(0, 0, 10, 10), TRAILER).subarray(6))],
  ];
  for (const [name, bytes] of cases) it(name, () => agreesWithSharp(bytes));

  it('a 1x1 screen with a frame at (19000, 19000) is a 19500x19500 bomb', async () => {
    const bomb = gif(screen(1, 1), frame(19000, 19000, 500, 500), TRAILER);
    await agreesWithSharp(bomb);
    const h = readHeader(src(bomb));
    expect([h.width, h.height]).toEqual([19500, 19500]);
    expect(estimate(h).decodedBytes).toBe(19500n * 19500n * 3n);
  });
  it('the largest canvas: frame at 65535 of 65535', () => {
    const h = readGifHeader(src(gif(screen(65535, 65535), frame(65535, 65535, 65535, 65535), TRAILER)));
    expect([h.width, h.height]).toEqual([131070, 131070]);
  });
});

describe('readGifHeader: truncated', () => {
  const whole = gif(screen(10, 10), comment('abc'), frame(0, 0, 10, 10), gce(true), frame(0, 0, 10, 10), TRAILER);
  it('every prefix agrees with sharp (corrupt before the first complete frame, then the frames so far)', async () => {
    for (let n = 0; n <= whole.length; n++) {
      const cut = whole.subarray(0, n);
      if (n < 6) {
        // Too short to carry the signature: detection, not the reader, decides.
        expect(failure(() => readHeader(src(cut))).status).not.toBe('ok');
        continue;
      }
      await agreesWithSharp(cut).catch((e: unknown) => {
        throw new Error(`prefix of ${n} bytes: ${String(e)}`);
      });
    }
  });
  it('a cut inside a later frame keeps it and its transparency, as sharp does', async () => {
    const second = [0x2c, 0, 0, 0, 0, 10, 0, 10, 0, 0, 2, 1, 0x4c, 1, 0x01, 2, 0, 0, 0];
    const bytes = gif(screen(10, 10), frame(0, 0, 10, 10), gce(true), second, TRAILER);
    const start = bytes.length - second.length - 1;
    for (let n = start; n <= bytes.length; n++) await agreesWithSharp(bytes.subarray(0, n));
    expect(readGifHeader(src(bytes.subarray(0, start + 13))).channels).toBe(4);
  });
  it('a file cut inside the first frame is E_TRUNCATED', () => {
    const cut = gif(screen(10, 10), frame(0, 0, 10, 10)).subarray(0, 30);
    expect(failure(() => readGifHeader(src(cut))).code).toBe('E_TRUNCATED');
  });
});

describe('readGifHeader: hostile', () => {
  it('ends an endless extension chain at the end of the file', () => {
    const f = failure(() => readGifHeader(src(gif(screen(4, 4), repeat(comment('x'), 100_000)))));
    expect(f.code).toBe('E_TRUNCATED');
  });
  it('counts 100k frames with few reads', () => {
    const bytes = gif(screen(4, 4), repeat(frame(0, 0, 4, 4), 100_000), TRAILER);
    const s = src(bytes);
    const h = readGifHeader(s);
    expect(h.frames).toBe(100_000);
    expect(s.bytesRead).toBeLessThanOrEqual(bytes.length + 64 * 1024);
  });
  it('a walk stopped by the byte cap keeps the canvas and takes upper bounds', () => {
    const bytes = gif(screen(4, 4), repeat(frame(0, 0, 4, 4), 20_000), TRAILER);
    const s = bufferSource(bytes, { maxBytes: 100_000, maxReads: 4096 });
    const h = readGifHeader(s);
    expect([h.width, h.height, h.channels]).toEqual([4, 4, 4]);
    expect(h.frames).toBeGreaterThanOrEqual(20_000);
    expect(h.notes?.length).toBe(1);
    expect(s.bytesRead).toBeLessThanOrEqual(100_000);
  });
  it('the cap before any frame is still a failure', () => {
    const s = bufferSource(gif(screen(4, 4), repeat(comment('x'), 50_000), frame(0, 0, 4, 4)), {
      maxBytes: 100_000,
      maxReads: 4096,
    });
    expect(failure(() => readGifHeader(s)).code).toBe('E_HEADER_TOO_LARGE');
  });
  it('a sub-block length past the end is the end of data', () => {
    const bytes = gif(screen(4, 4), frame(0, 0, 4, 4), [0x21, 0xfe, 255, 1, 2, 3]);
    expect(readGifHeader(src(bytes)).frames).toBe(1);
  });
  it('a global colour table past the end of the file', () => {
    const bytes = concat(text('GIF89a'), le16(4), le16(4), [0x87, 0, 0], [1, 2, 3]);
    expect(failure(() => readGifHeader(src(bytes))).code).toBe('E_TRUNCATED');
  });
});

describe('readGifHeader: random byte mutations agree with sharp', () => {
  it('300 mutants: same verdict, never a crash, never below sharp', async () => {
    const bytes = await sharp({
      create: { width: 12, height: 40, channels: 4, background: '#abcdef80', pageHeight: 10 },
    })
      .gif()
      .toBuffer();
    for (const m of mutants(bytes, 300, 7)) await agreesWithSharp(m);
  });
});
