import { ascii, u16be, u32be } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';

/**
 * Photoshop PSD and PSB (Adobe Photoshop File Formats Specification, "File Header Section":
 * signature 8BPS, version 1 PSD / 2 PSB, 6 reserved bytes, channels, height, width, depth, colour
 * mode; then the colour mode data, image resources and layer and mask sections, each behind a
 * length). The composite image is what opens. Pillow (PsdImagePlugin) reads version 1 only, at 1
 * or 8 bits, in bitmap (1), grey, duotone and multichannel (L), indexed (P), RGB (RGBA with a
 * fourth channel), CMYK and Lab; its frames are the layers.
 */

export function sniffPsd(h: Uint8Array): boolean {
  return ascii(h, 0, 4) === '8BPS' && (u16be(h, 4) === 1 || u16be(h, 4) === 2);
}

/** Pillow's MODES: [colour mode, depth] → [mode, channels needed]. */
const MODES: Record<string, [string, number]> = {
  '0:1': ['1', 1],
  '0:8': ['L', 1],
  '1:8': ['L', 1],
  '2:8': ['P', 1],
  '3:8': ['RGB', 3],
  '4:8': ['CMYK', 4],
  '7:8': ['L', 1],
  '8:8': ['L', 1],
  '9:8': ['LAB', 3],
};

/** Colour modes by number, for messages. */
const MODE_NAMES = ['bitmap', 'greyscale', 'indexed', 'RGB', 'CMYK', '5', '6', 'multichannel', 'duotone', 'Lab'];

export function readPsdHeader(src: ByteSource): Header {
  const h = src.need(0, 26, 'the PSD file header');
  const version = u16be(h, 4);
  const channels = u16be(h, 12);
  const height = u32be(h, 14);
  const width = u32be(h, 18);
  const depth = u16be(h, 22);
  const colourMode = u16be(h, 24);
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff)
    throw fail('psd', 'E_DIMENSIONS', `invalid dimensions ${width}x${height}`);
  if (channels < 1 || channels > 56) throw fail('psd', 'E_BAD_HEADER', `invalid channel count ${channels}`);
  if (![1, 8, 16, 32].includes(depth)) throw fail('psd', 'E_BAD_HEADER', `invalid depth ${depth}`);
  const known = MODES[`${colourMode}:${depth}`];
  const name = MODE_NAMES[colourMode] ?? String(colourMode);
  let refusal: string | undefined;
  let mode = known?.[0] ?? (channels >= 4 ? 'RGBA' : 'RGB');
  if (version === 2) refusal = 'Pillow reads PSD (version 1), not PSB';
  else if (!known) refusal = `Pillow does not read ${depth}-bit ${name} PSD files`;
  else if (known[1] > channels) refusal = `Pillow needs ${known[1]} channels for ${name}, the file has ${channels}`;
  else if (mode === 'RGB' && channels === 4) mode = 'RGBA';
  const layers = refusal ? 1 : layerCount(src);
  return {
    format: 'psd',
    width,
    height,
    channels: BANDS[mode] ?? 4,
    bitsPerSample: depth <= 8 ? 8 : depth,
    frames: Math.max(1, layers),
    pillowMode: mode,
    pillowFrames: layers,
    ...(refusal ? { pillowRefusal: refusal } : {}),
  };
}

const BANDS: Record<string, number> = { '1': 1, L: 1, P: 1, RGB: 3, RGBA: 4, CMYK: 4, LAB: 3 };

/**
 * The layers Pillow counts as frames: the signed count at the start of the layer info (its sign
 * only flags a merged alpha), 0 when the file has no layer section. Three length-prefixed
 * sections are skipped by seeking; a count the section is too short for counts as none.
 */
function layerCount(src: ByteSource): number {
  let at = 26;
  for (let section = 0; section < 2; section++) {
    at += 4 + u32be(src.need(at, 4, 'a PSD section length'), 0);
  }
  const lengths = src.read(at, 10);
  if (lengths.length < 10) return 0;
  const sectionLength = u32be(lengths, 0);
  const infoLength = u32be(lengths, 4);
  if (sectionLength === 0 || infoLength === 0) return 0;
  const raw = u16be(lengths, 8);
  const count = Math.abs(raw >= 0x8000 ? raw - 0x10000 : raw);
  return infoLength >= count * 20 ? count : 0;
}
