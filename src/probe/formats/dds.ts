import { ascii, u32le } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';

/**
 * DirectDraw Surface (Microsoft "DDS_HEADER" and "DDS_PIXELFORMAT", and "DDS_HEADER_DXT10" after a
 * 'DX10' FourCC: magic "DDS ", a 124-byte header with height at 12, width at 16, the pixel format
 * at 76: flags, FourCC, RGB bit count, masks; the DXT10 header's first field is the DXGI format).
 * The first surface opens; modes as Pillow's DdsImagePlugin gives them, by release (docs/pillow.md).
 */

export function sniffDds(h: Uint8Array): boolean {
  return ascii(h, 0, 4) === 'DDS ' && u32le(h, 4) === 124;
}

/** DDS_PIXELFORMAT flags. */
const ALPHAPIXELS = 0x1;
const FOURCC = 0x4;
const PALETTEINDEXED8 = 0x20;
const RGB = 0x40;
const LUMINANCE = 0x20000;

/** DXGI formats Pillow decodes → [mode, first release]. 9.4 read BC5-7 and R8G8B8A8 only. */
const DXGI: Record<number, [string, number]> = {
  27: ['RGBA', 900], // R8G8B8A8_TYPELESS
  28: ['RGBA', 900], // R8G8B8A8_UNORM
  29: ['RGBA', 900], // R8G8B8A8_UNORM_SRGB
  70: ['RGBA', 905], // BC1_TYPELESS
  71: ['RGBA', 905], // BC1_UNORM
  73: ['RGBA', 905], // BC2_TYPELESS
  74: ['RGBA', 905], // BC2_UNORM
  76: ['RGBA', 905], // BC3_TYPELESS
  77: ['RGBA', 905], // BC3_UNORM
  79: ['L', 905], // BC4_TYPELESS
  80: ['L', 905], // BC4_UNORM
  82: ['RGB', 900], // BC5_TYPELESS
  83: ['RGB', 900], // BC5_UNORM
  84: ['RGB', 900], // BC5_SNORM
  95: ['RGB', 900], // BC6H_UF16
  96: ['RGB', 900], // BC6H_SF16
  97: ['RGBA', 900], // BC7_TYPELESS
  98: ['RGBA', 900], // BC7_UNORM
  99: ['RGBA', 900], // BC7_UNORM_SRGB
};

/** Legacy FourCCs → [mode, first release]. */
const FOURCCS: Record<string, [string, number]> = {
  DXT1: ['RGBA', 900],
  DXT3: ['RGBA', 900],
  DXT5: ['RGBA', 900],
  ATI1: ['L', 900],
  BC4U: ['L', 905],
  ATI2: ['RGB', 900],
  BC5U: ['RGB', 905],
  BC5S: ['RGB', 900],
};

export function readDdsHeader(src: ByteSource): Header {
  const h = src.need(0, 128, 'the DDS header');
  const height = u32le(h, 12);
  const width = u32le(h, 16);
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff)
    throw fail('dds', 'E_DIMENSIONS', `invalid dimensions ${width}x${height}`);
  const flags = u32le(h, 80);
  const fourcc = ascii(h, 84, 88);
  const bits = u32le(h, 88);
  let mode: string | undefined;
  let since = 900;
  let until: number | undefined;
  let refusal: string | undefined;
  if (flags & RGB) mode = flags & ALPHAPIXELS ? 'RGBA' : 'RGB';
  else if (flags & LUMINANCE) {
    mode = flags & ALPHAPIXELS ? 'LA' : 'L';
    // 9.4 reads luminance of any bit count (its own writer makes 24 and 32-bit ones); 11.3 and
    // 12.3 only 8-bit L and 16-bit LA, so 11.2 is the last release taken to read the others.
    if (!(bits === 8 && mode === 'L') && !(bits === 16 && mode === 'LA')) until = 1102;
  } else if (flags & PALETTEINDEXED8) {
    mode = 'P';
    since = 905;
  } else if (flags & FOURCC || fourcc === 'DX10') {
    const known = fourcc === 'DX10' ? DXGI[u32le(src.need(128, 4, 'the DXT10 header'), 0)] : FOURCCS[fourcc];
    if (known) [mode, since] = known;
    else refusal = `Pillow does not read the pixel format ${JSON.stringify(fourcc)}`;
  } else refusal = `Pillow does not read pixel format flags ${flags}`;
  mode ??= 'RGBA';
  return {
    format: 'dds',
    width,
    height,
    channels: mode === 'RGBA' ? 4 : mode === 'RGB' ? 3 : mode === 'LA' ? 2 : 1,
    bitsPerSample: 8,
    frames: 1,
    pillowMode: mode,
    ...(since > 900 ? { pillowSince: since } : {}),
    ...(until !== undefined ? { pillowUntil: until } : {}),
    ...(refusal ? { pillowRefusal: refusal } : {}),
  };
}
