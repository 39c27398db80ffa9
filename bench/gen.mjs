// Generates the benchmark datasets under bench/data (gitignored), reproducibly: a seeded PRNG
// picks every size and option, and image content is a seeded low-resolution noise scaled up.
//   mixed/       camera-size JPEGs with a 60 KB EXIF and a 300 KB ICC block before the frame
//                header, PNG (RGB, RGBA, palette, 16-bit), WebP, GIF, TIFF (LZW, deflate), AVIF
//   small-many/  20,000 thumbnails of 32×32 (PNG, JPEG, WebP, GIF)
// Distinct images are encoded once per variant and written under several names (the header
// readers being measured never look past the header, so copies cost them the same).
import { mkdirSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

export const DATA = new URL('./data/', import.meta.url).pathname;
/** Bump when the dataset changes, so old data is regenerated. */
export const VERSION = 4;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(20261123);
const _pick = (xs) => xs[Math.floor(rand() * xs.length)];
const between = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));

/** A seeded image: 16×12 random pixels scaled to w×h (smooth, compresses like a photo). */
function base(w, h, channels = 3) {
  const raw = Buffer.alloc(16 * 12 * channels);
  for (let i = 0; i < raw.length; i++) raw[i] = Math.floor(rand() * 256);
  return sharp(raw, { raw: { width: 16, height: 12, channels } }).resize(w, h, { kernel: 'cubic' });
}

const be16 = (n) => Buffer.from([(n >> 8) & 255, n & 255]);

/** A JPEG APP segment (marker, length, payload); payload < 65534 bytes. */
const segment = (marker, payload) => Buffer.concat([Buffer.from([0xff, marker]), be16(payload.length + 2), payload]);

/** APP1 Exif: a little-endian TIFF with Orientation and a long ImageDescription (~60 KB in all). */
function exifApp1(orientation) {
  const descLen = 60000;
  const tiff = Buffer.alloc(8 + 2 + 2 * 12 + 4 + descLen);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(2, 8);
  let at = 10;
  tiff.writeUInt16LE(0x010e, at);
  tiff.writeUInt16LE(2, at + 2);
  tiff.writeUInt32LE(descLen, at + 4);
  tiff.writeUInt32LE(8 + 2 + 24 + 4, at + 8);
  at += 12;
  tiff.writeUInt16LE(0x0112, at);
  tiff.writeUInt16LE(3, at + 2);
  tiff.writeUInt32LE(1, at + 4);
  tiff.writeUInt16LE(orientation, at + 8);
  at += 12;
  tiff.writeUInt32LE(0, at);
  for (let i = 0; i < descLen - 1; i++) tiff[8 + 2 + 24 + 4 + i] = 0x41 + (i % 26);
  return segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]));
}

/** APP2 ICC_PROFILE chunks carrying a 300 KB profile-shaped payload (5 chunks). */
function iccApp2s() {
  const total = 300 * 1024;
  const chunk = 65519 - 14;
  const count = Math.ceil(total / chunk);
  const out = [];
  for (let i = 0; i < count; i++) {
    const len = Math.min(chunk, total - i * chunk);
    const body = Buffer.alloc(len);
    for (let k = 0; k < len; k++) body[k] = (k * 31 + i) & 255;
    if (i === 0) body.writeUInt32BE(total, 0);
    out.push(segment(0xe2, Buffer.concat([Buffer.from('ICC_PROFILE\0', 'latin1'), Buffer.from([i + 1, count]), body])));
  }
  return out;
}

/** Puts the big EXIF and ICC blocks right after SOI (and JFIF APP0 when present). */
function withBigMetadata(jpeg, orientation) {
  let at = 2;
  if (jpeg[2] === 0xff && jpeg[3] === 0xe0) at = 4 + jpeg.readUInt16BE(4);
  return Buffer.concat([jpeg.subarray(0, at), exifApp1(orientation), ...iccApp2s(), jpeg.subarray(at)]);
}

/** Writes `bytes` under `copies` names: `dir/prefix-####.ext`. */
let serial = 0;
/** Every distinct mixed image is written this many times over (the plan counts 1,140 files). */
let COPIES = 2;
function writeCopies(dir, ext, bytes, copies) {
  copies *= COPIES;
  for (let i = 0; i < copies; i++) {
    const sub = join(dir, `d${String(serial % 16).padStart(2, '0')}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `img-${String(serial++).padStart(6, '0')}.${ext}`), bytes);
  }
}

async function mixed(dir) {
  const plan = [];
  // Camera-style JPEGs: 12 distinct, 4000×3000-ish, ×25 copies = 300 files.
  for (let i = 0; i < 12; i++)
    plan.push([
      'jpg',
      25,
      async () =>
        withBigMetadata(
          await base(between(3000, 4000), between(2000, 3000)).jpeg({ quality: 85 }).toBuffer(),
          between(1, 8),
        ),
    ]);
  // Ordinary JPEGs: 20 distinct × 10.
  for (let i = 0; i < 20; i++)
    plan.push([
      'jpg',
      10,
      async () =>
        base(between(64, 1600), between(64, 1200))
          .jpeg({ quality: 80, progressive: rand() < 0.3 })
          .toBuffer(),
    ]);
  // PNG: RGB, RGBA, palette, 16-bit; 24 distinct × 10.
  for (let i = 0; i < 24; i++) {
    const kind = i % 4;
    plan.push([
      'png',
      10,
      async () => {
        const img = base(between(64, 2000), between(64, 2000), kind === 1 ? 4 : 3);
        if (kind === 2) return img.png({ palette: true }).toBuffer();
        if (kind === 3) return img.toColourspace('rgb16').png().toBuffer();
        return img.png({ compressionLevel: 1 }).toBuffer();
      },
    ]);
  }
  // WebP lossy, lossless, alpha: 12 × 10.
  for (let i = 0; i < 12; i++)
    plan.push([
      'webp',
      10,
      async () =>
        base(between(64, 1500), between(64, 1500), i % 3 === 2 ? 4 : 3)
          .webp({ lossless: i % 3 === 1, effort: 0 })
          .toBuffer(),
    ]);
  // GIF: 10 × 10.
  for (let i = 0; i < 10; i++)
    plan.push(['gif', 10, async () => base(between(64, 800), between(64, 800)).gif().toBuffer()]);
  // TIFF: LZW and deflate, 10 × 10.
  for (let i = 0; i < 10; i++)
    plan.push([
      'tif',
      10,
      async () =>
        base(between(64, 2000), between(64, 2000))
          .tiff({ compression: i % 2 ? 'lzw' : 'deflate' })
          .toBuffer(),
    ]);
  // AVIF: 8 × 10 (small: AV1 encoding is slow).
  for (let i = 0; i < 8; i++)
    plan.push([
      'avif',
      10,
      async () => base(between(64, 512), between(64, 512)).avif({ effort: 0, quality: 40 }).toBuffer(),
    ]);
  for (const [ext, copies, make] of plan) writeCopies(dir, ext, await make(), copies);
}

async function smallMany(dir) {
  const made = [];
  for (let i = 0; i < 40; i++) {
    const img = base(32, 32);
    const ext = ['png', 'jpg', 'webp', 'gif'][i % 4];
    const bytes = await (ext === 'png'
      ? img.png()
      : ext === 'jpg'
        ? img.jpeg()
        : ext === 'webp'
          ? img.webp()
          : img.gif()
    ).toBuffer();
    made.push([ext, bytes]);
  }
  serial = 0;
  COPIES = 1;
  for (let i = 0; i < 20000; i++) {
    const [ext, bytes] = made[i % made.length];
    writeCopies(dir, ext, bytes, 1);
  }
}

/** Generates the datasets unless the current version is already there; returns their paths. */
export async function ensureData({ force = false } = {}) {
  const stamp = join(DATA, 'VERSION');
  const sets = { mixed: join(DATA, 'mixed'), 'small-many': join(DATA, 'small-many') };
  if (!force && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === String(VERSION)) return sets;
  rmSync(DATA, { recursive: true, force: true });
  mkdirSync(DATA, { recursive: true });
  const t0 = Date.now();
  serial = 0;
  await mixed(sets.mixed);
  await smallMany(sets['small-many']);
  writeFileSync(stamp, String(VERSION));
  process.stderr.write(`bench: generated the datasets in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  return sets;
}

if (import.meta.url === `file://${process.argv[1]}`) await ensureData({ force: process.argv.includes('--force') });
