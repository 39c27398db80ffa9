import { ascii, u16be, u32be, u64be, u8 } from '../bytes.js';
import { fail, ProbeFailure } from '../failure.js';
import type { Format, Header } from '../header.js';
import type { ByteSource } from '../source.js';

/**
 * HEIF / AVIF still images (ISO/IEC 14496-12 ISOBMFF §4.2 box layout, §4.3 ftyp, §8.11 meta, hdlr,
 * pitm, iinf/infe, iloc, iref, idat; ISO/IEC 23008-12 HEIF §6.5 item properties ispe, pixi, irot,
 * imir, clap, auxC, §6.6.2.3 ImageGrid 'grid', §6.6.2.1 'iden'; AV1-ISOBMFF §2.3 av1C; AVIF §4
 * alpha auxiliary images).
 *
 * What libvips' heifload (over libheif) does, verified against sharp 0.35 / libheif 1.23:
 * - it loads the primary item (pitm) as 3 bands, 4 when an auxiliary image with an alpha URN
 *   points at it through an 'auxl' reference; greyscale (monochrome av1C) still loads as 3 bands;
 * - 16-bit samples when av1C says high_bitdepth (10 or 12 bits), else 8-bit; pixi is ignored;
 * - width x height are the last ispe's, transformed by irot (90/270 swap) and clap (rounded
 *   size) in ipma order; a clap window the decoder has to clamp makes the decode fail;
 * - pages = image items that are not hidden, not thumbnails (thmb) and not auxiliary (auxl);
 * - libvips sniffs only some major brands, libheif needs a supported compatible brand, and
 *   msf1/isom/mp41/mp42 send it to the (moov) sequence reader instead of the items;
 * - only AV1 decodes here: HEVC (hvc1) items are reported as 'heic', unsupported.
 * Boxes are walked by seeking: mdat is never read, only box headers and small metadata bodies.
 */

/** Major brands libvips recognises as HEIF (its is_a check on bytes 4..12). */
const VIPS_MAJOR = new Set(['heic', 'heix', 'hevc', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1', 'avif']);
/** Compatible brands with which libheif reads the items of a meta box. */
const ITEM_BRANDS = new Set(['heic', 'heix', 'mif1', 'avif', '1pic', 'jpeg']);
/** Compatible brands that make libheif read the file as a (moov) sequence. */
const SEQUENCE_BRANDS = new Set(['msf1', 'isom', 'mp41', 'mp42']);
/** Brands of HEIF/AVIF images or sequences that sharp cannot open. */
const IMAGE_BRANDS = new Set([
  ...VIPS_MAJOR,
  ...ITEM_BRANDS,
  'avis',
  'avio',
  'mif2',
  'mif3',
  'miaf',
  'heim',
  'heis',
  'heif',
]);
/** Item types libheif treats as images (they count as pages). */
const IMAGE_TYPES = new Set(['av01', 'hvc1', 'grid', 'iden', 'iovl', 'jpeg', 'j2k1', 'vvc1', 'avc1', 'mski', 'unci']);
/** auxC URNs of an alpha plane (HEIF §7.5.3.1 for HEVC/AVC, AVIF §4 for AV1). */
const ALPHA_URNS = new Set([
  'urn:mpeg:mpegB:cicp:systems:auxiliary:alpha',
  'urn:mpeg:hevc:2015:auxid:1',
  'urn:mpeg:avc:2015:auxid:1',
]);
/** Item properties libheif parses; an essential property outside this list stops it. */
const KNOWN_PROPERTIES = new Set([
  'ispe',
  'pixi',
  'irot',
  'imir',
  'clap',
  'colr',
  'pasp',
  'auxC',
  'av1C',
  'hvcC',
  'vvcC',
  'avcC',
  'jpgC',
  'j2kH',
  'lsel',
  'a1op',
  'a1lx',
  'oinf',
  'tols',
  'udes',
  'cmin',
  'cmex',
  'uncC',
  'cmpd',
  'cmpC',
  'icef',
  'cpat',
  'splz',
  'sbpm',
  'snuc',
  'cloc',
  'gimi',
  'clli',
  'mdcv',
  'amve',
  'rloc',
  'rref',
  'taic',
  'itai',
  'mskC',
  'altt',
  'elng',
  'ster',
  'dinf',
]);

/** Most boxes walked at the top level or inside one container. */
const MAX_BOXES = 10_000;
/** libheif refuses files with more items than this (its default security limit). */
const MAX_ITEMS = 1000;
/** Largest metadata box body read whole (ipma, iref, iloc, pitm, small properties). */
const MAX_BODY = 1 << 20;
/** Largest ftyp read. */
const MAX_FTYP = 4096;
/** libvips reads width/height as C ints. */
const MAX_DIM = 0x7fffffff;
const INT32_MAX = 0x7fffffff;

interface Box {
  type: string;
  start: number;
  /** First byte after the header (and after version/flags for full boxes read via fullBody). */
  body: number;
  end: number;
}

interface Item {
  id: number;
  type: string;
  hidden: boolean;
}

interface Assoc {
  index: number;
  essential: boolean;
}

interface Location {
  method: number;
  base: number;
  extents: [number, number][];
}

interface Dims {
  width: number;
  height: number;
}

interface Resolved extends Dims {
  highBitDepth: boolean;
  /** The items whose coded data the decode reads. */
  dataItems: number[];
}

const bad = (message: string) => fail('heif', 'E_BAD_HEADER', message);

/** The box at `at`, which must end by `limit` (the parent's end, or the file's for top-level boxes). */
function readBox(src: ByteSource, at: number, limit: number, topLevel: boolean): Box {
  const h = src.need(at, 8, () => `the box header at byte ${at}`);
  let size = u32be(h, 0);
  const type = ascii(h, 4, 8);
  let body = at + 8;
  if (size === 1) {
    size = u64be(
      src.need(at + 8, 8, () => `the 64-bit size of box '${type}'`),
      0,
    );
    body = at + 16;
  } else if (size === 0) {
    // Size 0: the box runs to the end of its container (ISOBMFF §4.2), or of the file.
    size = (limit === Infinity ? src.size : limit) - at;
  }
  if (size < body - at) throw bad(`box '${type}' at byte ${at} claims ${size} bytes, less than its header`);
  const end = at + size;
  if (end > limit) {
    if (topLevel)
      throw fail('heif', 'E_TRUNCATED', `box '${type}' at byte ${at} runs past the end of the file (${size} bytes)`);
    throw bad(`box '${type}' at byte ${at} overruns its parent box`);
  }
  return { type, start: at, body, end };
}

/** The child boxes of [start, end), in order. */
function children(src: ByteSource, start: number, end: number, what: string): Box[] {
  const out: Box[] = [];
  for (let at = start; at < end; ) {
    if (out.length >= MAX_BOXES) throw fail('heif', 'E_STRUCTURE_LOOP', `more than ${MAX_BOXES} boxes in ${what}`);
    if (end - at < 8) throw bad(`${end - at} stray bytes at the end of ${what}`);
    const box = readBox(src, at, end, false);
    out.push(box);
    at = box.end;
  }
  return out;
}

/** The body of a box, read whole (bounded). */
function bodyOf(src: ByteSource, box: Box, min: number): Uint8Array {
  const len = box.end - box.body;
  if (len < min) throw bad(`box '${box.type}' is ${len} bytes, too short`);
  if (len > MAX_BODY) throw fail('heif', 'E_HEADER_TOO_LARGE', `box '${box.type}' has ${len} bytes of metadata`);
  return src.need(box.body, len, () => `box '${box.type}'`);
}

/** A cursor over a box body that fails, never reads past its end. */
class Reader {
  constructor(
    private readonly b: Uint8Array,
    public at: number,
    private readonly what: string,
  ) {}
  need(n: number): void {
    if (this.at + n > this.b.length)
      throw bad(`${this.what} ends early (needs ${n} bytes at ${this.at} of ${this.b.length})`);
  }
  uint(n: number): number {
    this.need(n);
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + u8(this.b, this.at + i);
    this.at += n;
    if (!Number.isSafeInteger(v)) throw bad(`${this.what} holds a value above 2^53`);
    return v;
  }
  get left(): number {
    return this.b.length - this.at;
  }
}

export function readHeifHeader(src: ByteSource): Header {
  // --- ftyp (ISOBMFF §4.3): libvips sniffs the major brand, libheif the compatible ones.
  const first = readBox(src, 0, src.size, true);
  if (first.type !== 'ftyp') throw fail('heif', 'E_BAD_SIGNATURE', 'the first box is not ftyp');
  const ftypLen = first.end - first.body;
  if (ftypLen < 8) throw bad('the ftyp box is too short');
  const ftyp = src.need(first.body, Math.min(ftypLen, MAX_FTYP), 'the ftyp box');
  const major = ascii(ftyp, 0, 4);
  const compat = new Set<string>();
  for (let i = 8; i + 4 <= ftyp.length; i += 4) compat.add(ascii(ftyp, i, i + 4));
  const brandFormat: Format = major === 'avif' || major === 'avis' || major === 'avio' ? 'avif' : 'heif';
  if (!VIPS_MAJOR.has(major)) {
    if (major === 'crx ') throw fail('raw', 'E_UNSUPPORTED_FORMAT', "a Canon CR3 raw file (ftyp 'crx ')");
    const image = IMAGE_BRANDS.has(major) || [...compat].some((b) => IMAGE_BRANDS.has(b) && !SEQUENCE_BRANDS.has(b));
    if (image)
      throw fail(brandFormat, 'E_UNSUPPORTED_FORMAT', `major brand '${major}' is not one libvips opens as HEIF`);
    throw fail(null, 'E_NOT_IMAGE', `an ISO base media file (brand '${major}'), not an image`);
  }
  const sequence = [...compat].some((b) => SEQUENCE_BRANDS.has(b));
  if (!sequence && ![...compat].some((b) => ITEM_BRANDS.has(b))) {
    throw fail(
      brandFormat,
      'E_UNSUPPORTED_FEATURE',
      'ftyp lists no compatible brand libheif reads (heic, heix, mif1, avif, 1pic, jpeg)',
    );
  }

  // --- top-level boxes: find meta (it may follow mdat), seek over everything else. libheif
  // ignores bytes after the last whole box and malformed boxes after meta (trailing junk decodes fine), so a box
  // that runs past the end only matters when it is meta; a cut through item data is caught by the iloc checks.
  let meta: Box | undefined;
  let moov = false;
  let at = first.end;
  for (let n = 0; src.size - at >= 8; n++) {
    if (n >= MAX_BOXES) throw fail('heif', 'E_STRUCTURE_LOOP', `more than ${MAX_BOXES} top-level boxes`);
    let box: Box;
    try {
      box = readBox(src, at, Infinity, true);
    } catch (e) {
      // A malformed box after meta is ignored as trailing junk, as libheif does.
      if (meta && e instanceof ProbeFailure && e.code === 'E_BAD_HEADER') break;
      throw e;
    }
    if (box.end > src.size) {
      if (box.type === 'meta')
        throw fail('heif', 'E_TRUNCATED', `the meta box runs past the end of the file (ends at ${box.end})`);
      break;
    }
    if (box.type === 'meta' && !meta) meta = box;
    if (box.type === 'moov') moov = true;
    at = box.end;
  }
  if (sequence) {
    if (!moov) throw bad("ftyp names a sequence brand (msf1/isom/mp41/mp42) but there is no 'moov' box");
    throw fail(brandFormat, 'E_UNSUPPORTED_FEATURE', 'an image sequence (moov track), not a still image');
  }
  if (!meta) throw fail('heif', 'E_TRUNCATED', "no 'meta' box before the end of the file");
  return readMeta(src, meta, brandFormat);
}

function readMeta(src: ByteSource, meta: Box, brandFormat: Format): Header {
  // meta is a full box (ISOBMFF §8.11.1): 4 bytes of version and flags precede its children.
  if (meta.end - meta.body < 4) throw bad('the meta box is too short');
  const boxes = children(src, meta.body + 4, meta.end, 'meta');
  const find = (t: string) => boxes.find((b) => b.type === t);

  const hdlr = find('hdlr');
  if (!hdlr || ascii(bodyOf(src, hdlr, 12), 8, 12) !== 'pict') throw bad("no 'hdlr' box of type 'pict' in meta");

  const pitm = find('pitm');
  if (!pitm) throw bad("no primary item ('pitm')");
  const pb = bodyOf(src, pitm, 6);
  const primary = u8(pb, 0) === 0 ? u16be(pb, 4) : new Reader(pb, 4, 'pitm').uint(4);

  const items = readItems(src, find('iinf'));
  const refs = readRefs(src, find('iref'), items);
  const { props, assoc } = readProperties(
    src,
    boxes.filter((b) => b.type === 'iprp'),
  );
  const locations = readLocations(src, find('iloc'));
  const idat = find('idat');

  // Every association must name a property that exists; an unknown essential one stops libheif.
  for (const [id, list] of assoc) {
    for (const a of list) {
      if (a.index === 0) continue;
      const p = props[a.index - 1];
      if (!p) throw bad(`ipma gives item ${id} property ${a.index}, but ipco holds ${props.length}`);
      if (a.essential && !KNOWN_PROPERTIES.has(p.type)) {
        throw fail(
          brandFormat,
          'E_UNSUPPORTED_FEATURE',
          `item ${id} has an essential property '${p.type}' the decoder does not know`,
        );
      }
    }
  }
  const propsOf = (id: number) => (assoc.get(id) ?? []).filter((a) => a.index > 0).map((a) => props[a.index - 1]!);
  const auxType = (id: number): string | undefined => {
    const aux = propsOf(id).find((p) => p.type === 'auxC');
    if (!aux) return undefined;
    const b = bodyOf(src, aux, 4);
    let s = '';
    for (let i = 4; i < b.length && b[i] !== 0; i++) s += String.fromCharCode(b[i]!);
    return s;
  };

  // Auxiliary images must say what they are (libheif: "No auxC property for image").
  const auxOf = new Set<number>();
  for (const r of refs.filter((r) => r.type === 'auxl')) {
    if (auxType(r.from) === undefined) throw bad(`auxiliary image ${r.from} has no auxC property`);
    auxOf.add(r.from);
  }
  const thumbs = new Set(refs.filter((r) => r.type === 'thmb').map((r) => r.from));

  const main = items.get(primary);
  if (!main || (!IMAGE_TYPES.has(main.type) && main.type !== 'hev1'))
    throw bad(`the primary item ${primary} is missing or not an image`);
  if (main.hidden) throw bad(`the primary item ${primary} is hidden`);

  // --- the primary image: its dimensions as libheif reports them, and the codec of its data.
  // The last ispe associated with an item is the one libheif keeps (HEIF §6.5.3).
  const ispeOf = (id: number): Dims => {
    const ispes = propsOf(id).filter((p) => p.type === 'ispe');
    const ispe = ispes[ispes.length - 1];
    if (!ispe) throw fail('heif', 'E_DIMENSIONS', `image item ${id} has no ispe property (no size)`);
    const b = bodyOf(src, ispe, 12);
    return { width: u32be(b, 4), height: u32be(b, 8) };
  };
  // The size after the transformative properties, applied in ipma order (HEIF §6.5.10-12).
  const dimsOf = (id: number): Dims => {
    const ps = propsOf(id);
    let d = ispeOf(id);
    if (d.width === 0 || d.height === 0)
      throw fail('heif', 'E_DIMENSIONS', `item ${id} has a zero size ${d.width}x${d.height}`);
    for (const p of ps) {
      if (p.type === 'irot') {
        if ((u8(bodyOf(src, p, 1), 0) & 1) === 1) d = { width: d.height, height: d.width };
      } else if (p.type === 'clap') {
        d = applyClap(bodyOf(src, p, 32), d);
      }
    }
    return d;
  };
  const av1 = (id: number): boolean => {
    const c = propsOf(id).find((p) => p.type === 'av1C');
    if (!c) throw bad(`AV1 item ${id} has no av1C property`);
    // av1C byte 2: seq_tier_0(1) high_bitdepth(1) twelve_bit(1) monochrome(1) ... (AV1-ISOBMFF §2.3.3).
    return (u8(bodyOf(src, c, 4), 2) & 0x40) !== 0;
  };
  const unsupported = (id: number, type: string): never => {
    if (type === 'hvc1' || type === 'hev1') {
      throw fail(
        'heic',
        'E_UNSUPPORTED_FORMAT',
        `HEVC-coded image (item ${id} is '${type}'): this sharp has no HEVC decoder`,
      );
    }
    throw fail('heif', 'E_UNSUPPORTED_FEATURE', `image item ${id} is '${type}', which this sharp does not decode`);
  };
  const dimgOf = (id: number) => refs.find((r) => r.type === 'dimg' && r.from === id)?.to ?? [];

  const resolve = (id: number): Resolved => {
    const item = items.get(id)!;
    if (item.type === 'av01') return { ...dimsOf(id), highBitDepth: av1(id), dataItems: [id] };
    if (item.type === 'grid') {
      const tiles = dimgOf(id);
      if (tiles.length === 0) throw bad(`grid item ${id} references no tiles`);
      for (const t of tiles) {
        const tile = items.get(t);
        if (!tile) throw bad(`grid item ${id} references missing item ${t}`);
        if (tile.type !== 'av01') unsupported(t, tile.type);
      }
      const g = readGrid(src, locations.get(id), idat, id);
      if (tiles.length < g.rows * g.cols)
        throw bad(`grid ${id} has ${g.rows}x${g.cols} cells but ${tiles.length} tiles`);
      const ispe = ispeOf(id);
      if (ispe.width !== g.width || ispe.height !== g.height) {
        throw bad(`grid ${id} is ${g.width}x${g.height} but its ispe says ${ispe.width}x${ispe.height}`);
      }
      const tile = dimsOf(tiles[0]!);
      if (tile.width * g.cols < g.width || tile.height * g.rows < g.height)
        throw bad(`the tiles of grid ${id} do not cover it`);
      return { ...dimsOf(id), highBitDepth: av1(tiles[0]!), dataItems: [id, ...tiles] };
    }
    if (item.type === 'iden') {
      const inputs = dimgOf(id);
      const target = items.get(inputs[0] ?? -1);
      if (inputs.length !== 1 || !target) throw bad(`identity item ${id} must reference one image`);
      if (target.type !== 'av01') unsupported(target.id, target.type);
      return { ...dimsOf(id), highBitDepth: av1(target.id), dataItems: [target.id] };
    }
    return unsupported(id, item.type);
  };
  const image = resolve(primary);
  if (image.width > MAX_DIM || image.height > MAX_DIM) {
    throw fail('heif', 'E_DIMENSIONS', `dimensions ${image.width}x${image.height} exceed 2^31-1`);
  }
  // Alpha: an auxiliary image with an alpha URN pointing at the primary (AVIF §4, HEIF §6.6.4).
  const alphaItem = refs.find(
    (r) => r.type === 'auxl' && r.to.includes(primary) && ALPHA_URNS.has(auxType(r.from) ?? ''),
  );
  const dataItems = [...image.dataItems];
  if (alphaItem) dataItems.push(alphaItem.from);
  // The coded data must be in the file: a file cut before its mdat cannot decode.
  for (const id of dataItems) checkLocation(src, locations.get(id), idat, id);

  let frames = 0;
  for (const item of items.values()) {
    if (IMAGE_TYPES.has(item.type) && !item.hidden && !thumbs.has(item.id) && !auxOf.has(item.id)) frames++;
  }
  const channels = alphaItem ? 4 : 3;
  const bits = image.highBitDepth ? 16 : 8;
  return {
    format: 'avif',
    width: image.width,
    height: image.height,
    channels,
    bitsPerSample: bits,
    frames: Math.max(1, frames),
    space: bits === 16 ? 'rgb16' : 'srgb',
  };
}

/** infe entries of iinf (ISOBMFF §8.11.6); versions 2 and 3 carry the item type. */
function readItems(src: ByteSource, iinf: Box | undefined): Map<number, Item> {
  const items = new Map<number, Item>();
  if (!iinf) throw bad("no item information ('iinf')");
  const head = src.need(iinf.body, Math.min(8, iinf.end - iinf.body), 'the iinf box');
  const v = u8(head, 0);
  const skip = v === 0 ? 6 : 8;
  if (iinf.end - iinf.body < skip) throw bad('the iinf box is too short');
  for (const infe of children(src, iinf.body + skip, iinf.end, 'iinf')) {
    if (infe.type !== 'infe') continue;
    if (items.size >= MAX_ITEMS) throw fail('heif', 'E_HEADER_TOO_LARGE', `more than ${MAX_ITEMS} items`);
    const len = infe.end - infe.body;
    const b = src.need(infe.body, Math.min(len, 16), "an 'infe' box");
    const r = new Reader(b, 0, 'infe');
    const version = r.uint(1);
    const flags = r.uint(3);
    if (version < 2) continue; // legacy entries carry no item type: never an image item
    const id = r.uint(version === 2 ? 2 : 4);
    r.uint(2); // item_protection_index
    r.need(4);
    const type = ascii(b, r.at, r.at + 4);
    if (!items.has(id)) items.set(id, { id, type, hidden: (flags & 1) === 1 });
  }
  return items;
}

interface Ref {
  type: string;
  from: number;
  to: number[];
}

/** iref (ISOBMFF §8.11.12): typed references, with ids of 16 bits (v0) or 32 bits (v1). */
function readRefs(src: ByteSource, iref: Box | undefined, items: Map<number, Item>): Ref[] {
  if (!iref) return [];
  const b = bodyOf(src, iref, 4);
  const idBytes = u8(b, 0) === 0 ? 2 : 4;
  const refs: Ref[] = [];
  for (let at = 4; at < b.length; ) {
    if (refs.length >= MAX_BOXES) throw fail('heif', 'E_STRUCTURE_LOOP', `more than ${MAX_BOXES} item references`);
    const r = new Reader(b, at, 'iref');
    const size = r.uint(4);
    r.need(4);
    const type = ascii(b, r.at, r.at + 4);
    r.at += 4;
    if (size < 8 || at + size > b.length) throw bad(`reference box '${type}' has a bad size ${size}`);
    const inner = new Reader(b.subarray(0, at + size), r.at, `reference '${type}'`);
    const from = inner.uint(idBytes);
    const count = inner.uint(2);
    inner.need(count * idBytes); // the count is checked against the box before any id is read
    const to: number[] = [];
    for (let i = 0; i < count; i++) to.push(inner.uint(idBytes));
    refs.push({ type, from, to });
    at += size;
  }
  // libheif follows thumbnail, auxiliary and derivation references and fails on dangling ones.
  for (const r of refs) {
    if (r.type !== 'thmb' && r.type !== 'auxl' && r.type !== 'dimg') continue;
    for (const id of [r.from, ...r.to]) {
      if (!items.has(id)) throw bad(`'${r.type}' reference names item ${id}, which does not exist`);
    }
  }
  return refs;
}

/** iprp/ipco properties (by position, 1-based in ipma) and ipma associations (HEIF §9.3). */
function readProperties(src: ByteSource, iprps: Box[]): { props: Box[]; assoc: Map<number, Assoc[]> } {
  const props: Box[] = [];
  const assoc = new Map<number, Assoc[]>();
  const iprp = iprps[0];
  if (!iprp) return { props, assoc };
  const inner = children(src, iprp.body, iprp.end, 'iprp');
  const ipco = inner.find((b) => b.type === 'ipco');
  if (ipco) props.push(...children(src, ipco.body, ipco.end, 'ipco'));
  for (const ipma of inner.filter((b) => b.type === 'ipma')) {
    const b = bodyOf(src, ipma, 8);
    const r = new Reader(b, 0, 'ipma');
    const version = r.uint(1);
    const flags = r.uint(3);
    const count = r.uint(4);
    // Each entry takes at least 3 bytes: check the count against the box before walking it.
    if (count * 3 > r.left) throw bad(`ipma claims ${count} entries in ${r.left} bytes`);
    for (let i = 0; i < count; i++) {
      const id = r.uint(version < 1 ? 2 : 4);
      const n = r.uint(1);
      const wide = (flags & 1) === 1;
      r.need(n * (wide ? 2 : 1));
      const list: Assoc[] = assoc.get(id) ?? [];
      for (let k = 0; k < n; k++) {
        const v = r.uint(wide ? 2 : 1);
        const high = wide ? 0x8000 : 0x80;
        list.push({ essential: (v & high) !== 0, index: v & (high - 1) });
      }
      if (!assoc.has(id)) assoc.set(id, list);
    }
  }
  return { props, assoc };
}

/** iloc (ISOBMFF §8.11.3): where each item's data lives. */
function readLocations(src: ByteSource, iloc: Box | undefined): Map<number, Location> {
  const out = new Map<number, Location>();
  if (!iloc) return out;
  const b = bodyOf(src, iloc, 8);
  const r = new Reader(b, 0, 'iloc');
  const version = r.uint(1);
  r.uint(3);
  const sizes = r.uint(1);
  const sizes2 = r.uint(1);
  const offSize = sizes >> 4;
  const lenSize = sizes & 15;
  const baseSize = sizes2 >> 4;
  const idxSize = version === 1 || version === 2 ? sizes2 & 15 : 0;
  for (const s of [offSize, lenSize, baseSize, idxSize])
    if (s !== 0 && s !== 4 && s !== 8) throw bad(`iloc field size ${s}`);
  const count = r.uint(version < 2 ? 2 : 4);
  if (count > MAX_ITEMS * 4) throw fail('heif', 'E_HEADER_TOO_LARGE', `iloc lists ${count} items`);
  for (let i = 0; i < count; i++) {
    const id = r.uint(version < 2 ? 2 : 4);
    const method = version === 1 || version === 2 ? r.uint(2) & 15 : 0;
    r.uint(2); // data_reference_index
    const base = r.uint(baseSize);
    const extentCount = r.uint(2);
    const each = idxSize + offSize + lenSize;
    r.need(extentCount * each);
    const extents: [number, number][] = [];
    for (let e = 0; e < extentCount; e++) {
      r.uint(idxSize);
      extents.push([r.uint(offSize), r.uint(lenSize)]);
    }
    if (!out.has(id)) out.set(id, { method, base, extents });
  }
  return out;
}

/** The file range [start, end) of one extent; length 0 means "to the end" (§8.11.3.3). */
function extentRange(
  src: ByteSource,
  loc: Location,
  idat: Box | undefined,
  e: [number, number],
  id: number,
): [number, number] {
  let origin = 0;
  let limit = src.size;
  if (loc.method === 1) {
    if (!idat) throw bad(`item ${id} lives in an idat box that is missing`);
    origin = idat.body;
    limit = idat.end;
  } else if (loc.method !== 0) {
    throw fail('heif', 'E_UNSUPPORTED_FEATURE', `item ${id} uses iloc construction method ${loc.method}`);
  }
  const start = origin + loc.base + e[0];
  const end = e[1] === 0 ? limit : start + e[1];
  if (end > limit) {
    if (loc.method === 0) throw fail('heif', 'E_TRUNCATED', `the data of item ${id} runs past the end of the file`);
    throw bad(`the data of item ${id} runs past its idat box`);
  }
  return [start, end];
}

function checkLocation(src: ByteSource, loc: Location | undefined, idat: Box | undefined, id: number): void {
  if (!loc) throw bad(`item ${id} has no location (iloc)`);
  if (loc.extents.length === 0) throw bad(`item ${id} has no data extents`);
  for (const e of loc.extents) extentRange(src, loc, idat, e, id);
}

/** ImageGrid (HEIF §6.6.2.3.2): rows, columns and the output size, from the grid item's data. */
function readGrid(src: ByteSource, loc: Location | undefined, idat: Box | undefined, id: number) {
  if (!loc) throw bad(`grid item ${id} has no location (iloc)`);
  const parts: number[] = [];
  for (const e of loc.extents.slice(0, 32)) {
    if (parts.length >= 12) break;
    const [start, end] = extentRange(src, loc, idat, e, id);
    const take = Math.min(end - start, 12 - parts.length);
    parts.push(...src.need(start, take, () => `the grid data of item ${id}`));
  }
  const b = Uint8Array.from(parts);
  const r = new Reader(b, 0, `the grid data of item ${id}`);
  if (r.uint(1) !== 0) throw fail('heif', 'E_UNSUPPORTED_FEATURE', `grid item ${id} has an unknown version`);
  const wide = (r.uint(1) & 1) === 1;
  const rows = r.uint(1) + 1;
  const cols = r.uint(1) + 1;
  const width = r.uint(wide ? 4 : 2);
  const height = r.uint(wide ? 4 : 2);
  return { rows, cols, width, height };
}

/**
 * clap (ISOBMFF §12.1.4): the clean aperture. Its size is rounded to whole pixels; libheif
 * crops from left = trunc(horizOff + (W-1)/2 - (cleanW-1)/2) to right = round(cleanW-1+left)
 * and clamps the window to the image, after which libvips' size check fails the decode.
 */
function applyClap(b: Uint8Array, d: Dims): Dims {
  const f = [0, 4, 8, 12, 16, 20, 24, 28].map((i) => u32be(b, i));
  const [wN, wD, hN, hD, xN, xD, yN, yD] = f as [number, number, number, number, number, number, number, number];
  for (const v of [wN, wD, hN, hD, xD, yD]) {
    if (v > INT32_MAX) throw bad('a clap fraction is out of range');
  }
  if (wD === 0 || hD === 0 || xD === 0 || yD === 0) throw bad('a clap fraction has a zero denominator');
  const round = (n: bigint, dd: bigint) => (n + dd / 2n) / dd;
  const width = round(BigInt(wN), BigInt(wD));
  const height = round(BigInt(hN), BigInt(hD));
  if (width <= 0n || height <= 0n) throw bad('the clean aperture has zero size');
  const window = (size: number, cN: number, cD: number, oN: number, oD: number): boolean => {
    const C = BigInt(cN);
    const Cd = BigInt(cD);
    const O = BigInt(oN | 0); // offsets are signed
    const Od = BigInt(oD);
    // left = O/Od + (size-1)/2 - (C/Cd - 1)/2, over the common denominator 2*Od*Cd; BigInt / truncates.
    const num = 2n * O * Cd + BigInt(size - 1) * Od * Cd - (C - Cd) * Od;
    const left = num / (2n * Od * Cd);
    const right = round(C - Cd + left * Cd, Cd);
    return left >= 0n && right <= BigInt(size - 1) && left <= right;
  };
  if (!window(d.width, wN, wD, xN, xD) || !window(d.height, hN, hD, yN, yD)) {
    throw bad('the clean aperture (clap) reaches outside the image');
  }
  return { width: Number(width), height: Number(height) };
}
