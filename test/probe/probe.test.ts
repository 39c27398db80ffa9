import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSync } from '../../src/check.js';
import { probeSync } from '../../src/probe/probe.js';
import { concat, pngChunk } from '../helpers/bytes.js';
import { makeTiff, type TiffField } from '../helpers/tiff.js';
import { sharp, tempDir } from '../helpers/sharp.js';

/**
 * Structural triage: files sharp refuses are found from their structure, without decoding, each
 * with a reason naming what is wrong; files with unusual but legal structure stay ok. Every case
 * is checked against sharp itself with its default options: each flagged file fails its decode,
 * each ok file decodes.
 */

const { dir, cleanup } = tempDir();
afterAll(cleanup);

/** Seeded noise scaled up: compresses like a photo, so the data spans many bytes and markers. */
function photo(width: number, height: number, channels: 3 | 4 = 3) {
  const raw = Buffer.alloc(32 * 24 * channels);
  let s = 7;
  for (let i = 0; i < raw.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    raw[i] = s >>> 24;
  }
  return sharp(raw, { raw: { width: 32, height: 24, channels } }).resize(width, height, { kernel: 'cubic' });
}

interface PngChunk {
  type: string;
  data: Uint8Array;
}
function chunksOf(png: Buffer): PngChunk[] {
  const out: PngChunk[] = [];
  for (let o = 8; o < png.length; ) {
    const n = png.readUInt32BE(o);
    out.push({ type: png.toString('latin1', o + 4, o + 8), data: png.subarray(o + 8, o + 8 + n) });
    o += 12 + n;
  }
  return out;
}
const pngOf = (chunks: PngChunk[]): Buffer =>
  Buffer.from(concat(PNG_SIG, ...chunks.map((c) => pngChunk(c.type, c.data))));
const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** The CRC field of the first chunk of `type`, replaced. */
function badCrc(png: Buffer, type: string): Buffer {
  const b = Buffer.from(png);
  const at = b.indexOf(Buffer.from(type, 'latin1')) - 4;
  const crcAt = at + 8 + b.readUInt32BE(at);
  b.writeUInt32BE((b.readUInt32BE(crcAt) ^ 0xdeadbeef) >>> 0, crcAt);
  return b;
}

interface Case {
  name: string;
  bytes: Buffer;
  /** Expected without --structure: ok, or the code and a pattern of the reason. */
  header: 'ok' | [string, RegExp];
  /** Expected with --structure (defaults to `header`). */
  structure?: 'ok' | [string, RegExp];
}

const cases: Case[] = [];
const valid: { name: string; bytes: Buffer }[] = [];

beforeAll(async () => {
  // PNG: a palette image (PLTE), its data spread over many IDAT chunks.
  const png = await photo(300, 200).png({ palette: true }).toBuffer();
  const chunks = chunksOf(png);
  const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
  const head = chunks.filter((c) => c.type !== 'IDAT' && c.type !== 'IEND');
  const manyIdat: PngChunk[] = [];
  for (let i = 0; i < idat.length; i += 97) manyIdat.push({ type: 'IDAT', data: idat.subarray(i, i + 97) });
  const IEND = { type: 'IEND', data: new Uint8Array(0) };
  const many = pngOf([...head, ...manyIdat, IEND]);
  const text = { type: 'tEXt', data: Buffer.from('Comment\0x', 'latin1') };
  cases.push(
    { name: 'png-ihdr-crc.png', bytes: badCrc(many, 'IHDR'), header: ['E_BAD_HEADER', /IHDR chunk .* CRC/] },
    { name: 'png-plte-crc.png', bytes: badCrc(many, 'PLTE'), header: ['E_BAD_HEADER', /PLTE chunk .* CRC/] },
    {
      name: 'png-iend-before-idat.png',
      bytes: pngOf([...head, IEND, ...manyIdat]),
      header: ['E_BAD_HEADER', /IEND chunk .* before any image data/],
    },
    {
      name: 'png-unknown-critical.png',
      bytes: pngOf([...head, { type: 'ZZZZ', data: new Uint8Array(4) }, ...manyIdat, IEND]),
      header: ['E_BAD_HEADER', /unknown critical chunk "ZZZZ"/],
    },
    {
      name: 'png-first-idat-cut.png',
      bytes: pngOf([...head, { type: 'IDAT', data: idat }, IEND]).subarray(0, 2000),
      header: ['E_TRUNCATED', /image data is cut off: the IDAT chunk at byte \d+/],
    },
    {
      // Cut inside a later IDAT of the run: only the walk over the run sees it.
      name: 'png-idat-run-cut.png',
      bytes: many.subarray(0, many.length - 12 - 40),
      header: 'ok',
      structure: ['E_TRUNCATED', /image data is cut off: the IDAT chunk at byte \d+/],
    },
  );
  valid.push(
    { name: 'png-many-idat.png', bytes: many },
    { name: 'png-trailing.png', bytes: Buffer.concat([many, Buffer.from('trailing bytes after IEND')]) },
    { name: 'png-no-iend.png', bytes: pngOf([...head, ...manyIdat]) },
    { name: 'png-text-after-idat-no-iend.png', bytes: pngOf([...head, ...manyIdat, text]) },
    { name: 'png-bad-ancillary-crc.png', bytes: badCrc(pngOf([...head, text, ...manyIdat, IEND]), 'tEXt') },
  );

  // JPEG: baseline and progressive, 400×300, each over 4 KiB (the tail is not in the first read).
  for (const progressive of [false, true]) {
    const jpg = await photo(400, 300).jpeg({ quality: 90, progressive }).toBuffer();
    const kind = progressive ? 'progressive' : 'baseline';
    const sos = jpg.indexOf(Buffer.from([0xff, 0xda]));
    const scanData = sos + 2 + jpg.readUInt16BE(sos + 2);
    cases.push(
      {
        name: `jpeg-${kind}-no-scan-data.jpg`,
        bytes: jpg.subarray(0, scanData),
        header: ['E_TRUNCATED', /ends right after the first scan header/],
      },
      {
        name: `jpeg-${kind}-cut-in-first-scan.jpg`,
        bytes: jpg.subarray(0, scanData + 200),
        // Small enough to be read whole with the header: found without --structure too.
        header: ['E_TRUNCATED', /before the EOI marker .* cut off/],
      },
      {
        name: `jpeg-${kind}-cut.jpg`,
        bytes: jpg.subarray(0, Math.floor(jpg.length * 0.7)),
        header: 'ok',
        structure: ['E_TRUNCATED', /before the EOI marker .* cut off/],
      },
      {
        name: `jpeg-${kind}-no-eoi.jpg`,
        bytes: jpg.subarray(0, jpg.length - 2),
        header: 'ok',
        structure: ['E_TRUNCATED', /before the EOI marker .* cut off/],
      },
    );
    const mp4Box = (type: string, body: Buffer) => {
      const h = Buffer.alloc(8);
      h.writeUInt32BE(8 + body.length);
      h.write(type, 4, 'latin1');
      return Buffer.concat([h, body]);
    };
    const noise = Buffer.alloc(20000);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    const mp4 = Buffer.concat([
      mp4Box('ftyp', Buffer.from('mp42\0\0\0\0isommp42', 'latin1')),
      mp4Box('mdat', noise),
      mp4Box('moov', Buffer.alloc(500)),
    ]);
    valid.push(
      { name: `jpeg-${kind}.jpg`, bytes: jpg },
      // A motion photo: the JPEG, then the video (an MP4) after its EOI.
      { name: `jpeg-${kind}-motion-photo.jpg`, bytes: Buffer.concat([jpg, mp4]) },
      { name: `jpeg-${kind}-trailing-zeros.jpg`, bytes: Buffer.concat([jpg, Buffer.alloc(10000)]) },
      // A second JPEG after the first (MPO, gain maps), itself cut off: sharp reads the first.
      {
        name: `jpeg-${kind}-second-frame-cut.jpg`,
        bytes: Buffer.concat([jpg, jpg.subarray(0, Math.floor(jpg.length / 2))]),
      },
    );
  }
  // TIFF: 16×16 RGB, hand-made (uncompressed strips), and sharp's own encodings.
  const rgb = { width: 16, height: 16, samples: 3 };
  const tiff = (fields: TiffField[], extra: object = {}) =>
    Buffer.from(makeTiff({ pages: [{ ...rgb, ...extra, fields }] }).bytes);
  const size = makeTiff({ pages: [rgb] }).bytes.length;
  /** Four strips of 4 rows (192 bytes each) from byte 8, with the arrays given. */
  const strips = (offsets: number[], counts: number[]) =>
    tiff([
      { tag: 278, type: 4, values: [4] },
      { tag: 273, type: 4, values: offsets },
      { tag: 279, type: 4, values: counts },
    ]);
  const four = [8, 200, 392, 584];
  const tiles = (planar: number, n: number, counts = Array.from({ length: n }, () => 256 * (4 - planar))) =>
    tiff(
      [
        { tag: 284, type: 3, values: [planar] },
        { tag: 322, type: 3, values: [16] },
        { tag: 323, type: 3, values: [16] },
        { tag: 324, type: 4, values: Array.from({ length: n }, () => 8) },
        { tag: 325, type: 4, values: counts },
      ],
      { omit: [273, 278, 279] },
    );
  const unsupported = (code: number, why: RegExp): [string, RegExp] => [
    'E_UNSUPPORTED_FEATURE',
    new RegExp(`compression ${code} ${why.source}`),
  ];
  cases.push(
    {
      name: 'tiff-lzma.tif',
      bytes: tiff([], { compression: 34925 }),
      header: unsupported(34925, /\(LZMA\), which this build of libtiff does not decode/),
    },
    {
      name: 'tiff-old-jpeg.tif',
      bytes: tiff([], { compression: 6 }),
      header: unsupported(6, /\(old-style JPEG\)/),
    },
    { name: 'tiff-zstd.tif', bytes: tiff([], { compression: 50000 }), header: unsupported(50000, /\(ZSTD\)/) },
    {
      name: 'tiff-ccitt-8bit.tif',
      bytes: tiff([], { samples: 1, compression: 4, photometric: 0 }),
      header: ['E_UNSUPPORTED_FEATURE', /CCITT Group 4 compression of 8-bit samples/],
    },
    {
      name: 'tiff-tiled-separate.tif',
      bytes: tiles(2, 3),
      header: ['E_UNSUPPORTED_FEATURE', /tiles stored as separate planes/],
    },
    {
      name: 'tiff-strip-offset-past-end.tif',
      bytes: tiff([{ tag: 273, type: 4, values: [size + 100] }]),
      header: ['E_TRUNCATED', /strip 0 \(768 bytes at offset \d+\) runs past the end of the file/],
    },
    {
      name: 'tiff-strip-count-past-end.tif',
      bytes: strips(four, [192, 192, 192, 5000]),
      header: 'ok',
      structure: ['E_TRUNCATED', /strip 3 \(5000 bytes at offset 584\) runs past the end of the file/],
    },
    {
      name: 'tiff-tile-count-past-end.tif',
      bytes: tiles(1, 1, [99999]),
      header: ['E_TRUNCATED', /tile 0 \(99999 bytes at offset 8\) runs past the end/],
    },
    {
      name: 'tiff-too-few-offsets.tif',
      bytes: strips(four.slice(0, 3), [192, 192, 192]),
      header: ['E_BAD_HEADER', /StripOffsets has 3 values for 4 strips/],
    },
    {
      name: 'tiff-no-byte-counts.tif',
      bytes: Buffer.from(makeTiff({ pages: [{ ...rgb, omit: [279] }] }).bytes),
      header: ['E_BAD_HEADER', /required field is missing: StripByteCounts/],
    },
    {
      name: 'tiff-zero-byte-count.tif',
      bytes: strips(four, [192, 0, 192, 192]),
      header: 'ok',
      structure: ['E_BAD_HEADER', /strip 1 has a byte count of 0/],
    },
    {
      name: 'tiff-short-strip.tif',
      bytes: tiff([{ tag: 279, type: 4, values: [100] }]),
      header: ['E_BAD_HEADER', /uncompressed strip 0 has 100 bytes for 16 rows of 48 bytes/],
    },
  );
  valid.push(
    { name: 'tiff-four-strips.tif', bytes: strips(four, [192, 192, 192, 192]) },
    { name: 'tiff-spare-offsets.tif', bytes: strips([...four, 8], [192, 192, 192, 192, 192]) },
    { name: 'tiff-tiled.tif', bytes: tiles(1, 1) },
    {
      name: 'tiff-separate-strips.tif',
      bytes: tiff([
        { tag: 284, type: 3, values: [2] },
        { tag: 273, type: 4, values: [8, 264, 520] },
        { tag: 279, type: 4, values: [256, 256, 256] },
      ]),
    },
  );
  const base = photo(300, 200);
  for (const compression of ['lzw', 'deflate', 'jpeg', 'packbits', 'webp', 'none'] as const) {
    valid.push({ name: `tiff-sharp-${compression}.tif`, bytes: await base.clone().tiff({ compression }).toBuffer() });
  }
  valid.push({
    name: 'tiff-sharp-tiled.tif',
    bytes: await base.clone().tiff({ tile: true, tileWidth: 64, tileHeight: 64 }).toBuffer(),
  });
  // GIF, WebP, AVIF: data past the end of the file, found by their readers from the header walk.
  const gif = await photo(120, 80).gif().toBuffer();
  const webp = await photo(120, 80).webp().toBuffer();
  const avif = await photo(64, 48).avif({ effort: 0 }).toBuffer();
  const animated = readFileSync(new URL('../../samples/animated.gif', import.meta.url));
  cases.push(
    {
      name: 'gif-first-frame-cut.gif',
      bytes: gif.subarray(0, Math.floor(gif.length * 0.8)),
      header: ['E_TRUNCATED', /ends before the first complete frame/],
    },
    {
      name: 'webp-cut.webp',
      bytes: webp.subarray(0, Math.floor(webp.length * 0.8)),
      header: ['E_TRUNCATED', /RIFF size says \d+ bytes, the file has \d+/],
    },
    {
      name: 'avif-item-cut.avif',
      bytes: avif.subarray(0, avif.length - 10),
      header: ['E_TRUNCATED', /data of item \d+ runs past the end of the file/],
    },
  );
  const trailer = Buffer.from('trailing bytes after the image');
  valid.push(
    { name: 'gif-trailing.gif', bytes: Buffer.concat([gif, trailer]) },
    // An animation cut in a later frame: sharp decodes the first frame.
    { name: 'gif-animation-later-frame-cut.gif', bytes: animated.subarray(0, animated.length - 20) },
    { name: 'webp-trailing.webp', bytes: Buffer.concat([webp, trailer]) },
    { name: 'avif-trailing.avif', bytes: Buffer.concat([avif, trailer]) },
  );
  for (const c of [...cases, ...valid]) writeFileSync(join(dir, c.name), c.bytes);
});

async function sharpDecodes(path: string, failOn: 'error' | 'warning'): Promise<boolean> {
  try {
    await sharp(path, { failOn }).raw().toBuffer();
    return true;
  } catch {
    return false;
  }
}

describe('structural triage', () => {
  it('finds every class of broken file, with a reason, at the level that reads far; sharp refuses each', async () => {
    expect(cases.length).toBeGreaterThan(20);
    for (const c of cases) {
      const path = join(dir, c.name);
      expect([c.name, await sharpDecodes(path, 'warning')]).toEqual([c.name, false]);
      for (const [structure, want] of [
        [false, c.header],
        [true, c.structure ?? c.header],
      ] as const) {
        const r = checkSync(path, { structure });
        if (want === 'ok') {
          expect([c.name, structure, r.status]).toEqual([c.name, structure, 'ok']);
        } else {
          const status = want[0] === 'E_UNSUPPORTED_FEATURE' ? 'unsupported' : 'corrupt';
          expect([c.name, structure, r.status, r.error?.code]).toEqual([c.name, structure, status, want[0]]);
          expect(r.reason, c.name).toMatch(want[1]);
        }
      }
    }
  });

  it('keeps unusual but legal files ok at both levels, and sharp decodes each', async () => {
    for (const v of valid) {
      const path = join(dir, v.name);
      expect([v.name, await sharpDecodes(path, 'warning')]).toEqual([v.name, true]);
      for (const structure of [false, true]) {
        const r = checkSync(path, { structure });
        expect([v.name, structure, r.status, r.reason]).toEqual([v.name, structure, 'ok', null]);
      }
    }
  });

  it('--structure stays bounded: the IDAT walk costs a read per chunk, within the caps', () => {
    const many = valid.find((v) => v.name === 'png-many-idat.png')!;
    const idats = many.bytes.toString('latin1').split('IDAT').length - 1;
    expect(idats).toBeGreaterThan(100);
    const p = probeSync(join(dir, many.name), { structure: true });
    expect(p.headerBytes).toBeLessThanOrEqual(many.bytes.length);
    // With a cap of 64 reads the walk stops early, and says ok rather than guess.
    const capped = checkSync(join(dir, many.name), { structure: true, limits: { maxBytes: 1 << 20, maxReads: 64 } });
    expect(capped.status).toBe('ok');
  });
});
