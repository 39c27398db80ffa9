import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSync } from '../../src/check.js';
import { probeSync } from '../../src/probe/probe.js';
import { concat, pngChunk } from '../helpers/bytes.js';
import { sharp, tempDir } from '../helpers/sharp.js';

/**
 * Structural triage: files sharp refuses are found from their structure, without decoding, each
 * with a reason naming what is wrong; files with unusual but legal structure stay ok. Every case
 * is checked against sharp itself: each flagged file fails sharp's decode even with
 * failOn 'error', each ok file decodes with sharp's defaults (failOn 'warning').
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
  it('finds each class of broken file, with a reason, where reading goes far enough; sharp refuses it', async () => {
    for (const c of cases) {
      const path = join(dir, c.name);
      expect([c.name, await sharpDecodes(path, 'error')]).toEqual([c.name, false]);
      for (const [structure, want] of [
        [false, c.header],
        [true, c.structure ?? c.header],
      ] as const) {
        const r = checkSync(path, { structure });
        if (want === 'ok') {
          expect([c.name, structure, r.status]).toEqual([c.name, structure, 'ok']);
        } else {
          expect([c.name, structure, r.status, r.error?.code]).toEqual([c.name, structure, 'corrupt', want[0]]);
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

  it('--structure stays bounded: walking thousands of IDAT chunks costs a read each, within the caps', () => {
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
