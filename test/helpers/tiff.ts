/** A small TIFF/BigTIFF writer for tests: uncompressed single-strip pages built byte by byte. */

export interface TiffField {
  tag: number;
  /** Field type: 1 BYTE, 2 ASCII, 3 SHORT, 4 LONG, 16 LONG8 ... */
  type: number;
  values: number[];
}

export interface TiffPage {
  width: number;
  height: number;
  samples?: number;
  bits?: number | number[];
  photometric?: number;
  sampleFormat?: number;
  compression?: number;
  colormap?: number[];
  extraSamples?: number[];
  orientation?: number;
  /** Extra or replacement fields, written as given. */
  fields?: TiffField[];
  /** Leave out these tags. */
  omit?: number[];
}

export interface TiffOptions {
  le?: boolean;
  big?: boolean;
  pages: TiffPage[];
}

const SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 16: 8 };

/** Where each structure of a built file starts, for cutting it at every boundary. */
export interface TiffLayout {
  bytes: Uint8Array;
  /** Offsets of each IFD. */
  ifds: number[];
  /** Offsets of each out-of-line field value. */
  values: number[];
}

export function makeTiff(opts: TiffOptions): TiffLayout {
  const le = opts.le ?? true;
  const big = opts.big ?? false;
  const out: number[] = [];
  const put = (v: number, n: number, at?: number): void => {
    const bytes: number[] = [];
    let x = BigInt(v);
    for (let i = 0; i < n; i++) {
      bytes.push(Number(x & 0xffn));
      x >>= 8n;
    }
    if (!le) bytes.reverse();
    if (at === undefined) out.push(...bytes);
    else
      bytes.forEach((b, i) => {
        out[at + i] = b;
      });
  };
  out.push(...(le ? [0x49, 0x49] : [0x4d, 0x4d]));
  put(big ? 43 : 42, 2);
  if (big) {
    put(8, 2);
    put(0, 2);
  }
  const firstPtr = out.length;
  put(0, big ? 8 : 4);
  const ifds: number[] = [];
  const valueOffsets: number[] = [];
  let prevNextPtr = firstPtr;

  for (const p of opts.pages) {
    const spp = p.samples ?? 1;
    const bitsArr = Array.isArray(p.bits)
      ? p.bits
      : Array.from({ length: spp }, () => (p.bits as number | undefined) ?? 8);
    const rowBytes = Math.ceil((p.width * bitsArr.reduce((a, b) => a + b, 0)) / 8);
    const dataLen = rowBytes * p.height;
    const dataAt = out.length;
    for (let i = 0; i < dataLen; i++) out.push(0);
    if (out.length % 2) out.push(0);
    const fields: TiffField[] = [
      { tag: 256, type: 4, values: [p.width] },
      { tag: 257, type: 4, values: [p.height] },
      { tag: 258, type: 3, values: bitsArr },
      { tag: 259, type: 3, values: [p.compression ?? 1] },
      { tag: 262, type: 3, values: [p.photometric ?? (spp >= 3 ? 2 : 1)] },
      { tag: 273, type: 4, values: [dataAt] },
      { tag: 277, type: 3, values: [spp] },
      { tag: 278, type: 4, values: [p.height] },
      { tag: 279, type: 4, values: [dataLen] },
      { tag: 284, type: 3, values: [1] },
    ];
    if (p.orientation !== undefined) fields.push({ tag: 274, type: 3, values: [p.orientation] });
    if (p.colormap) fields.push({ tag: 320, type: 3, values: p.colormap });
    if (p.extraSamples) fields.push({ tag: 338, type: 3, values: p.extraSamples });
    if (p.sampleFormat !== undefined)
      fields.push({ tag: 339, type: 3, values: Array.from({ length: spp }, () => p.sampleFormat!) });
    for (const f of p.fields ?? []) {
      const i = fields.findIndex((x) => x.tag === f.tag);
      if (i >= 0) fields[i] = f;
      else fields.push(f);
    }
    const list = fields.filter((f) => !(p.omit ?? []).includes(f.tag)).sort((a, b) => a.tag - b.tag);

    const ifdAt = out.length;
    ifds.push(ifdAt);
    put(ifdAt, big ? 8 : 4, prevNextPtr);
    put(list.length, big ? 8 : 2);
    const inline = big ? 8 : 4;
    const pending: { at: number; f: TiffField }[] = [];
    for (const f of list) {
      put(f.tag, 2);
      put(f.type, 2);
      put(f.values.length, big ? 8 : 4);
      const size = SIZE[f.type]! * f.values.length;
      const slot = out.length;
      if (size <= inline) {
        for (const v of f.values) put(v, SIZE[f.type]!);
        for (let i = size; i < inline; i++) out.push(0);
      } else {
        put(0, inline);
        pending.push({ at: slot, f });
      }
    }
    prevNextPtr = out.length;
    put(0, big ? 8 : 4);
    for (const { at, f } of pending) {
      if (out.length % 2) out.push(0);
      valueOffsets.push(out.length);
      put(out.length, inline, at);
      for (const v of f.values) put(v, SIZE[f.type]!);
    }
  }
  return { bytes: Uint8Array.from(out), ifds, values: valueOffsets };
}

/** A ColorMap of 2^bits entries (reds, then greens, then blues) from a function of the index. */
export function colormap(bits: number, rgb: (i: number) => [number, number, number]): number[] {
  const n = 2 ** bits;
  const r: number[] = [],
    g: number[] = [],
    b: number[] = [];
  for (let i = 0; i < n; i++) {
    const [x, y, z] = rgb(i);
    r.push(x);
    g.push(y);
    b.push(z);
  }
  return [...r, ...g, ...b];
}
