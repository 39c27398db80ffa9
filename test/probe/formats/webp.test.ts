import { describe, expect, it } from 'vitest';
import { readWebpHeader } from '../../../src/probe/formats/webp.js';
import { readHeader } from '../../../src/probe/detect.js';
import { estimate } from '../../../src/estimate/size.js';
import { bufferSource } from '../../../src/probe/source.js';
import { concat, le16, le32, mutants, src, text } from '../../helpers/bytes.js';
import { sharp, sharpTruth, sharpMeta } from '../../helpers/sharp.js';
import { failure } from '../../helpers/failure.js';
import { agreesWithSharp as agree } from '../../helpers/agree.js';

// Hand-made RIFF/WebP pieces (RFC 9649).
const le24 = (n: number): number[] => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255];
function chunk(type: string, data: ArrayLike<number>): Uint8Array {
  return concat(text(type), le32(data.length), data, data.length & 1 ? [0] : []);
}
function riff(...chunks: Uint8Array[]): Uint8Array {
  const body = concat(text('WEBP'), ...chunks);
  return concat(text('RIFF'), le32(body.length), body);
}
/** A VP8 key frame header (RFC 6386 §9.1): shown, profile 0, first partition of 0 bytes. */
const vp8 = (w: number, h: number): Uint8Array => chunk('VP8 ', [0x10, 0, 0, 0x9d, 0x01, 0x2a, ...le16(w), ...le16(h)]);
function vp8l(w: number, h: number, alpha: boolean): Uint8Array {
  const bits = ((w - 1) | ((h - 1) << 14) | ((alpha ? 1 : 0) << 28)) >>> 0;
  return chunk('VP8L', [0x2f, ...le32(bits)]);
}
const vp8x = (flags: number, w: number, h: number): Uint8Array =>
  chunk('VP8X', [flags, 0, 0, 0, ...le24(w - 1), ...le24(h - 1)]);
const anmf = (x: number, y: number, w: number, h: number, ...sub: Uint8Array[]): Uint8Array =>
  chunk('ANMF', concat(le24(x / 2), le24(y / 2), le24(w - 1), le24(h - 1), le24(100), [0], ...sub));
const ANIM = chunk('ANIM', [0, 0, 0, 0, 0, 0]);

const agreesWithSharp = (bytes: Uint8Array): Promise<void> => agree(readWebpHeader, bytes);

const rgb = () => sharp({ create: { width: 31, height: 17, channels: 3, background: '#336699' } });
const rgba = () => sharp({ create: { width: 31, height: 17, channels: 4, background: '#33669980' } });
const anim = (channels: 3 | 4, background: string) =>
  sharp({
    create: {
      width: 16,
      height: 48,
      channels,
      background,
      pageHeight: 16,
      noise: { type: 'gaussian', mean: 100, sigma: 30 },
    },
  });

describe('readWebpHeader: valid images agree with sharp', () => {
  const cases: [string, () => Promise<Buffer>][] = [
    ['lossy', () => rgb().webp().toBuffer()],
    ['lossless', () => rgb().webp({ lossless: true }).toBuffer()],
    ['lossy with alpha (VP8X + ALPH)', () => rgba().webp().toBuffer()],
    ['lossless with alpha (VP8L alpha hint)', () => rgba().webp({ lossless: true }).toBuffer()],
    [
      'lossless, opaque 4-band input',
      () =>
        sharp({ create: { width: 9, height: 9, channels: 4, background: '#123456ff' } })
          .webp({ lossless: true })
          .toBuffer(),
    ],
    ['EXIF orientation 6', () => rgb().webp().withMetadata({ orientation: 6 }).toBuffer()],
    ['ICC profile', () => rgb().webp().withIccProfile('p3').toBuffer()],
    ['animated, opaque', () => anim(3, '#808080').webp().toBuffer()],
    ['animated, transparent', () => anim(4, '#80808080').webp().toBuffer()],
    ['animated, lossless', () => anim(4, '#80808080').webp({ lossless: true }).toBuffer()],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      const bytes = await make();
      const header = readHeader(src(bytes));
      const truth = await sharpTruth(bytes);
      expect(header.format).toBe('webp');
      expect([header.width, header.height, header.channels, header.bitsPerSample, header.frames]).toEqual([
        truth.width,
        truth.height,
        truth.channels,
        truth.bitsPerSample,
        truth.pages,
      ]);
      expect(header.orientation).toBe(truth.orientation);
      expect(Number(estimate(header).decodedBytes)).toBe(truth.decodedBytes);
    });
  }
});

describe('readWebpHeader: libvips band rules (checked against sharp)', () => {
  const cases: [string, Uint8Array][] = [
    ['simple VP8', riff(vp8(40, 30))],
    ['simple VP8L, no alpha hint', riff(vp8l(40, 30, false))],
    ['simple VP8L, alpha hint', riff(vp8l(40, 30, true))],
    ['VP8X alpha flag without ALPH gives 4', riff(vp8x(0x10, 40, 30), vp8(40, 30))],
    ['ALPH without the VP8X alpha flag gives 3', riff(vp8x(0, 40, 30), chunk('ALPH', [0]), vp8(40, 30))],
    ['VP8X still larger than its bitstream fails', riff(vp8x(0, 41, 30), vp8(40, 30))],
    [
      'animation: opaque full frames give 3',
      riff(vp8x(0x02, 8, 8), ANIM, anmf(0, 0, 8, 8, vp8(8, 8)), anmf(0, 0, 8, 8, vp8(8, 8))),
    ],
    [
      'animation: a smaller frame gives 4',
      riff(vp8x(0x02, 8, 8), ANIM, anmf(0, 0, 8, 8, vp8(8, 8)), anmf(2, 2, 4, 4, vp8(4, 4))),
    ],
    [
      'animation: an ALPH frame gives 4',
      riff(vp8x(0x02, 8, 8), ANIM, anmf(0, 0, 8, 8, vp8(8, 8)), anmf(0, 0, 8, 8, chunk('ALPH', [0]), vp8(8, 8))),
    ],
    ['animation: a VP8L alpha-hint frame gives 4', riff(vp8x(0x02, 8, 8), ANIM, anmf(0, 0, 8, 8, vp8l(8, 8, true)))],
    ['animation: the alpha flag gives 4', riff(vp8x(0x12, 8, 8), ANIM, anmf(0, 0, 8, 8, vp8(8, 8)))],
    [
      'animation: frame size comes from the bitstream, not ANMF',
      riff(vp8x(0x02, 8, 8), ANIM, anmf(0, 0, 200, 300, vp8(8, 8))),
    ],
    [
      'animation: a frame without an image is dropped',
      riff(vp8x(0x02, 8, 8), ANIM, anmf(0, 0, 8, 8, vp8(8, 8)), anmf(0, 0, 8, 8, chunk('XYZW', [1, 2]))),
    ],
    [
      'animation: ALPH before VP8L fails',
      riff(vp8x(0x02, 8, 8), ANIM, anmf(0, 0, 8, 8, chunk('ALPH', [0]), vp8l(8, 8, false))),
    ],
    [
      'animation: frames nested after an image count, as libwebp reads them',
      riff(
        vp8x(0x02, 8, 8),
        ANIM,
        anmf(0, 0, 8, 8, vp8(8, 8), anmf(0, 0, 4, 4, vp8(4, 4)), anmf(0, 0, 4, 4, vp8(4, 4))),
      ),
    ],
    [
      'animation: an unknown sub-chunk after the image is fine',
      riff(vp8x(0x02, 8, 8), ANIM, anmf(0, 0, 8, 8, vp8(8, 8), chunk('XYZW', [1, 2, 3, 4]))),
    ],
    [
      'animation: ALPH without an image fails',
      riff(vp8x(0x02, 8, 8), ANIM, anmf(0, 0, 8, 8, vp8(8, 8)), anmf(0, 0, 8, 8, chunk('ALPH', [0]))),
    ],
    [
      'animation: ALPH after the image fails',
      riff(vp8x(0x02, 8, 8), ANIM, anmf(0, 0, 8, 8, vp8(8, 8), chunk('ALPH', [0]))),
    ],
    ['animation: two images in a frame fail', riff(vp8x(0x02, 8, 8), ANIM, anmf(0, 0, 8, 8, vp8(8, 8), vp8(8, 8)))],
    ['animation: ANMF before ANIM fails', riff(vp8x(0x02, 8, 8), anmf(0, 0, 8, 8, vp8(8, 8)), ANIM)],
    ['animation: a short ANIM fails', riff(vp8x(0x02, 8, 8), chunk('ANIM', [0, 0, 0, 0]), anmf(0, 0, 8, 8, vp8(8, 8)))],
    ['animation: a top-level image fails', riff(vp8x(0x02, 8, 8), ANIM, anmf(0, 0, 8, 8, vp8(8, 8)), vp8(8, 8))],
    [
      'animation: frame sub-chunks past the ANMF size fail',
      (() => {
        const b = riff(vp8x(0x02, 8, 8), ANIM, anmf(0, 0, 8, 8, vp8(8, 8)), anmf(0, 0, 8, 8, vp8(8, 8)));
        b.set(le32(20), 48);
        return b;
      })(),
    ],
    ['still: two images fail', riff(vp8x(0, 8, 8), vp8(8, 8), vp8(8, 8))],
    ['still: ALPH before VP8L fails', riff(vp8x(0, 8, 8), chunk('ALPH', [0]), vp8l(8, 8, false))],
    ['still: an image after ANIM fails', riff(vp8x(0, 8, 8), ANIM, anmf(0, 0, 8, 8, vp8(8, 8)), vp8(8, 8))],
    ['still: ANIM after the image is ignored', riff(vp8x(0, 8, 8), vp8(8, 8), ANIM, anmf(0, 0, 8, 8, vp8(8, 8)))],
    ['a second VP8X fails', riff(vp8x(0, 8, 8), vp8x(0, 8, 8), vp8(8, 8))],
    ['simple: chunks after the image are ignored', riff(vp8(8, 8), vp8(8, 8), anmf(0, 0, 8, 8, vp8(8, 8)))],
    ['reserved VP8X flags fail', riff(vp8x(0x80, 40, 30), vp8(40, 30))],
    ['stray bytes at the end of the RIFF fail', riff(vp8(40, 30), new Uint8Array([1, 2]))],
    ['an empty chunk after the image is fine', riff(vp8(40, 30), chunk('\0\0\0\0', []))],
    ['animation: a frame outside the canvas fails', riff(vp8x(0x02, 8, 8), ANIM, anmf(2, 0, 8, 8, vp8(8, 8)))],
    ['trailing bytes after the RIFF are ignored', concat(riff(vp8(40, 30)), [1, 2, 3, 4])],
  ];
  for (const [name, bytes] of cases) it(name, () => agreesWithSharp(bytes));

  it('reads EXIF orientation only when the VP8X EXIF flag is set', async () => {
    const bytes = Buffer.from(await rgb().webp().withMetadata({ orientation: 6 }).toBuffer());
    expect(readWebpHeader(src(bytes)).orientation).toBe(6);
    bytes[20] = bytes[20]! & ~0x08;
    expect(readWebpHeader(src(bytes)).orientation).toBe((await sharp(bytes).metadata()).orientation);
  });
});

describe('readWebpHeader: truncated', () => {
  it('every prefix of a still is corrupt, as in sharp', async () => {
    const bytes = await rgba().webp().toBuffer();
    for (let n = 12; n < bytes.length; n++) {
      expect(await sharpMeta(bytes.subarray(0, n))).toBeNull();
      expect(failure(() => readHeader(src(bytes.subarray(0, n)))).status).toBe('corrupt');
    }
  });
  it('every prefix of an animation is corrupt', async () => {
    const bytes = await anim(4, '#80808080').webp().toBuffer();
    for (let n = 12; n < bytes.length; n++) {
      expect(failure(() => readWebpHeader(src(bytes.subarray(0, n)))).status).toBe('corrupt');
    }
    expect(await sharpMeta(bytes.subarray(0, bytes.length - 1))).toBeNull();
  });
});

describe('readWebpHeader: hostile', () => {
  const patch = (bytes: Uint8Array, at: number, value: number[]): Uint8Array => {
    const out = Uint8Array.from(bytes);
    out.set(value, at);
    return out;
  };
  it('rejects zero VP8 dimensions', () => {
    expect(failure(() => readWebpHeader(src(riff(vp8(0, 30))))).code).toBe('E_DIMENSIONS');
  });
  it('RIFF size 0xFFFFFFFF is a truncation', async () => {
    const bad = patch(riff(vp8(4, 4)), 4, le32(0xffffffff));
    await agreesWithSharp(bad);
    expect(failure(() => readWebpHeader(src(bad))).code).toBe('E_TRUNCATED');
  });
  it('RIFF size 0 fails', async () => {
    const bad = patch(riff(vp8(4, 4)), 4, le32(0));
    await agreesWithSharp(bad);
    expect(failure(() => readWebpHeader(src(bad))).code).toBe('E_BAD_HEADER');
  });
  it('a chunk size past the RIFF fails', async () => {
    const bad = patch(riff(vp8x(0, 4, 4), chunk('ICCP', [1, 2]), vp8(4, 4)), 34, le32(1_000_000));
    await agreesWithSharp(bad);
    expect(failure(() => readWebpHeader(src(bad))).code).toBe('E_BAD_HEADER');
  });
  it('a 2^24 x 2^24 canvas is refused as libwebp does', async () => {
    const huge = riff(vp8x(0x02, 2 ** 24, 2 ** 24), ANIM, anmf(0, 0, 8, 8, vp8(8, 8)));
    await agreesWithSharp(huge);
    expect(failure(() => readWebpHeader(src(huge))).code).toBe('E_DIMENSIONS');
  });
  it('the largest canvas libvips loads is estimated exactly', async () => {
    const largest = riff(vp8x(0x12, 16383, 16383), ANIM, anmf(0, 0, 8, 8, vp8(8, 8)));
    await agreesWithSharp(largest);
    expect(estimate(readWebpHeader(src(largest))).decodedBytes).toBe(16383n * 16383n * 4n);
  });
  it('a side above 16383 is refused as libvips does', async () => {
    for (const bytes of [riff(vp8x(0x02, 16384, 8), ANIM, anmf(0, 0, 8, 8, vp8(8, 8))), riff(vp8l(16384, 10, false))]) {
      await agreesWithSharp(bytes);
      expect(failure(() => readWebpHeader(src(bytes))).code).toBe('E_DIMENSIONS');
    }
  });
  it('an animation without frames fails', async () => {
    const none = riff(vp8x(0x02, 8, 8), ANIM);
    await agreesWithSharp(none);
  });
  it('counts 100k frames with bounded reads', () => {
    const one = anmf(0, 0, 8, 8, vp8(8, 8));
    const frames = new Uint8Array(one.length * 100_000);
    for (let i = 0; i < 100_000; i++) frames.set(one, i * one.length);
    const bytes = riff(vp8x(0x02, 8, 8), ANIM, frames);
    const s = src(bytes);
    const h = readWebpHeader(s);
    expect([h.frames, h.channels]).toEqual([100_000, 3]);
    // Each window starts at a chunk boundary, so windows overlap a little; never a read per chunk.
    expect(s.bytesRead).toBeLessThan(bytes.length * 1.05);
  });
  it('a frame walk stopped by the read cap takes an upper bound', () => {
    const one = anmf(0, 0, 8, 8, vp8(8, 8));
    const frames = new Uint8Array(one.length * 10_000);
    for (let i = 0; i < 10_000; i++) frames.set(one, i * one.length);
    const s = bufferSource(riff(vp8x(0x02, 8, 8), ANIM, frames), { maxBytes: 50_000, maxReads: 4096 });
    const h = readWebpHeader(s);
    expect(h.frames).toBeGreaterThanOrEqual(10_000);
    expect(h.channels).toBe(4);
    expect(h.notes?.length).toBe(1);
  });
  it('skips a huge metadata chunk by seeking', () => {
    const bytes = riff(vp8x(0x10, 4, 4), chunk('XMP ', new Uint8Array(1_000_000)), vp8(4, 4));
    const s = src(bytes);
    expect(readWebpHeader(s).channels).toBe(4);
    expect(s.bytesRead).toBeLessThan(8192);
  });
  it('rejects a first chunk that is not an image or VP8X', () => {
    expect(failure(() => readWebpHeader(src(riff(chunk('ALPH', [0]), vp8(4, 4))))).code).toBe('E_BAD_HEADER');
  });
});

describe('readWebpHeader: random byte mutations agree with sharp', () => {
  it('300 mutants: same verdict, never a crash, never below sharp', async () => {
    const bytes = await anim(4, '#80808080').webp().toBuffer();
    for (const m of mutants(bytes, 300, 7)) await agreesWithSharp(m);
  });
});
