/**
 * Seed images of every format sharp can write, made at test time (no binary fixtures), plus
 * hand-made headers for formats it cannot. Fuzzing mutates these.
 */
import { sharp } from './sharp.js';
import { makePng, pngChunk, be32 } from './bytes.js';

export async function makeSeeds(): Promise<Map<string, Uint8Array>> {
  const base = () => sharp({ create: { width: 23, height: 17, channels: 4, background: '#33669980' } });
  const rgb = () => sharp({ create: { width: 19, height: 11, channels: 3, background: '#336699' } });
  const seeds = new Map<string, Uint8Array>();
  const add = async (name: string, make: () => Promise<Buffer>) => {
    try {
      seeds.set(name, new Uint8Array(await make()));
    } catch {
      // a writer missing from this build of sharp: fuzz the others
    }
  };
  await add('png', () => base().png().toBuffer());
  await add('png-palette', () => base().png({ palette: true }).toBuffer());
  seeds.set('apng', makePng({ width: 8, height: 8, chunks: [pngChunk('acTL', [...be32(3), ...be32(0)])] }));
  await add('jpeg', () => rgb().jpeg().withMetadata({ orientation: 6 }).toBuffer());
  await add('jpeg-progressive', () => rgb().jpeg({ progressive: true }).toBuffer());
  await add('jpeg-cmyk', () => rgb().toColourspace('cmyk').jpeg().toBuffer());
  await add('webp-lossy', () => rgb().webp().toBuffer());
  await add('webp-lossless', () => base().webp({ lossless: true }).toBuffer());
  await add('gif', () => base().gif().toBuffer());
  await add('tiff', () => rgb().tiff().toBuffer());
  await add('tiff-lzw-16', () => rgb().toColourspace('rgb16').tiff({ compression: 'lzw' }).toBuffer());
  await add('avif', () => base().avif({ effort: 0 }).toBuffer());
  seeds.set('svg', new Uint8Array(Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="30mm" height="20" viewBox="0 0 30 20"><rect width="30" height="20"/></svg>')));
  return seeds;
}
