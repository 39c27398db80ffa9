/** Builders for hand-made HEIF/AVIF files (ISOBMFF boxes) in tests. */
import { be16, be32, concat, text } from './bytes.js';

export const box = (type: string, ...body: ArrayLike<number>[]): Uint8Array => {
  const b = concat(...body);
  return concat(be32(8 + b.length), text(type), b);
};
export const fullBox = (type: string, version: number, flags: number, ...body: ArrayLike<number>[]): Uint8Array =>
  box(type, [version, (flags >> 16) & 255, (flags >> 8) & 255, flags & 255], ...body);

export const ispe = (w: number, h: number) => fullBox('ispe', 0, 0, be32(w), be32(h));
export const irot = (a: number) => box('irot', [a]);
export const imir = (a: number) => box('imir', [a]);
export const pixi = (...bits: number[]) => fullBox('pixi', 0, 0, [bits.length, ...bits]);
/** av1C (AV1-ISOBMFF §2.3.3) with the given bit depth and monochrome flag. */
export const av1C = (bits = 8, mono = false) =>
  box('av1C', [
    0x81,
    bits === 12 ? 0x40 : 0x20,
    (bits > 8 ? 0x40 : 0) | (bits === 12 ? 0x20 : 0) | (mono ? 0x10 : 0),
    0,
  ]);
export const ALPHA_URN = 'urn:mpeg:mpegB:cicp:systems:auxiliary:alpha';
export const auxC = (urn = ALPHA_URN) => fullBox('auxC', 0, 0, text(`${urn}\0`));
const s32 = (n: number) => be32(n >>> 0);
export const clap = (wN: number, wD: number, hN: number, hD: number, xN = 0, xD = 1, yN = 0, yD = 1) =>
  box('clap', be32(wN), be32(wD), be32(hN), be32(hD), s32(xN), be32(xD), s32(yN), be32(yD));
/** ImageGrid data (HEIF §6.6.2.3.2). */
export const gridData = (rows: number, cols: number, w: number, h: number, wide = false) =>
  Uint8Array.from([
    0,
    wide ? 1 : 0,
    rows - 1,
    cols - 1,
    ...(wide ? [...be32(w), ...be32(h)] : [...be16(w), ...be16(h)]),
  ]);

export interface HeifItem {
  id: number;
  type: string;
  data: Uint8Array;
  hidden?: boolean;
}
export interface HeifSpec {
  items: HeifItem[];
  /** ipco properties, referred to 1-based by `assoc`. */
  props: Uint8Array[];
  /** Per item: [property index, essential]. */
  assoc: [number, [number, boolean][]][];
  primary?: number;
  refs?: [string, number, number[]][];
  major?: string;
  compat?: string[];
  /** Put meta after mdat. */
  metaLast?: boolean;
  hdlr?: string | null;
  /** Extra top-level boxes between ftyp and the rest. */
  extraTop?: Uint8Array[];
}

/** A whole HEIF file; item data goes in one mdat, located by an iloc with 32-bit offsets. */
export function buildHeif(spec: HeifSpec): Uint8Array {
  const major = spec.major ?? 'avif';
  const compat = spec.compat ?? ['mif1', 'avif', 'miaf'];
  const ftyp = box('ftyp', text(major), be32(0), ...compat.map(text));
  const extra = concat(...(spec.extraTop ?? []));
  const makeMeta = (offsets: number[]) => {
    const parts: Uint8Array[] = [];
    const hdlr = spec.hdlr === undefined ? 'pict' : spec.hdlr;
    if (hdlr !== null) parts.push(fullBox('hdlr', 0, 0, be32(0), text(hdlr), new Uint8Array(12), [0]));
    parts.push(fullBox('pitm', 0, 0, be16(spec.primary ?? spec.items[0]!.id)));
    const iloc = [0x44, 0x00, ...be16(spec.items.length)];
    for (const [i, it] of spec.items.entries()) {
      iloc.push(...be16(it.id), ...be16(0), ...be16(1), ...be32(offsets[i]!), ...be32(it.data.length));
    }
    parts.push(fullBox('iloc', 0, 0, iloc));
    const infes = spec.items.map((it) =>
      fullBox('infe', 2, it.hidden ? 1 : 0, be16(it.id), be16(0), text(it.type), [0]),
    );
    parts.push(fullBox('iinf', 0, 0, be16(spec.items.length), ...infes));
    if (spec.refs?.length) {
      parts.push(
        fullBox(
          'iref',
          0,
          0,
          ...spec.refs.map(([t, from, to]) => box(t, be16(from), be16(to.length), ...to.map(be16))),
        ),
      );
    }
    const ipma: number[] = [...be32(spec.assoc.length)];
    for (const [id, list] of spec.assoc)
      ipma.push(...be16(id), list.length, ...list.map(([i, e]) => (e ? 0x80 : 0) | i));
    parts.push(box('iprp', box('ipco', ...spec.props), fullBox('ipma', 0, 0, ipma)));
    return fullBox('meta', 0, 0, ...parts);
  };
  const data = concat(...spec.items.map((it) => it.data));
  const metaLen = makeMeta(spec.items.map(() => 0)).length;
  let at = ftyp.length + extra.length + 8 + (spec.metaLast ? 0 : metaLen);
  const offsets = spec.items.map((it) => {
    const o = at;
    at += it.data.length;
    return o;
  });
  const meta = makeMeta(offsets);
  const mdat = box('mdat', data);
  return spec.metaLast ? concat(ftyp, extra, mdat, meta) : concat(ftyp, extra, meta, mdat);
}

/** The coded bytes of `item` in a file sharp wrote (iloc version 0, one extent per item). */
export function itemData(file: Uint8Array, item: number): Uint8Array {
  const at = Buffer.from(file).indexOf('iloc');
  const b = file.subarray(at + 4);
  const off = b[4]! >> 4;
  const len = b[4]! & 15;
  const base = b[5]! >> 4;
  const n = (b[6]! << 8) | b[7]!;
  const num = (p: number, size: number) => {
    let v = 0;
    for (let i = 0; i < size; i++) v = v * 256 + b[p + i]!;
    return v;
  };
  let p = 8;
  for (let i = 0; i < n; i++) {
    const id = num(p, 2);
    p += 4;
    const baseOffset = num(p, base);
    p += base;
    const extents = num(p, 2);
    p += 2;
    const parts: Uint8Array[] = [];
    for (let e = 0; e < extents; e++) {
      const o = num(p, off);
      const l = num(p + off, len);
      p += off + len;
      parts.push(file.subarray(baseOffset + o, baseOffset + o + l));
    }
    if (id === item) return concat(...parts);
  }
  throw new Error(`item ${item} not found`);
}

/** Offsets of every box start and end in a HEIF file (top level and the meta tree). */
export function boxBoundaries(file: Uint8Array): number[] {
  const out = new Set<number>();
  const containers: Record<string, number> = { meta: 4, iprp: 0, ipco: 0, iinf: 6, iref: 4 };
  const walk = (start: number, end: number) => {
    for (let at = start; at + 8 <= end; ) {
      const size = ((file[at]! << 24) >>> 0) + (file[at + 1]! << 16) + (file[at + 2]! << 8) + file[at + 3]!;
      const type = String.fromCharCode(...file.subarray(at + 4, at + 8));
      out.add(at);
      out.add(at + 8);
      if (size < 8) break;
      if (type in containers) walk(at + 8 + containers[type]!, at + size);
      at += size;
      out.add(at);
    }
  };
  walk(0, file.length);
  return [...out].filter((n) => n < file.length).sort((a, b) => a - b);
}
