import type { Format, Header } from '../probe/header.js';

/**
 * Which decoder profile opens which format: the one table. Readers return a full header for every
 * format they size; whether the chosen decoder can decode it (ok/over_budget) or not
 * (unsupported, the size still reported) is decided here and nowhere else.
 */

/** A Pillow release as major × 100 + minor: 9.4 is 904, 12.3 is 1203. */
export type PillowRelease = number;
/** The oldest release the pillow and numpy profiles cover by default. */
export const OLDEST_PILLOW: PillowRelease = 900;
/** A bound above every release (`pillow@12` covers 12.0 up to 12.99). */
const NEWEST_PILLOW: PillowRelease = 9999;

export const DECODER_KINDS = ['sharp', 'pillow', 'numpy'] as const;
export type DecoderKind = (typeof DECODER_KINDS)[number];
/** A decoder profile as named on the command line: sharp, pillow, numpy, pillow@9.4, numpy@12. */
export type DecoderProfile = DecoderKind | `pillow@${string}` | `numpy@${string}`;

export interface Decoder {
  kind: DecoderKind;
  /** The Pillow releases the estimate covers, oldest and newest (sharp: null). */
  releases: readonly [PillowRelease, PillowRelease] | null;
}

/** What `--decoder` accepts, for the one-line error. */
export const DECODER_CHOICES = 'sharp, pillow, numpy, pillow@<version>, numpy@<version> (e.g. pillow@9.4, pillow@12)';

/** Every name `parseDecoder` accepts (a patch number is accepted and does not matter). */
export const DECODER_PATTERN = /^(?:sharp|(pillow|numpy)(?:@(9|[1-9][0-9])(?:\.([0-9]{1,2})(?:\.[0-9]{1,3})?)?)?)$/;

/** The profile a name stands for, or null when it names none. */
export function parseDecoder(name: string): Decoder | null {
  if (name === 'sharp') return { kind: 'sharp', releases: null };
  const m = DECODER_PATTERN.exec(name);
  if (!m) return null;
  const kind = m[1] as 'pillow' | 'numpy';
  if (m[2] === undefined) return { kind, releases: [OLDEST_PILLOW, NEWEST_PILLOW] };
  const major = Number(m[2]);
  if (m[3] === undefined) return { kind, releases: [major * 100, major * 100 + 99] };
  const release = major * 100 + Number(m[3]);
  return { kind, releases: [release, release] };
}

/** Whether `name` is a decoder profile `--decoder` accepts. */
export function isDecoderProfile(name: string): name is DecoderProfile {
  return parseDecoder(name) !== null;
}

/** One row: whether sharp decodes the format here, and the first Pillow release that opens it. */
interface Row {
  sharp: boolean;
  /** First Pillow release with a built-in reader; null when none has one. */
  pillow: PillowRelease | null;
  /** Why Pillow does not open it (before `pillow`, or at all). */
  pillowWhy?: string;
}

const BOTH: Row = { sharp: true, pillow: OLDEST_PILLOW };
const PILLOW_ONLY: Row = { sharp: false, pillow: OLDEST_PILLOW };
const NEITHER = (why: string): Row => ({ sharp: false, pillow: null, pillowWhy: why });

/**
 * Facts: sharp 0.35's libvips loaders (sharp.format.<name>.input); Pillow's registered plugins
 * (PIL/__init__.py `_plugins`; QoiImagePlugin since 9.5, AvifImagePlugin since 11.2).
 */
export const DECODER_TABLE: Readonly<Record<Format, Row>> = {
  jpeg: BOTH,
  png: BOTH,
  gif: BOTH,
  webp: BOTH,
  tiff: BOTH,
  avif: { sharp: true, pillow: 1102, pillowWhy: 'Pillow before 11.2 opens AVIF only with the pillow-avif-plugin' },
  heif: { sharp: true, pillow: null, pillowWhy: 'Pillow opens HEIF only with the pillow-heif plugin' },
  heic: NEITHER('Pillow opens HEIC only with the pillow-heif plugin'),
  svg: { sharp: true, pillow: null, pillowWhy: 'Pillow has no SVG reader (it rasterises no vector formats)' },
  vips: { sharp: true, pillow: null, pillowWhy: 'Pillow has no reader for the libvips format' },
  jp2: PILLOW_ONLY,
  jxl: NEITHER('Pillow opens JPEG XL only with a plugin (pillow-jxl-plugin)'),
  psd: PILLOW_ONLY,
  bmp: PILLOW_ONLY,
  ico: PILLOW_ONLY,
  cur: PILLOW_ONLY,
  dds: PILLOW_ONLY,
  icns: PILLOW_ONLY,
  ktx: NEITHER('Pillow has no KTX reader'),
  tga: PILLOW_ONLY,
  pnm: PILLOW_ONLY,
  pdf: NEITHER('Pillow writes PDF but does not read it'),
  exr: NEITHER('Pillow has no OpenEXR reader'),
  hdr: NEITHER('Pillow has no Radiance HDR reader'),
  fits: PILLOW_ONLY,
  qoi: { sharp: false, pillow: 905, pillowWhy: 'Pillow reads QOI since 9.5' },
  raw: NEITHER('Pillow has no reader for camera raw files'),
  sgi: PILLOW_ONLY,
  pcx: PILLOW_ONLY,
  dcx: PILLOW_ONLY,
  sun: PILLOW_ONLY,
  msp: PILLOW_ONLY,
  xbm: PILLOW_ONLY,
  xpm: PILLOW_ONLY,
  gbr: PILLOW_ONLY,
  fli: PILLOW_ONLY,
  blp: PILLOW_ONLY,
  im: PILLOW_ONLY,
  imt: PILLOW_ONLY,
  ftex: PILLOW_ONLY,
  mcidas: PILLOW_ONLY,
  pixar: PILLOW_ONLY,
  spider: PILLOW_ONLY,
  xvthumb: PILLOW_ONLY,
  pcd: PILLOW_ONLY,
  eps: PILLOW_ONLY,
};

/** Whether the decoder opens a file: null when it does, else why not. */
export function refusal(
  decoder: Decoder,
  header: Pick<Header, 'format' | 'pillowRefusal' | 'pillowSince' | 'pillowUntil'>,
): string | null {
  const row = DECODER_TABLE[header.format];
  if (decoder.kind === 'sharp') return row.sharp ? null : 'a format sharp cannot decode here';
  const [oldest, newest] = decoder.releases!;
  if (row.pillow === null) return row.pillowWhy ?? 'Pillow has no reader for it';
  if (row.pillow > newest) return row.pillowWhy ?? `Pillow reads it since ${releaseName(row.pillow)}`;
  if (header.pillowRefusal) return header.pillowRefusal;
  if (header.pillowSince !== undefined && header.pillowSince > newest)
    return `Pillow opens this variant since ${releaseName(header.pillowSince)}`;
  if (header.pillowUntil !== undefined && header.pillowUntil < oldest)
    return `Pillow opens this variant only up to ${releaseName(header.pillowUntil)}`;
  return null;
}

/** A note when only some of the covered releases open the file (the estimate is the newer ones'). */
export function partlyOpens(decoder: Decoder, header: Pick<Header, 'format' | 'pillowSince'>): string | null {
  if (decoder.releases === null) return null;
  const first = Math.max(DECODER_TABLE[header.format].pillow ?? 0, header.pillowSince ?? 0);
  return first > decoder.releases[0] ? `Pillow opens this file only since ${releaseName(first)}` : null;
}

/** 904 → "9.4". */
export function releaseName(release: PillowRelease): string {
  return `${Math.floor(release / 100)}.${release % 100}`;
}
