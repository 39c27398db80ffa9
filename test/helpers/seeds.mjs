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
  return seeds;
}
