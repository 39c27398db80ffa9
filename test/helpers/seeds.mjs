/**
 * Seed images of every format sharp can write, made on the spot (no binary fixtures), plus a
 * hand-made SVG and APNG. Shared by the property test and `npm run fuzz`.
 */
import sharp from 'sharp';
import { deflateSync, crc32 } from 'node:zlib';

function pngChunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), Buffer.from(data)]);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32 ? crc32(body) : 0);
  return Buffer.concat([head, body, crc]);
}

function apng() {
  const ihdr = Buffer.from([0, 0, 0, 8, 0, 0, 0, 8, 8, 2, 0, 0, 0]);
  const actl = Buffer.from([0, 0, 0, 3, 0, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('acTL', actl),
    pngChunk('IDAT', deflateSync(Buffer.alloc(8 * 25))),
    pngChunk('IEND', []),
  ]);
}

/** @returns {Promise<Map<string, Uint8Array>>} seed name (ending in its extension) → bytes */
export async function makeSeeds() {
  const base = () => sharp({ create: { width: 23, height: 17, channels: 4, background: '#33669980' } });
  const rgb = () => sharp({ create: { width: 19, height: 11, channels: 3, background: '#336699' } });
  const seeds = new Map();
  const add = async (name, make) => {
    try {
      seeds.set(name, new Uint8Array(await make()));
    } catch {
      // a writer missing from this build of sharp: fuzz the others
    }
  };
  await add('rgba.png', () => base().png().toBuffer());
  await add('palette.png', () => base().png({ palette: true }).toBuffer());
  seeds.set('anim.apng', new Uint8Array(apng()));
  await add('exif.jpg', () => rgb().jpeg().withMetadata({ orientation: 6 }).toBuffer());
  await add('progressive.jpg', () => rgb().jpeg({ progressive: true }).toBuffer());
  await add('cmyk.jpg', () => rgb().toColourspace('cmyk').jpeg().toBuffer());
  await add('lossy.webp', () => rgb().webp().toBuffer());
  await add('lossless.webp', () => base().webp({ lossless: true }).toBuffer());
  await add('anim.webp', () =>
    sharp(Buffer.alloc(8 * 24 * 4, 90), { raw: { width: 8, height: 24, channels: 4, pageHeight: 8 } })
      .webp()
      .toBuffer(),
  );
  await add('plain.gif', () => base().gif().toBuffer());
  await add('anim.gif', () =>
    sharp(Buffer.alloc(8 * 24 * 3, 90), { raw: { width: 8, height: 24, channels: 3, pageHeight: 8 } })
      .gif()
      .toBuffer(),
  );
  await add('plain.tiff', () => rgb().tiff().toBuffer());
  await add('lzw16.tiff', () => rgb().toColourspace('rgb16').tiff({ compression: 'lzw' }).toBuffer());
  await add('plain.avif', () => base().avif({ effort: 0 }).toBuffer());
  seeds.set(
    'units.svg',
    new Uint8Array(
      Buffer.from(
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="30mm" height="20" viewBox="0 0 30 ' +
          '20"><rect width="30" height="20"/></svg>',
      ),
    ),
  );
  for (const [name, bytes] of pillowSeeds()) seeds.set(name, bytes);
  await add('two.mpo', async () => withMpf(await rgb().jpeg().toBuffer()));
  return seeds;
}

const le16 = (n) => [n & 255, (n >>> 8) & 255];
const le32 = (n) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
const be16 = (n) => [(n >>> 8) & 255, n & 255];
const be32 = (n) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const bytes = (...parts) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : [...p])));
const zeros = (n) => new Array(n).fill(0);

/** A JPEG with an APP2 'MPF' index of two images (the second's offset pointing at the first). */
function withMpf(jpeg) {
  const ifd = [
    ...Buffer.from('MM'),
    0,
    42,
    ...be32(8),
    ...be16(2),
    ...be16(0xb001),
    ...be16(4),
    ...be32(1),
    ...be32(2),
    ...be16(0xb002),
    ...be16(7),
    ...be32(32),
    ...be32(38),
    ...be32(0),
    ...zeros(32),
  ];
  return bytes(jpeg.subarray(0, 2), [0xff, 0xe2], be16(2 + 4 + ifd.length), 'MPF\0', ifd, jpeg.subarray(2));
}

/** A BITMAPINFOHEADER DIB: 8-bit palette (256 entries) or 24/32-bit, `h` rows as stored. */
function dib(w, h, bits, extraHeader = []) {
  const palette = bits <= 8 ? zeros(4 * 2 ** bits) : [];
  const stride = Math.ceil((w * bits) / 32) * 4;
  return [
    ...le32(40),
    ...le32(w),
    ...le32(h),
    ...le16(1),
    ...le16(bits),
    ...zeros(24),
    ...extraHeader,
    ...palette,
    ...zeros(stride * h),
  ];
}

/** Small files of the formats read for Pillow (BMP, ICO, CUR, PSD, TGA, DDS, Netpbm, QOI, MPO). */
function pillowSeeds() {
  const w = 9;
  const h = 7;
  const bmpDib = dib(w, h, 8);
  const bmp = bytes('BM', le32(14 + bmpDib.length), le32(0), le32(14 + 40 + 1024), bmpDib);
  const icoDib = dib(16, 32, 32);
  const ico = bytes([0, 0, 1, 0], le16(1), [16, 16, 0, 0], le16(1), le16(32), le32(icoDib.length), le32(22), icoDib);
  const curDib = dib(16, 32, 8);
  const cur = bytes([0, 0, 2, 0], le16(1), [16, 16, 0, 0], le16(1), le16(1), le32(curDib.length), le32(22), curDib);
  const psdLayer = [...zeros(16), ...be16(0), ...Buffer.from('8BIMnorm'), 255, 0, 0, 0, ...be32(0)];
  const psd = bytes(
    '8BPS',
    be16(1),
    zeros(6),
    be16(3),
    be32(h),
    be32(w),
    be16(8),
    be16(3),
    be32(0),
    be32(0),
    be32(4 + 2 + psdLayer.length),
    be32(2 + psdLayer.length),
    be16(1),
    psdLayer,
    be16(0),
    zeros(w * h * 3),
  );
  const tga = bytes(
    [0, 0, 2],
    zeros(9),
    le16(w),
    le16(h),
    [24, 0x20],
    zeros(w * h * 3),
    zeros(8),
    'TRUEVISION-XFILE.\0',
  );
  const dds = bytes(
    'DDS ',
    le32(124),
    le32(0x1007),
    le32(h),
    le32(w),
    zeros(56),
    le32(32),
    le32(4),
    'DX10',
    zeros(40),
    le32(98),
    le32(3),
    le32(0),
    le32(1),
    le32(0),
    zeros(64),
  );
  const mpfIfd = [
    ...Buffer.from('MM'),
    0,
    42,
    ...be32(8),
    ...be16(2),
    ...be16(0xb001),
    ...be16(4),
    ...be32(1),
    ...be32(2),
    ...be16(0xb002),
    ...be16(7),
    ...be32(32),
    ...be32(38),
    ...be32(0),
    ...zeros(32),
  ];
  return new Map([
    ['plain.bmp', bmp],
    ['dib32.ico', ico],
    ['dib8.cur', cur],
    ['layer.psd', psd],
    ['plain.tga', tga],
    ['bc7.dds', dds],
    ['plain.ppm', bytes(`P6\n# seed\n${w} ${h}\n255\n`, zeros(w * h * 3))],
    ['deep.pgm', bytes(`P5 ${w} ${h} 65535\n`, zeros(w * h * 2))],
    ['grey.pfm', bytes(`Pf\n${w} ${h}\n-1.0\n`, zeros(w * h * 4))],
    ['rgb.pam', bytes(`P7\nWIDTH ${w}\nHEIGHT ${h}\nDEPTH 3\nMAXVAL 255\nENDHDR\n`, zeros(w * h * 3))],
    ['plain.qoi', bytes('qoif', be32(w), be32(h), [4, 0], zeros(8), [0, 0, 0, 0, 0, 0, 0, 1])],
  ]);
}
