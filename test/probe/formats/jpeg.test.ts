import { describe, expect, it } from 'vitest';
import { readJpegHeader } from '../../../src/probe/formats/jpeg.js';
import { readHeader } from '../../../src/probe/detect.js';
import { estimate } from '../../../src/estimate/size.js';
import { ProbeFailure } from '../../../src/probe/failure.js';
import { FIRST_READ, READ_AHEAD } from '../../../src/probe/source.js';
import { be16, concat, src, text } from '../../helpers/bytes.js';
import { sharp, sharpTruth } from '../../helpers/sharp.js';
import { failure } from '../../helpers/failure.js';

/** Whether sharp refuses the bytes: its metadata() or its default raw decode fails. */
async function sharpRefuses(bytes: Uint8Array): Promise<boolean> {
  try {
    await sharp(Buffer.from(bytes)).raw().toBuffer();
    return false;
  } catch {
    return true;
  }
}

// ---- JPEG builders (T.81 Annex B layouts) --------------------------------------------------

const SOI = [0xff, 0xd8];
const EOI = [0xff, 0xd9];

/** A marker segment: FF, code, 2-byte length (counting itself), payload. */
function seg(marker: number, payload: ArrayLike<number> = []): Uint8Array {
  return concat([0xff, marker], be16(payload.length + 2), payload);
}

/** A frame header for `n` components with ids 1..n. */
function sof(opts: {
  width: number;
  height: number;
  n?: number;
  marker?: number;
  precision?: number;
  sampling?: number;
}): Uint8Array {
  const n = opts.n ?? 3;
  const comps: number[] = [];
  for (let c = 0; c < n; c++) comps.push(c + 1, opts.sampling ?? 0x11, 0);
  return seg(opts.marker ?? 0xc0, [opts.precision ?? 8, ...be16(opts.height), ...be16(opts.width), n, ...comps]);
}

/** A scan header naming the given component ids. */
function sos(ids: number[] = [1, 2, 3]): Uint8Array {
  return seg(0xda, [ids.length, ...ids.flatMap((id) => [id, 0]), 0, 63, 0]);
}

/** A DQT defining 8-bit quantisation table `tq` with all entries 1. */
const dqt = (tq = 0): Uint8Array => seg(0xdb, [tq, ...new Uint8Array(64).fill(1)]);

/** A header-only JPEG: SOI, a DQT for table 0, the given segments, two bytes of data and EOI. */
function jpeg(...parts: ArrayLike<number>[]): Uint8Array {
  return concat(SOI, dqt(), ...parts, [0x00, 0x00], EOI);
}

/** Offset of the first marker `code` at the top level of a JPEG (SOI, then segments). */
function markerOffset(bytes: Uint8Array, code: number): number {
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i + 1] === code) return i;
    i += 2 + ((bytes[i + 2]! << 8) | bytes[i + 3]!);
  }
  throw new Error(`no marker ${code.toString(16)}`);
}

/** The first frame header's offset (any SOFn). */
function sofOffset(bytes: Uint8Array): number {
  for (const m of [0xc0, 0xc1, 0xc2]) {
    try {
      return markerOffset(bytes, m);
    } catch {
      /* try the next */
    }
  }
  throw new Error('no SOF');
}

function insertAt(bytes: Uint8Array, at: number, ...parts: ArrayLike<number>[]): Uint8Array {
  return concat(bytes.subarray(0, at), ...parts, bytes.subarray(at));
}

/** The whole segment starting at `at`. */
function segmentAt(bytes: Uint8Array, at: number): Uint8Array {
  return bytes.subarray(at, at + 2 + ((bytes[at + 2]! << 8) | bytes[at + 3]!));
}

/**
 * A sequential JPEG with `n` components, each coded in its own non-interleaved scan (T.81
 * §A.2.2), built from a 1-component sharp JPEG by reusing its tables and scan data for every
 * component. sharp cannot write 2- or 5-band JPEGs; this gives real, decodable ones.
 */
async function multiScan(n: number, before: Uint8Array[] = []): Promise<Uint8Array> {
  const grey = new Uint8Array(
    await sharp({ create: { width: 16, height: 8, channels: 3, background: '#808080' } })
      .toColourspace('b-w')
      .jpeg()
      .toBuffer(),
  );
  const start = sofOffset(grey);
  const scan = markerOffset(grey, 0xda);
  const tables: Uint8Array[] = [];
  for (let i = 2; i < scan; ) {
    const s = segmentAt(grey, i);
    if (s[1] === 0xdb || s[1] === 0xc4) tables.push(s);
    i += s.length;
  }
  const quant = grey[start + 12]!;
  const comps: number[] = [];
  for (let c = 0; c < n; c++) comps.push(c + 1, 0x11, quant);
  const frame = seg(0xc0, [8, ...be16(8), ...be16(16), n, ...comps]);
  const data = grey.subarray(scan + segmentAt(grey, scan).length, grey.length - 2);
  const scans: Uint8Array[] = [];
  for (let c = 0; c < n; c++) scans.push(seg(0xda, [1, c + 1, 0x00, 0, 63, 0]), data);
  return concat(SOI, ...before, ...tables, frame, ...scans, EOI);
}

const adobe = (transform: number): Uint8Array => seg(0xee, [...text('Adobe'), 0, 100, 0, 0, 0, 0, transform]);
const exifApp1 = (orientation: number, bigEndian = false): Uint8Array => {
  const r16 = bigEndian ? be16 : (n: number) => [n & 255, n >> 8];
  const r32 = bigEndian ? (n: number) => [0, 0, ...be16(n)] : (n: number) => [n & 255, n >> 8, 0, 0];
  const tiff = [
    ...text(bigEndian ? 'MM' : 'II'),
    ...r16(42),
    ...r32(8),
    ...r16(1),
    ...r16(0x0112),
    ...r16(3),
    ...r32(1),
    ...r16(orientation),
    0,
    0,
    ...r32(0),
  ];
  return seg(0xe1, [...text('Exif\0\0'), ...tiff]);
};

const rgb = (w = 31, h = 17) => sharp({ create: { width: w, height: h, channels: 3, background: '#336699' } });

// ---- valid images ---------------------------------------------------------------------------

async function agreesWithSharp(bytes: Uint8Array): Promise<void> {
  const header = readHeader(src(bytes));
  const truth = await sharpTruth(Buffer.from(bytes));
  expect(header.format).toBe('jpeg');
  expect([header.width, header.height, header.channels, header.bitsPerSample]).toEqual([
    truth.width,
    truth.height,
    truth.channels,
    truth.bitsPerSample,
  ]);
  expect(Number(estimate(header).decodedBytes)).toBe(truth.decodedBytes);
  expect(header.orientation).toBe(truth.orientation);
  expect(header.frames).toBe(1);
}

describe('readJpegHeader: valid images agree with sharp', () => {
  const cases: [string, () => Promise<Uint8Array>][] = [
    ['rgb baseline 4:2:0', async () => rgb().jpeg().toBuffer()],
    ['rgb 4:4:4', async () => rgb(8, 8).jpeg({ chromaSubsampling: '4:4:4' }).toBuffer()],
    ['grey (b-w, 1 band loads, 3 out)', async () => rgb(12, 5).toColourspace('b-w').jpeg().toBuffer()],
    ['progressive', async () => rgb(40, 30).jpeg({ progressive: true }).toBuffer()],
    ['progressive grey', async () => rgb(40, 30).toColourspace('b-w').jpeg({ progressive: true }).toBuffer()],
    ['CMYK with Adobe APP14 (4 bands load, 3 out)', async () => rgb(20, 9).toColourspace('cmyk').jpeg().toBuffer()],
    ['EXIF orientation 6', async () => rgb(20, 10).withMetadata({ orientation: 6 }).jpeg().toBuffer()],
    [
      'EXIF orientation 8 kept from the input',
      async () => {
        const input = await rgb(5, 3).withMetadata({ orientation: 8 }).jpeg().toBuffer();
        return sharp(input).keepExif().jpeg().toBuffer();
      },
    ],
    ['ICC profile (APP2)', async () => rgb(9, 9).withIccProfile('p3').jpeg().toBuffer()],
    ['2 components in separate scans', () => multiScan(2)],
    ['4 components without Adobe (CMYK)', () => multiScan(4)],
    ['4 components, Adobe transform 2 (YCCK)', () => multiScan(4, [adobe(2)])],
    ['3 components, Adobe transform 0 (RGB)', () => multiScan(3, [adobe(0)])],
  ];
  for (const [name, make] of cases) {
    it(name, async () => agreesWithSharp(new Uint8Array(await make())));
  }

  it('extended (SOF1) and arithmetic (SOF9) frame headers read like baseline', async () => {
    const base = new Uint8Array(await rgb(16, 8).jpeg().toBuffer());
    for (const marker of [0xc1, 0xc9]) {
      const bytes = base.slice();
      bytes[sofOffset(base) + 1] = marker;
      await agreesWithSharp(bytes);
    }
  });
});

describe('readJpegHeader: lossless', () => {
  it('an 8-bit lossless (SOF3) JPEG decodes in sharp and reads like it', async () => {
    // 8x8 grey, predictor 1: every difference is 0, coded by a one-code DC table ("0" = 0).
    const table = seg(0xc4, [0x00, 1, ...new Uint8Array(15), 0]);
    const frame = seg(0xc3, [8, ...be16(8), ...be16(8), 1, 1, 0x11, 0]);
    const scan = seg(0xda, [1, 1, 0x00, 1, 0, 0]);
    const bytes = concat(SOI, table, frame, scan, new Uint8Array(8), EOI);
    await agreesWithSharp(bytes);
    const twelve = bytes.slice();
    twelve[SOI.length + table.length + 4] = 12;
    expect(failure(() => readJpegHeader(src(twelve))).code).toBe('E_UNSUPPORTED_FEATURE');
    expect(await sharpRefuses(twelve)).toBe(true);
  });
});

describe('readJpegHeader: segments before the scan', () => {
  it('skips 1 MB of APP segments by seeking, reading a few KiB', async () => {
    const base = new Uint8Array(await rgb(16, 8).withMetadata({ orientation: 3 }).jpeg().toBuffer());
    const big: Uint8Array[] = [];
    for (let i = 0; i < 16; i++)
      big.push(seg(0xe2, concat(text('ICC_PROFILE\0'), [i + 1, 16], new Uint8Array(65533 - 14))));
    for (let i = 0; i < 4; i++) big.push(seg(0xe5 + i, new Uint8Array(65533)));
    const bytes = insertAt(base, 2, ...big);
    expect(bytes.length).toBeGreaterThan(1_000_000);
    const s = src(bytes);
    const h = readJpegHeader(s);
    // One first read, then one read-ahead per segment hopped (20), never the segments' bodies.
    expect(s.bytesRead).toBeLessThanOrEqual(FIRST_READ + 20 * READ_AHEAD);
    expect([h.width, h.height, h.orientation]).toEqual([16, 8, 3]);
    await agreesWithSharp(bytes);
  });

  it('passes over fill bytes and standalone markers (RSTn, TEM), as libjpeg does', async () => {
    const base = new Uint8Array(await rgb(16, 8).jpeg().toBuffer());
    const at = sofOffset(base);
    const bytes = insertAt(
      base,
      at,
      [0xff, 0xff, 0xff],
      [0xff, 0xd0, 0xff, 0xd7, 0xff, 0x01],
      new Uint8Array(1000).fill(0xff),
    );
    await agreesWithSharp(bytes);
  });

  it('reads EXIF after the frame header; the first APP1 starting "Exif" decides, as in libvips', async () => {
    const base = new Uint8Array(await rgb(16, 8).jpeg().toBuffer());
    const afterSof = sofOffset(base) + segmentAt(base, sofOffset(base)).length;
    const late = insertAt(base, afterSof, exifApp1(6, true));
    expect(readJpegHeader(src(late)).orientation).toBe(6);
    await agreesWithSharp(late);
    const twice = insertAt(base, 2, exifApp1(6), exifApp1(3, true));
    expect(readJpegHeader(src(twice)).orientation).toBe(6);
    await agreesWithSharp(twice);
    const xmpFirst = insertAt(base, 2, seg(0xe1, text('http://ns.adobe.com/xap/1.0/\0<x/>')), exifApp1(3));
    expect(readJpegHeader(src(xmpFirst)).orientation).toBe(3);
    await agreesWithSharp(xmpFirst);
    const brokenFirst = insertAt(base, 2, seg(0xe1, text('Exif\0XMM')), exifApp1(3));
    expect(readJpegHeader(src(brokenFirst)).orientation).toBeUndefined();
    await agreesWithSharp(brokenFirst);
  });

  it('a broken EXIF block leaves the orientation unset without failing', () => {
    const bad = seg(0xe1, [...text('Exif\0\0'), ...text('XX'), 42, 0, 8, 0, 0, 0]);
    const h = readJpegHeader(src(jpeg(bad, sof({ width: 2, height: 2 }), sos())));
    expect(h.orientation).toBeUndefined();
  });

  it('an APP segment with a length below 2 counts as empty, like libjpeg', async () => {
    const base = new Uint8Array(await rgb(16, 8).jpeg().toBuffer());
    const bytes = insertAt(base, sofOffset(base), [0xff, 0xe5, 0x00, 0x00], [0xff, 0xe6, 0x00, 0x01]);
    await agreesWithSharp(bytes);
  });

  it('an MPO / gain-map JPEG with an MPF APP2 counts one frame', () => {
    const mpf = seg(0xe2, [...text('MPF\0'), ...text('MM'), 0, 42, 0, 0, 0, 8]);
    const h = readJpegHeader(src(jpeg(mpf, sof({ width: 30, height: 20 }), sos())));
    expect([h.frames, h.width, h.height]).toEqual([1, 30, 20]);
  });
});

// ---- truncated ------------------------------------------------------------------------------

describe('readJpegHeader: truncated', () => {
  it('every cut before the end of the scan header is E_TRUNCATED, and sharp refuses it too', async () => {
    const base = new Uint8Array(await rgb(16, 8).withMetadata({ orientation: 6 }).jpeg().toBuffer());
    const scanEnd = markerOffset(base, 0xda) + segmentAt(base, markerOffset(base, 0xda)).length;
    for (let n = 0; n < scanEnd; n++) {
      const cut = base.subarray(0, n);
      const f = failure(() => readJpegHeader(src(cut)));
      expect([n, f.code]).toEqual([n, 'E_TRUNCATED']);
      expect(f.status).toBe('corrupt');
    }
    // sharp's own verdict at each structural boundary (segment starts and mid-segment cuts).
    for (let i = 2; i < scanEnd; ) {
      const len = segmentAt(base, i).length;
      for (const n of [i, i + 3, i + len - 1]) expect([n, await sharpRefuses(base.subarray(0, n))]).toEqual([n, true]);
      i += len;
    }
    // Cut right after the scan header: no image data at all, which sharp refuses too.
    const bare = base.subarray(0, scanEnd);
    expect(failure(() => readJpegHeader(src(bare))).message).toMatch(/ends right after the first scan header/);
    expect(await sharpRefuses(bare)).toBe(true);
    expect(readJpegHeader(src(base)).width).toBe(16);
  });

  it('a stream that ends before any frame header is E_TRUNCATED through readHeader', () => {
    const f = failure(() => readHeader(src(concat(SOI, seg(0xe0, text('JFIF\0'))))));
    expect([f.format, f.code, f.status]).toEqual(['jpeg', 'E_TRUNCATED', 'corrupt']);
  });

  it('a segment length pointing past the end of the file is E_TRUNCATED', async () => {
    const bytes = concat(SOI, [0xff, 0xe1, 0xff, 0xf0], text('Exif\0\0'), new Uint8Array(100));
    expect(failure(() => readJpegHeader(src(bytes))).code).toBe('E_TRUNCATED');
    expect(await sharpRefuses(bytes)).toBe(true);
  });
});

// ---- hostile --------------------------------------------------------------------------------

describe('readJpegHeader: hostile', () => {
  const refusedBoth = async (bytes: Uint8Array, code: string): Promise<void> => {
    expect(failure(() => readJpegHeader(src(bytes))).code).toBe(code);
    expect(await sharpRefuses(bytes)).toBe(true);
  };

  it('rejects zero width, zero components, and a zero height (DNL, unsupported by libjpeg)', async () => {
    await refusedBoth(jpeg(sof({ width: 0, height: 5 }), sos()), 'E_DIMENSIONS');
    await refusedBoth(jpeg(sof({ width: 5, height: 0 }), sos()), 'E_DIMENSIONS');
    await refusedBoth(jpeg(sof({ width: 5, height: 5, n: 0 }), sos()), 'E_DIMENSIONS');
  });

  it('rejects a scan header before the frame header', async () => {
    await refusedBoth(jpeg(sos(), sof({ width: 5, height: 5 })), 'E_BAD_HEADER');
  });

  it('rejects two frame headers, a second SOI, and EOI before the scan', async () => {
    await refusedBoth(jpeg(sof({ width: 5, height: 5 }), sof({ width: 5, height: 5 }), sos()), 'E_BAD_HEADER');
    await refusedBoth(jpeg(new Uint8Array(SOI), sof({ width: 5, height: 5 }), sos()), 'E_BAD_HEADER');
    await refusedBoth(concat(SOI, sof({ width: 5, height: 5 }), EOI, sos()), 'E_BAD_HEADER');
    await refusedBoth(concat(SOI, EOI), 'E_BAD_HEADER');
  });

  it('rejects frame and scan headers whose lengths lie', async () => {
    const frame = sof({ width: 5, height: 5 });
    const short = frame.slice();
    short[3] = frame[3]! - 3;
    await refusedBoth(jpeg(short, sos()), 'E_BAD_HEADER');
    const badScan = sos();
    badScan[3] = badScan[3]! + 2;
    await refusedBoth(jpeg(frame, badScan, [0, 0]), 'E_BAD_HEADER');
    await refusedBoth(jpeg(frame, sos([1, 2, 9])), 'E_BAD_HEADER');
    await refusedBoth(jpeg(seg(0xdd, []), frame, sos()), 'E_BAD_HEADER'); // DRI must be 4 bytes
  });

  it('rejects bad sampling factors and unknown markers', async () => {
    await refusedBoth(jpeg(sof({ width: 5, height: 5, sampling: 0x51 }), sos()), 'E_BAD_HEADER');
    await refusedBoth(jpeg(sof({ width: 5, height: 5, sampling: 0x10 }), sos()), 'E_BAD_HEADER');
    for (const m of [0x02, 0xde, 0xf0])
      await refusedBoth(jpeg(seg(m), sof({ width: 5, height: 5 }), sos()), 'E_BAD_HEADER');
  });

  it('rejects extraneous bytes where a marker belongs (sharp fails the decode on them)', async () => {
    const base = new Uint8Array(await rgb(16, 8).jpeg().toBuffer());
    await refusedBoth(insertAt(base, sofOffset(base), [1, 2, 3]), 'E_BAD_HEADER');
    await refusedBoth(insertAt(base, sofOffset(base), [0xff, 0x00]), 'E_BAD_HEADER');
  });

  it('ends a run of fill bytes beyond its bound', () => {
    const f = failure(() =>
      readJpegHeader(src(jpeg(new Uint8Array(100_000).fill(0xff), sof({ width: 5, height: 5 }), sos()))),
    );
    expect(f.status).toBe('corrupt');
    const s = src(concat(SOI, new Uint8Array(5_000_000).fill(0xff)));
    expect(failure(() => readJpegHeader(s)).status).toBe('corrupt');
    expect(s.bytesRead).toBeLessThan(100_000);
  });

  it('ends a storm of empty segments, including ones whose length is below 2', () => {
    for (const one of [seg(0xfe), new Uint8Array([0xff, 0xe3, 0, 0])]) {
      const storm = Array.from({ length: 5000 }, () => one);
      expect(failure(() => readJpegHeader(src(jpeg(...storm, sof({ width: 5, height: 5 }), sos())))).code).toBe(
        'E_STRUCTURE_LOOP',
      );
    }
  });

  it('12- and 16-bit samples are unsupported (sharp reads the header but cannot decode them)', async () => {
    for (const precision of [12, 16]) {
      const bytes = jpeg(sof({ width: 5, height: 5, precision }), sos());
      const f = failure(() => readJpegHeader(src(bytes)));
      expect([f.code, f.status]).toEqual(['E_UNSUPPORTED_FEATURE', 'unsupported']);
    }
    const base = new Uint8Array(await rgb(16, 8).jpeg().toBuffer());
    const twelve = base.slice();
    twelve[sofOffset(base) + 4] = 12;
    expect(failure(() => readJpegHeader(src(twelve))).code).toBe('E_UNSUPPORTED_FEATURE');
    expect(await sharpRefuses(twelve)).toBe(true);
    await refusedBoth(jpeg(sof({ width: 5, height: 5, precision: 9 }), sos()), 'E_BAD_HEADER');
  });

  it('hierarchical and lossless-arithmetic processes are unsupported', async () => {
    for (const marker of [0xc5, 0xc6, 0xc7, 0xc8, 0xcb, 0xcd, 0xce, 0xcf]) {
      const bytes = jpeg(sof({ width: 5, height: 5, marker }), sos());
      const f = failure(() => readJpegHeader(src(bytes)));
      expect([marker, f.code]).toEqual([marker, 'E_UNSUPPORTED_FEATURE']);
      expect(await sharpRefuses(bytes)).toBe(true);
    }
  });

  it('refuses more components than sharp opens, and more than libjpeg reads', async () => {
    const ids = (n: number) => Array.from({ length: Math.min(n, 4) }, (_, i) => i + 1);
    await refusedBoth(jpeg(sof({ width: 5, height: 5, n: 6 }), sos(ids(6))), 'E_UNSUPPORTED_FEATURE');
    // sharp reads a 5-component header but cannot decode the fifth component's scan.
    await refusedBoth(await multiScan(5), 'E_UNSUPPORTED_FEATURE');
    await refusedBoth(jpeg(sof({ width: 5, height: 5, n: 11 }), sos(ids(11))), 'E_BAD_HEADER');
  });

  it('the largest frame libjpeg accepts estimates exactly; one pixel more is refused', async () => {
    const h = readJpegHeader(src(jpeg(sof({ width: 65500, height: 65500, n: 4 }), sos([1, 2, 3, 4]))));
    expect(estimate(h).decodedBytes).toBe(65500n * 65500n * 4n);
    await refusedBoth(jpeg(sof({ width: 65501, height: 5 }), sos()), 'E_UNSUPPORTED_FEATURE');
  });

  it('rejects table segments libjpeg refuses: DQT/DHT indices, DHT counts and lengths, DAC', async () => {
    const frame = sof({ width: 5, height: 5 });
    await refusedBoth(jpeg(seg(0xdb, [4, ...new Uint8Array(64)]), frame, sos()), 'E_BAD_HEADER');
    await refusedBoth(jpeg(seg(0xdb, []).subarray(0, 2), [0, 1], frame, sos()), 'E_BAD_HEADER'); // DQT length 1
    const counts = new Uint8Array(16);
    counts[0] = 200;
    await refusedBoth(jpeg(seg(0xc4, [0x00, ...counts, 1, 2, 3]), frame, sos()), 'E_BAD_HEADER');
    await refusedBoth(jpeg(seg(0xc4, [0x24, ...new Uint8Array(16)]), frame, sos()), 'E_BAD_HEADER');
    await refusedBoth(jpeg(seg(0xc4, new Uint8Array(8)), frame, sos()), 'E_BAD_HEADER');
    await refusedBoth(jpeg(seg(0xcc, [0, 0x10, 1]), sof({ width: 5, height: 5, marker: 0xc9 }), sos()), 'E_BAD_HEADER');
    await refusedBoth(jpeg(seg(0xcc, [0, 0x01]), sof({ width: 5, height: 5, marker: 0xc9 }), sos()), 'E_BAD_HEADER');
  });

  it('DQT tables must be whole; 16-bit tables are read', async () => {
    const frame = sof({ width: 8, height: 8, n: 1 });
    await refusedBoth(
      concat(SOI, seg(0xdb, [0x00, ...new Uint8Array(10).fill(1)]), frame, sos([1]), [0, 0], EOI),
      'E_BAD_HEADER',
    );
    await refusedBoth(
      concat(SOI, seg(0xdb, [0x10, ...new Uint8Array(64).fill(1)]), frame, sos([1]), [0, 0], EOI),
      'E_BAD_HEADER',
    );
    const base = new Uint8Array(await rgb(16, 8).jpeg().toBuffer());
    await agreesWithSharp(insertAt(base, 2, seg(0xdb, [0x13, ...new Uint8Array(128).fill(1)])));
  });

  it('only a sequential scan falls back to the standard Huffman tables', async () => {
    const frame = (marker: number) => sof({ width: 8, height: 8, n: 1, marker });
    const data = new Uint8Array(8);
    await agreesWithSharp(concat(SOI, dqt(), frame(0xc0), seg(0xda, [1, 1, 0x00, 0, 63, 0]), data, EOI));
    await refusedBoth(concat(SOI, dqt(), frame(0xc2), seg(0xda, [1, 1, 0x00, 0, 0, 0]), data, EOI), 'E_BAD_HEADER');
    await refusedBoth(concat(SOI, frame(0xc3), seg(0xda, [1, 1, 0x00, 1, 0, 0]), data, EOI), 'E_BAD_HEADER');
  });

  it('rejects a first scan whose tables are undefined or whose parameters libjpeg refuses', async () => {
    const base = new Uint8Array(await rgb(16, 8).jpeg().toBuffer());
    const scan = markerOffset(base, 0xda);
    const patched = (f: (b: Uint8Array) => void): Uint8Array => {
      const b = base.slice();
      f(b);
      return b;
    };
    await refusedBoth(
      patched((b) => {
        b[sofOffset(base) + 12] = 3;
      }),
      'E_BAD_HEADER',
    ); // quant table 3
    await refusedBoth(
      patched((b) => {
        b[scan + 6] = 0x22;
      }),
      'E_BAD_HEADER',
    ); // Huffman tables 2
    await refusedBoth(
      patched((b) => {
        b[scan + 6] = 0xff;
      }),
      'E_BAD_HEADER',
    ); // Huffman tables 15
    await refusedBoth(
      patched((b) => {
        b[scan + 12] = 5;
      }),
      'E_BAD_HEADER',
    ); // Se = 5 in a sequential scan
    const prog = new Uint8Array(await rgb(16, 8).jpeg({ progressive: true }).toBuffer());
    const ps = markerOffset(prog, 0xda);
    const acFirst = prog.slice();
    acFirst[ps + 4 + 2 * prog[ps + 4]! + 1] = 1; // Ss = 1: an AC scan before any DC scan
    await refusedBoth(acFirst, 'E_BAD_HEADER');
    // Three components at 2x2 sampling interleave 12 blocks per MCU, above libjpeg's 10.
    await refusedBoth(jpeg(sof({ width: 16, height: 16, sampling: 0x22 }), sos()), 'E_BAD_HEADER');
  });

  it('refuses a Huffman table a scan uses when its codes overflow or a DC symbol exceeds 15', async () => {
    const frame = sof({ width: 8, height: 8, n: 1 });
    const bits = (counts: Record<number, number>): number[] => Array.from({ length: 16 }, (_, i) => counts[i + 1] ?? 0);
    // Two 1-bit codes would need the all-ones code "1" (T.81 §C.2).
    const overflow = seg(0xc4, [0x00, ...bits({ 1: 2 }), 0, 1]);
    await refusedBoth(jpeg(overflow, frame, sos([1])), 'E_BAD_HEADER');
    const bigSymbol = seg(0xc4, [0x00, ...bits({ 2: 1 }), 20]);
    await refusedBoth(jpeg(bigSymbol, frame, sos([1])), 'E_BAD_HEADER');
    // The same bad table in a slot no scan uses is harmless, as in libjpeg.
    const base = new Uint8Array(await rgb(16, 8).jpeg().toBuffer());
    const unused = insertAt(base, markerOffset(base, 0xda), seg(0xc4, [0x03, ...bits({ 1: 2 }), 0, 1]));
    await agreesWithSharp(unused);
  });

  it('a file that is not a JPEG is a bad signature', () => {
    expect(failure(() => readJpegHeader(src(new Uint8Array([0xff, 0xd9, 0xff])))).code).toBe('E_BAD_SIGNATURE');
  });
});

describe('readJpegHeader: mutated headers never crash', () => {
  it('2000 seeded mutations each give a Header or a ProbeFailure, with bounded reads', async () => {
    const base = new Uint8Array(
      await rgb(24, 16).withMetadata({ orientation: 5 }).withIccProfile('p3').jpeg().toBuffer(),
    );
    const scanEnd = markerOffset(base, 0xda) + 14;
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    let headers = 0;
    for (let i = 0; i < 2000; i++) {
      const bytes = base.slice(0, rand(4) === 0 ? rand(scanEnd) : base.length);
      for (let k = 0, flips = 1 + rand(4); k < flips && bytes.length > 0; k++) {
        bytes[rand(Math.min(bytes.length, scanEnd))] = rand(3) === 0 ? 0xff : rand(256);
      }
      const s = src(bytes);
      try {
        const h = readJpegHeader(s);
        expect(h.width).toBeGreaterThan(0);
        expect(h.height).toBeGreaterThan(0);
        expect([1, 2, 3, 4]).toContain(h.channels);
        headers++;
      } catch (e) {
        expect(e).toBeInstanceOf(ProbeFailure);
      }
      expect(s.bytesRead).toBeLessThan(70_000);
    }
    expect(headers).toBeGreaterThan(0);
  });
});

describe('readJpegHeader: decode hints from the frame header', () => {
  it("records progressive and each component's sampling factors, as sharp encoded them", async () => {
    const base = readJpegHeader(src(new Uint8Array(await rgb(40, 30).jpeg({ chromaSubsampling: '4:2:0' }).toBuffer())));
    expect([base.progressive, base.sampling]).toEqual([
      false,
      [
        [2, 2],
        [1, 1],
        [1, 1],
      ],
    ]);
    const full = readJpegHeader(
      src(new Uint8Array(await rgb(40, 30).jpeg({ progressive: true, chromaSubsampling: '4:4:4' }).toBuffer())),
    );
    expect([full.progressive, full.sampling]).toEqual([
      true,
      [
        [1, 1],
        [1, 1],
        [1, 1],
      ],
    ]);
  });

  it('reads them on the one walk: a JPEG with a 60 KB APP segment costs the same reads with them', () => {
    const bytes = jpeg(seg(0xe2, new Uint8Array(60_000)), sof({ width: 9, height: 7, n: 1, sampling: 0x21 }), sos([1]));
    const s = src(bytes);
    const h = readJpegHeader(s);
    expect([h.progressive, h.sampling]).toEqual([false, [[2, 1]]]);
    // The first read, and one hop over the segment to the frame and scan headers.
    expect(s.bytesRead).toBeLessThanOrEqual(FIRST_READ + READ_AHEAD);
  });
});
