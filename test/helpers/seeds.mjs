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
  for (const [name, bytes] of pillowOnlySeeds()) seeds.set(name, bytes);
  await add('two.mpo', async () => withMpf(await rgb().jpeg().toBuffer()));
  // The security review's SVGs: references to neighbours hidden from naive patterns, nested uses.
  const svg = (body) =>
    new Uint8Array(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="12" height="9">${body}</svg>`));
  seeds.set(
    'refs.svg',
    svg(
      '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" a=">" href="secret.txt" parse="text"/>' +
        '<image x=">" href="red.png" width="4" height="4"/><rect style="fill:u\\72l(p.svg#p)"/>',
    ),
  );
  let defs = '<rect id="l0" width="1" height="1"/>';
  for (let l = 1; l <= 3; l++) defs += `<g id="l${l}">${`<use href="#l${l - 1}"/>`.repeat(5)}</g>`;
  seeds.set('uses.svg', svg(`<defs>${defs}</defs><use href="#l3"/>`));
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

/** Hand-made headers of the formats only Pillow opens (Pillow writes few of them; none needs it here). */
function pillowOnlySeeds() {
  const be16 = (n) => [(n >>> 8) & 255, n & 255];
  const be32 = (n) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  const le16 = (n) => [n & 255, (n >>> 8) & 255];
  const le32 = (n) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
  const text = (s) => [...Buffer.from(s, 'latin1')];
  const zeros = (n) => new Array(n).fill(0);
  const bytes = (...parts) => new Uint8Array(parts.flat());
  const box = (type, body) => [...be32(8 + body.length), ...text(type), ...body];
  const pcx = (w, h) => [
    10,
    5,
    1,
    8,
    ...le16(0),
    ...le16(0),
    ...le16(w - 1),
    ...le16(h - 1),
    ...zeros(53),
    3,
    ...le16(w),
    ...zeros(60),
  ];
  const msp = [...text('DanM'), ...le16(17), ...le16(3), ...zeros(22)];
  let x = 0;
  for (let i = 0; i < 30; i += 2) x ^= msp[i] | (msp[i + 1] << 8);
  const spider = new Uint8Array(256);
  const words = { 1: 1, 2: 5, 5: 1, 12: 16, 13: 4, 22: 256, 23: 64 };
  for (const [n, v] of Object.entries(words)) new DataView(spider.buffer).setFloat32((Number(n) - 1) * 4, v);
  const card = (k, v) => (v === undefined ? k.padEnd(80) : `${k.padEnd(8)}= ${v.padStart(20)}`.padEnd(80));
  const fitsHead = [
    card('SIMPLE', 'T'),
    card('BITPIX', '16'),
    card('NAXIS', '2'),
    card('NAXIS1', '7'),
    card('NAXIS2', '5'),
    card('END'),
  ].join('');
  const pcd = new Uint8Array(2048 + 1600).fill(0xff);
  pcd.set(text('PCD_IPI'), 2048);
  pcd[2048 + 1538] = 1;
  return new Map([
    [
      'codestream.j2k',
      bytes(
        [0xff, 0x4f, 0xff, 0x51],
        be16(41),
        be16(0),
        be32(13),
        be32(11),
        zeros(8),
        be32(13),
        be32(11),
        zeros(8),
        be16(1),
        [15, 1, 1],
        [0xff, 0xd9],
      ),
    ],
    [
      'boxes.jp2',
      bytes(
        box('jP  ', [13, 10, 0x87, 10]),
        box('ftyp', text('jp2 \0\0\0\0jp2 ')),
        box('jp2h', [
          ...box('ihdr', [...be32(4), ...be32(9), ...be16(3), 7, 7, 0, 0]),
          ...box('colr', [1, 0, 0, ...be32(16)]),
        ]),
        box('jp2c', [0xff, 0x4f]),
      ),
    ],
    [
      'icon.icns',
      bytes(
        text('icns'),
        be32(8 + 8 + 768 + 8 + 256),
        text('is32'),
        be32(776),
        zeros(768),
        text('s8mk'),
        be32(264),
        zeros(256),
      ),
    ],
    ['image.fits', bytes(text(fitsHead.padEnd(2880)), zeros(70))],
    ['image.sgi', bytes(be16(474), [0, 1], be16(3), be16(6), be16(2), be16(3), zeros(500 + 36))],
    ['image.pcx', bytes(pcx(9, 2), zeros(800))],
    ['pages.dcx', bytes(le32(0x3ade68b1), le32(16), le32(16 + 128 + 8), le32(0), pcx(4, 4), zeros(8), pcx(6, 2))],
    [
      'image.ras',
      bytes(be32(0x59a66a95), be32(6), be32(2), be32(8), be32(0), be32(1), be32(1), be32(6), zeros(6), zeros(16)),
    ],
    ['image.msp', bytes(msp, le16(x), zeros(16))],
    [
      'image.xbm',
      bytes(text('#define im_width 16\n#define im_height 2\nstatic char im_bits[] = {\n0x00, 0x01, 0x02, 0x03 };\n')),
    ],
    [
      'image.xpm',
      bytes(text('/* XPM */\nstatic char *x[] = {\n"3 2 2 1",\n"a c #FF0000",\n"b c None",\n"aba",\n"bab"\n};\n')),
    ],
    ['brush.gbr', bytes(be32(34), be32(2), be32(3), be32(2), be32(4), text('GIMP'), be32(25), text('x\0'), zeros(24))],
    [
      'anim.flc',
      bytes(
        le32(0),
        le16(0xaf12),
        le16(2),
        le16(8),
        le16(8),
        le16(8),
        le16(3),
        le32(5),
        zeros(108),
        le32(16),
        le16(0xf1fa),
        zeros(10),
      ),
    ],
    ['texture.blp', bytes(text('BLP2'), le32(1), [2, 8, 7, 0], le32(16), le32(8), zeros(64))],
    [
      'image.im',
      bytes(
        text('Image type: RGB image\r\nImage size (x*y): 7*5\r\nFile size (no of images): 2\r\n'),
        zeros(430),
        [0x1a],
        zeros(32),
      ),
    ],
    ['image.imt', bytes(text('width 7\nheight 5\npixel n8\n'), [0x0c], zeros(35))],
    [
      'texture.ftc',
      bytes(text('FTEX'), le32(0), le32(8), le32(4), le32(1), le32(1), le32(0), le32(32), le32(16), zeros(16)),
    ],
    [
      'area.mcidas',
      bytes(zeros(4), be32(4), zeros(24), be32(5), be32(7), be32(2), zeros(8), be32(1), zeros(256 - 60), zeros(70)),
    ],
    [
      'image.pxr',
      bytes([0x80, 0xe8, 0, 0], zeros(412), le16(5), le16(7), zeros(4), le16(14), le16(2), zeros(596), zeros(105)),
    ],
    ['image.spi', new Uint8Array([...spider, ...zeros(320)])],
    ['thumb.xv', bytes(text('P7 332\n#XVVERSION:Version 3.10a\n#END_OF_COMMENTS\n8 6 255\n'), zeros(48))],
    ['photo.pcd', pcd],
    ['figure.eps', bytes(text('%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 50\n%%EndComments\nshowpage\n%%EOF\n'))],
  ]);
}
