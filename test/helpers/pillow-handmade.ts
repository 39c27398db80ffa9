/**
 * Hand-made files of the formats Pillow reads and cannot (or does not) write in every variant:
 * BMP header versions, bitfields, RLE and top-down rows; icons and cursors with DIB entries; PSD;
 * DDS pixel formats; Netpbm variants; 16-bit TGA. Complete enough for Pillow to load (pixel data
 * present, zeros), so the reader tests and the agreement with the real Pillow share them.
 */
import { be16, be32, concat, le16, le32, text } from './bytes.js';

export interface BmpOptions {
  width: number;
  height: number;
  bits: number;
  /** DIB header size: 12, 40, 52, 56, 64, 108 or 124. */
  dib?: number;
  compression?: number;
  /** Rows stored top-down (a negative height). */
  topDown?: boolean;
  /** Bitfield masks r, g, b[, a]. */
  masks?: number[];
  /** Palette entries (BGR0); default a non-grey ramp for `bits` <= 8. */
  palette?: number[][];
}

/** The DIB (header, masks, palette, pixels) without the BMP file header. */
export function dib(o: BmpOptions): Uint8Array {
  const size = o.dib ?? 40;
  const core = size === 12;
  const colours = o.bits <= 8 ? (o.palette?.length ?? 2 ** o.bits) : 0;
  const palette = o.bits <= 8 ? (o.palette ?? Array.from({ length: colours }, (_, i) => [i, 255 - i, i >> 1])) : [];
  const stride = Math.ceil((o.width * o.bits) / 32) * 4;
  const rle = o.compression === 1 || o.compression === 2;
  // RLE: per row, encoded runs (at most 254 pixels) covering the width, end-of-line; then end-of-bitmap.
  const runs: number[] = [];
  for (let left = o.width; left > 0; left -= 254) runs.push(Math.min(254, left), 0);
  const pixels = rle
    ? concat(...Array.from({ length: o.height }, () => [...runs, 0, 0]), [0, 1])
    : new Uint8Array(stride * o.height);
  const header = core
    ? concat(le32(12), le16(o.width), le16(o.height), le16(1), le16(o.bits))
    : concat(
        le32(size),
        le32(o.width),
        le32(o.topDown ? -o.height : o.height),
        le16(1),
        le16(o.bits),
        le32(o.compression ?? 0),
        le32(pixels.length),
        le32(2835),
        le32(2835),
        le32(o.palette ? colours : 0),
        le32(0),
      );
  const masks = o.masks ?? [];
  // Masks live in the header from V2 (52) on; after a 40-byte header they follow it (three of them).
  const inHeader = size >= 52 ? concat(...masks.slice(0, size >= 56 ? 4 : 3).map(le32)) : new Uint8Array();
  const rest = new Uint8Array(Math.max(0, size - header.length - inHeader.length));
  const after = size === 40 && o.compression === 3 ? concat(...masks.slice(0, 3).map(le32)) : new Uint8Array();
  const pal = concat(...palette.map((c) => (core ? c.slice(0, 3) : [...c.slice(0, 3), 0])));
  return concat(header, inHeader, rest, after, pal, pixels);
}

export function bmp(o: BmpOptions): Uint8Array {
  const body = dib(o);
  const size = o.dib ?? 40;
  const colours = o.bits <= 8 ? (o.palette?.length ?? 2 ** o.bits) : 0;
  const afterMasks = size === 40 && o.compression === 3 ? 12 : 0;
  const offset = 14 + size + afterMasks + colours * (size === 12 ? 3 : 4);
  return concat(text('BM'), le32(14 + body.length), le32(0), le32(offset), body);
}

/** An icon directory entry over `image`, at `offset`. */
function iconEntry(w: number, h: number, bits: number, size: number, offset: number, cursor: boolean): number[] {
  return [w & 255, h & 255, 0, 0, ...le16(cursor ? 1 : 1), ...le16(cursor ? 1 : bits), ...le32(size), ...le32(offset)];
}

/** ICO (type 1) or CUR (type 2) of DIB or PNG images: each [width, height, bits, image bytes]. */
export function icon(type: 1 | 2, images: [number, number, number, Uint8Array][]): Uint8Array {
  let offset = 6 + 16 * images.length;
  const entries: number[] = [];
  for (const [w, h, bits, bytes] of images) {
    entries.push(...iconEntry(w, h, bits, bytes.length, offset, type === 2));
    offset += bytes.length;
  }
  return concat([0, 0, type, 0], le16(images.length), entries, ...images.map((i) => i[3]));
}

/** An icon's DIB: height doubled for the AND mask, the mask rows after the colour rows. */
export function iconDib(w: number, h: number, bits: number, palette?: number[][]): Uint8Array {
  const colour = dib({ width: w, height: h * 2, bits, ...(palette ? { palette } : {}) });
  const colours = bits <= 8 ? 2 ** bits : 0;
  const xorBytes = Math.ceil((w * bits) / 32) * 4 * h;
  const andBytes = Math.ceil(w / 32) * 4 * h;
  return concat(colour.subarray(0, 40 + colours * 4 + xorBytes), new Uint8Array(andBytes));
}

export interface PsdOptions {
  width: number;
  height: number;
  channels: number;
  depth: number;
  /** Colour mode: 0 bitmap, 1 grey, 2 indexed, 3 RGB, 4 CMYK, 7 multichannel, 8 duotone, 9 Lab. */
  mode: number;
  version?: 1 | 2;
  /** Layer count written in the layer info (no records: enough for the count Pillow reads). */
  layers?: number;
}

export function psd(o: PsdOptions): Uint8Array {
  const colourData = o.mode === 2 ? concat(be32(768), new Uint8Array(768)) : be32(0);
  // Empty RGB layers: bounds 0×0, channels R, G, B (2 bytes of data each: the compression), '8BIM',
  // blend mode, opacity, clipping, flags, filler, no extra data; then each channel's compression 0.
  const channels = concat(...[0, 1, 2].map((id) => concat(be16(id), be32(2))));
  const record = concat(new Uint8Array(16), be16(3), channels, text('8BIMnorm'), [255, 0, 0, 0], be32(0));
  const n = o.layers ?? 0;
  const layerInfo = n
    ? concat(be16(n), ...Array.from({ length: n }, () => record), new Uint8Array(6 * n))
    : new Uint8Array();
  const layerSection = o.layers ? concat(be32(layerInfo.length + 4), be32(layerInfo.length), layerInfo) : be32(0);
  const rowBytes = o.depth === 1 ? Math.ceil(o.width / 8) : (o.width * o.depth) / 8;
  return concat(
    text('8BPS'),
    be16(o.version ?? 1),
    new Uint8Array(6),
    be16(o.channels),
    be32(o.height),
    be32(o.width),
    be16(o.depth),
    be16(o.mode),
    colourData,
    be32(0),
    layerSection,
    be16(0),
    new Uint8Array(rowBytes * o.height * o.channels),
  );
}

export interface DdsOptions {
  width: number;
  height: number;
  /** DDS_PIXELFORMAT flags. */
  flags: number;
  fourcc?: string;
  bits?: number;
  masks?: number[];
  /** DXGI format, after a 'DX10' FourCC. */
  dxgi?: number;
  /** Bytes of pixel data (default: enough for 4 bytes a pixel). */
  data?: number;
}

export function dds(o: DdsOptions): Uint8Array {
  const masks = o.masks ?? [0, 0, 0, 0];
  const header = concat(
    text('DDS '),
    le32(124),
    le32(0x1007),
    le32(o.height),
    le32(o.width),
    le32(0),
    le32(0),
    le32(1),
    new Uint8Array(44),
    le32(32),
    le32(o.flags),
    o.fourcc ? text(o.fourcc) : le32(0),
    le32(o.bits ?? 0),
    ...masks.map(le32),
    le32(0x1000),
    new Uint8Array(16),
  );
  const dx10 = o.dxgi !== undefined ? concat(le32(o.dxgi), le32(3), le32(0), le32(1), le32(0)) : new Uint8Array();
  return concat(header, dx10, new Uint8Array(o.data ?? o.width * o.height * 4));
}

/** A TGA of `type`/`depth`, uncompressed, with a colour map for type 1. */
export function tga(o: { width: number; height: number; type: number; depth: number; alphaBits?: number }): Uint8Array {
  const mapped = o.type === 1 || o.type === 9;
  const map = mapped ? new Uint8Array(256 * 3) : new Uint8Array();
  return concat(
    [0, mapped ? 1 : 0, o.type],
    mapped ? concat(le16(0), le16(256), [24]) : [0, 0, 0, 0, 0],
    le16(0),
    le16(0),
    le16(o.width),
    le16(o.height),
    [o.depth, (o.alphaBits ?? 0) | 0x20],
    map,
    new Uint8Array(o.width * o.height * Math.ceil(o.depth / 8)),
  );
}

/** The hand-made set, by file name (the extension says the format). */
export function handMade(): Map<string, Uint8Array> {
  const w = 37;
  const h = 23;
  const grey = Array.from({ length: 256 }, (_, i) => [i, i, i]);
  const files = new Map<string, Uint8Array>([
    ['core24.bmp', bmp({ width: w, height: h, bits: 24, dib: 12 })],
    ['core8.bmp', bmp({ width: w, height: h, bits: 8, dib: 12 })],
    ['info1.bmp', bmp({ width: w, height: h, bits: 1 })],
    [
      'info1-bw.bmp',
      bmp({
        width: w,
        height: h,
        bits: 1,
        palette: [
          [0, 0, 0],
          [255, 255, 255],
        ],
      }),
    ],
    ['info4.bmp', bmp({ width: w, height: h, bits: 4 })],
    ['info8-grey.bmp', bmp({ width: w, height: h, bits: 8, palette: grey })],
    ['info16.bmp', bmp({ width: w, height: h, bits: 16 })],
    ['info32.bmp', bmp({ width: w, height: h, bits: 32 })],
    ['topdown24.bmp', bmp({ width: w, height: h, bits: 24, topDown: true })],
    ['rle8.bmp', bmp({ width: w, height: h, bits: 8, compression: 1 })],
    ['rle4.bmp', bmp({ width: w, height: h, bits: 4, compression: 2 })],
    ['bf565.bmp', bmp({ width: w, height: h, bits: 16, compression: 3, masks: [0xf800, 0x7e0, 0x1f] })],
    ['bf555-v3.bmp', bmp({ width: w, height: h, bits: 16, dib: 56, compression: 3, masks: [0x7c00, 0x3e0, 0x1f, 0] })],
    [
      'bf32-alpha-v4.bmp',
      bmp({ width: w, height: h, bits: 32, dib: 108, compression: 3, masks: [0xff0000, 0xff00, 0xff, 0xff000000] }),
    ],
    [
      'bf32-v5.bmp',
      bmp({ width: w, height: h, bits: 32, dib: 124, compression: 3, masks: [0xff0000, 0xff00, 0xff, 0] }),
    ],
    ['bf-odd.bmp', bmp({ width: w, height: h, bits: 16, dib: 56, compression: 3, masks: [0xf00, 0xf0, 0xf, 0xf000] })],
    ['os2-64.bmp', bmp({ width: w, height: h, bits: 24, dib: 64 })],
    ['v2-52.bmp', bmp({ width: w, height: h, bits: 24, dib: 52 })],
    ['dib32.ico', icon(1, [[32, 32, 32, iconDib(32, 32, 32)]])],
    [
      'dib-mixed.ico',
      icon(1, [
        [16, 16, 8, iconDib(16, 16, 8)],
        [48, 48, 4, iconDib(48, 48, 4)],
        [48, 48, 32, iconDib(48, 48, 32)],
      ]),
    ],
    ['dib1.cur', icon(2, [[32, 32, 1, iconDib(32, 32, 1)]])],
    [
      'dib1-bw.cur',
      icon(2, [
        [
          32,
          32,
          1,
          iconDib(32, 32, 1, [
            [0, 0, 0],
            [255, 255, 255],
          ]),
        ],
      ]),
    ],
    ['dib32.cur', icon(2, [[32, 32, 32, iconDib(32, 32, 32)]])],
    [
      'two.cur',
      icon(2, [
        [16, 16, 4, iconDib(16, 16, 4)],
        [32, 32, 24, iconDib(32, 32, 24)],
      ]),
    ],
    ['rgb.psd', psd({ width: w, height: h, channels: 3, depth: 8, mode: 3 })],
    ['rgba.psd', psd({ width: w, height: h, channels: 4, depth: 8, mode: 3 })],
    ['rgb5.psd', psd({ width: w, height: h, channels: 5, depth: 8, mode: 3 })],
    ['cmyk.psd', psd({ width: w, height: h, channels: 4, depth: 8, mode: 4 })],
    ['grey.psd', psd({ width: w, height: h, channels: 1, depth: 8, mode: 1 })],
    ['bitmap.psd', psd({ width: w, height: h, channels: 1, depth: 1, mode: 0 })],
    ['indexed.psd', psd({ width: w, height: h, channels: 1, depth: 8, mode: 2 })],
    ['lab.psd', psd({ width: w, height: h, channels: 3, depth: 8, mode: 9 })],
    ['rgb16.psd', psd({ width: w, height: h, channels: 3, depth: 16, mode: 3 })],
    ['rgb.psb', psd({ width: w, height: h, channels: 3, depth: 8, mode: 3, version: 2 })],
    ['rgb-3layers.psd', psd({ width: w, height: h, channels: 3, depth: 8, mode: 3, layers: 3 })],
    ['rgb.dds', dds({ width: w, height: h, flags: 0x40, bits: 24, masks: [0xff0000, 0xff00, 0xff, 0] })],
    ['rgba.dds', dds({ width: w, height: h, flags: 0x41, bits: 32, masks: [0xff0000, 0xff00, 0xff, 0xff000000] })],
    ['lum8.dds', dds({ width: w, height: h, flags: 0x20000, bits: 8, masks: [0xff, 0, 0, 0] })],
    ['lum16a.dds', dds({ width: w, height: h, flags: 0x20001, bits: 16, masks: [0xff, 0, 0, 0xff00] })],
    ['dxt1.dds', dds({ width: w, height: h, flags: 0x4, fourcc: 'DXT1' })],
    ['dxt5.dds', dds({ width: w, height: h, flags: 0x4, fourcc: 'DXT5' })],
    ['ati1.dds', dds({ width: w, height: h, flags: 0x4, fourcc: 'ATI1' })],
    ['ati2.dds', dds({ width: w, height: h, flags: 0x4, fourcc: 'ATI2' })],
    ['bc4u.dds', dds({ width: w, height: h, flags: 0x4, fourcc: 'BC4U' })],
    ['bc7.dds', dds({ width: w, height: h, flags: 0x4, fourcc: 'DX10', dxgi: 98 })],
    ['bc6h.dds', dds({ width: w, height: h, flags: 0x4, fourcc: 'DX10', dxgi: 95 })],
    ['bc1-dx10.dds', dds({ width: w, height: h, flags: 0x4, fourcc: 'DX10', dxgi: 71 })],
    ['r8g8b8a8.dds', dds({ width: w, height: h, flags: 0x4, fourcc: 'DX10', dxgi: 28 })],
    ['unknown.dds', dds({ width: w, height: h, flags: 0x4, fourcc: 'XYZW' })],
    ['grey-deep.pgm', concat(text(`P5\n${w} ${h}\n1000\n`), new Uint8Array(w * h * 2))],
    ['grey-65535.pgm', concat(text(`P5\n# comment\n${w} ${h}\n65535\n`), new Uint8Array(w * h * 2))],
    ['plain.ppm', concat(text(`P3\n${w} ${h}\n255\n`), text('0 '.repeat(w * h * 3)))],
    ['plain.pbm', concat(text(`P1\n${w} ${h}\n`), text('0 '.repeat(w * h)))],
    ['plain.pgm', concat(text(`P2 ${w} ${h} 255\n`), text('7 '.repeat(w * h)))],
    ['deep.ppm', concat(text(`P6\n${w} ${h}\n4095\n`), new Uint8Array(w * h * 6))],
    ['grey.pfm', concat(text(`Pf\n${w} ${h}\n-1.0\n`), new Uint8Array(w * h * 4))],
    ['colour.pfm', concat(text(`PF\n${w} ${h}\n-1.0\n`), new Uint8Array(w * h * 12))],
    [
      'rgb.pam',
      concat(
        text(`P7\nWIDTH ${w}\nHEIGHT ${h}\nDEPTH 3\nMAXVAL 255\nTUPLTYPE RGB\nENDHDR\n`),
        new Uint8Array(w * h * 3),
      ),
    ],
    ['rgb16.tga', tga({ width: w, height: h, type: 2, depth: 16 })],
    ['rgb16-alpha.tga', tga({ width: w, height: h, type: 2, depth: 16, alphaBits: 1 })],
    ['grey16.tga', tga({ width: w, height: h, type: 3, depth: 16, alphaBits: 8 })],
    ['mapped.tga', tga({ width: w, height: h, type: 1, depth: 8 })],
  ]);
  return files;
}
