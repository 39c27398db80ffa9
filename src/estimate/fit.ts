import type { DecodeHints, Format, Header } from '../probe/header.js';

/**
 * Pure arithmetic over a header (no sharp here): the peak memory of a decode, the scale a
 * decoder's shrink-on-load gives for a requested output size, and the largest reduction that
 * fits a budget. Every size is a BigInt byte count.
 */

/** How a format's decoder can shrink while loading (sharp 0.35 pipeline.cc, "shrink-on-load"). */
export type ShrinkKind = 'jpeg' | 'any' | 'none';

/**
 * JPEG: libjpeg scales by 1/2, 1/4, 1/8 in the IDCT. WebP (libwebp) and SVG (librsvg) load at
 * any scale. Everything else decodes whole: sharp 0.35 has no shrink-on-load for PNG, GIF, TIFF,
 * HEIF or AVIF (its pipeline re-loads only JPEG, WebP, SVG and PDF at a reduced size).
 */
export function shrinkKind(format: Format | string): ShrinkKind {
  if (format === 'jpeg') return 'jpeg';
  if (format === 'webp' || format === 'svg') return 'any';
  return 'none';
}

/**
 * Threads libvips decodes with (imgguard sets sharp.concurrency to this): the working buffers
 * below scale with it, so it is fixed rather than one per core.
 */
export const DECODE_THREADS = 2;
/**
 * libvips' working buffers of a streamed decode: per thread, and for the loader and the sink,
 * regions of up to 128 lines of the load width (measured: bench/decode-memory.mjs).
 */
const STRIP_LINES = 128;
const STRIP_BUFFERS = 2 * DECODE_THREADS + 4;

/** libvips decodes images needing random access into memory below this, to a temp file above. */
export const VIPS_DISC_THRESHOLD = 100n * 1024n * 1024n;

/** One decode: the reduction the decoder applies while loading, and the size it loads at. */
export interface LoadPlan {
  /** 1 = full size; 2 = half, etc. (real-valued for formats that load at any scale). */
  shrink: number;
  loadWidth: number;
  loadHeight: number;
}

export interface PeakPart {
  what: string;
  bytes: bigint;
}

export interface Peak {
  /** The decoded pixels at the load size (the larger of loaded and sRGB output). */
  decodedBytes: bigint;
  /** Decoder buffers held beside the pixels (coefficients, whole-image copies). */
  hidden: PeakPart[];
  /** decodedBytes + every hidden part. */
  peakBytes: bigint;
  /** The pixels' layout at the load size: decodedBytes = width × height × bands × bytesPerSample. */
  load: { width: number; height: number; bands: number; bytesPerSample: number };
}

/** `W × H × bands × bytes` and the hidden parts, one step a line (for `inspect`). */
export function peakArithmetic(peak: Peak): string[] {
  const { width, height, bands, bytesPerSample: bps } = peak.load;
  return [
    `${width} × ${height} × ${bands} bands × ${bps} byte${bps === 1 ? '' : 's'} = ${peak.decodedBytes}`,
    ...peak.hidden.map((p) => `+ ${p.bytes} ${p.what}`),
    `= ${peak.peakBytes} at peak`,
  ];
}

export interface PeakOptions {
  /** EXIF auto-orientation is applied (convert's default): rotations need random access. */
  autoOrient?: boolean;
  /** The output is resized (default: when the plan shrinks on load): its stages hold strips too. */
  resize?: boolean;
}

const big = (n: number): bigint => BigInt(n);
const ceilDiv = (a: number, b: number): number => Math.ceil(a / b);

export function fullPlan(header: Header): LoadPlan {
  return { shrink: 1, loadWidth: header.width, loadHeight: header.height };
}

/** The plan when loading with a reduction of `shrink` (libjpeg's scaled size is ceil(W/d)). */
export function planAt(header: Header, shrink: number): LoadPlan {
  if (shrink <= 1) return fullPlan(header);
  return {
    shrink,
    loadWidth: Math.max(1, ceilDiv(header.width, shrink)),
    loadHeight: Math.max(1, ceilDiv(header.height, shrink)),
  };
}

/**
 * The memory a decode at `plan` holds at its peak: the decoded pixels plus the decoder's hidden
 * buffers. Where the header cannot settle a hidden buffer, the upper bound is taken.
 */
export function peakOf(
  header: Header,
  hints: DecodeHints,
  plan: LoadPlan = fullPlan(header),
  options: PeakOptions = {},
): Peak {
  const bands = Math.max(header.channels, header.outputChannels ?? header.channels);
  const bps = Math.ceil(header.bitsPerSample / 8);
  const w = plan.loadWidth;
  const h = plan.loadHeight;
  const decodedBytes = big(w) * big(h) * big(bands * bps);
  const hidden: PeakPart[] = [];
  const decoder = decoderBuffers(header, hints, w, h, bps);
  if (decoder !== null) hidden.push(decoder);
  if (options.autoOrient && header.orientation !== undefined && header.orientation >= 3) {
    // Rotating needs random access: libvips copies the image to memory (or disc above 100 MB).
    const copy = decodedBytes < VIPS_DISC_THRESHOLD ? decodedBytes : VIPS_DISC_THRESHOLD;
    hidden.push({
      what: `EXIF orientation ${header.orientation}: rotation copy (memory up to 100 MiB, then a temp file)`,
      bytes: copy,
    });
  }
  const strips = big(STRIP_BUFFERS * Math.min(STRIP_LINES, h)) * big(w) * big(bands * bps);
  hidden.push({ what: STRIPS, bytes: strips });
  if (options.resize ?? plan.shrink > 1) hidden.push({ what: 'resize stages: as many strips again', bytes: strips });
  let peakBytes = decodedBytes;
  for (const part of hidden) peakBytes += part.bytes;
  return { decodedBytes, hidden, peakBytes, load: { width: w, height: h, bands, bytesPerSample: bps } };
}

const STRIPS = `libvips working strips (${STRIP_BUFFERS} × up to ${STRIP_LINES} lines)`;

/** The decoder's own buffers beside the pixels, for a load of `w`×`h`; null when it holds none. */
function decoderBuffers(header: Header, hints: DecodeHints, w: number, h: number, bps: number): PeakPart | null {
  switch (header.format) {
    case 'jpeg':
      if (hints.progressive === false) return null;
      // A progressive JPEG keeps every DCT coefficient of every component (2 bytes each) until
      // the last scan, at full size whatever the IDCT scale (libjpeg jdcoefct.c full-image buffer).
      return {
        what: hints.progressive
          ? 'progressive JPEG coefficient buffers (2 bytes/sample/component)'
          : 'JPEG coefficient buffers (upper bound: progressive not ruled out)',
        bytes: jpegCoefficientBytes(header, hints.sampling),
      };
    case 'png':
      // Adam7 needs the whole image before any row is complete; unknown interlace: the bound.
      if (hints.interlaced === false) return null;
      return {
        what: hints.interlaced
          ? 'interlaced PNG: whole image held by the decoder'
          : 'PNG interlace unknown: whole image (upper bound)',
        bytes: wholeImage(header, header.width, header.height, bps),
      };
    case 'gif':
      // The decoder's RGBA canvas and the frame it composes onto it (measured: ~1.2 canvases).
      return {
        what: 'GIF canvas and frame (2 × RGBA, whole frame)',
        bytes: 2n * big(header.width) * big(header.height) * 4n,
      };
    case 'heif':
    case 'avif':
      // libheif and the AV1/HEVC decoder hold reference frames with borders, in 16-bit planes in
      // some builds: measured 5-6 whole images beside the output (bench/decode-memory.mjs).
      return {
        what: `${header.format.toUpperCase()} decoder frame buffers (7 × the loaded image)`,
        bytes: 7n * wholeImage(header, header.width, header.height, bps),
      };
    case 'webp':
      // libwebp decodes the whole frame (RGBA) and libvips keeps its own frame and a copy of
      // it: measured up to 3 RGBA frames beside the output (bench/decode-memory.mjs).
      return { what: 'libwebp and libvips frame buffers (3 × RGBA at load size)', bytes: 3n * big(w) * big(h) * 4n };
    case 'svg':
      return { what: 'cairo surface (RGBA at load size)', bytes: big(w) * big(h) * big(4 * bps) };
    default:
      // TIFF (one strip may be the whole image) and any format without a specific rule: one
      // whole-image copy.
      return {
        what: `${header.format} decoder: one whole-image buffer (upper bound)`,
        bytes: wholeImage(header, w, h, bps),
      };
  }
}

/** The image as loaded (its own bands, before the sRGB conversion) at `w`×`h`. */
function wholeImage(header: Header, w: number, h: number, bps: number): bigint {
  return big(w) * big(h) * big(header.channels * bps);
}

/** libjpeg's whole-image coefficient buffer: 64 coefficients of 2 bytes per block, per component. */
function jpegCoefficientBytes(header: Header, sampling: [number, number][] | undefined): bigint {
  // Without the sampling factors, every component at full resolution is the bound.
  const n = sampling ? sampling.length : header.channels;
  let hmax = 1;
  let vmax = 1;
  for (let c = 0; c < n && sampling; c++) {
    hmax = Math.max(hmax, sampling[c]![0]);
    vmax = Math.max(vmax, sampling[c]![1]);
  }
  let coef = 0n;
  for (let c = 0; c < n; c++) {
    const hs = sampling ? sampling[c]![0] : 1;
    const vs = sampling ? sampling[c]![1] : 1;
    const bw = roundUp(ceilDiv(header.width * hs, 8 * hmax), hs);
    const bh = roundUp(ceilDiv(header.height * vs, 8 * vmax), vs);
    coef += big(bw) * big(bh) * 128n;
  }
  return coef;
}

function roundUp(n: number, k: number): number {
  return Math.ceil(n / k) * k;
}

/**
 * The load plan sharp 0.35 chooses for an output of `tw`×`th` (in the image's stored, unrotated
 * orientation). sharp's rule (pipeline.cc): shrink = min(W/tw, H/th); JPEG picks 8/4/2 when
 * shrink >= 8/4/2, then halves it when floor(shrink) equals it ("known libjpeg rounding errors"),
 * so 1/2 needs shrink >= 3, 1/4 >= 5, 1/8 >= 9. WebP and SVG load at exactly 1/shrink.
 */
export function planForTarget(header: Header, tw: number, th: number): LoadPlan {
  const shrink = Math.min(header.width / tw, header.height / th);
  const kind = shrinkKind(header.format);
  if (kind === 'jpeg') return planAt(header, shrink >= 9 ? 8 : shrink >= 5 ? 4 : shrink >= 3 ? 2 : 1);
  if (kind === 'any' && shrink > 1)
    return {
      shrink,
      loadWidth: Math.max(1, Math.ceil(header.width / shrink)),
      loadHeight: Math.max(1, Math.ceil(header.height / shrink)),
    };
  return fullPlan(header);
}

/** The smallest shrink sharp needs to see to load a JPEG at 1/d (see planForTarget). */
const JPEG_TRIGGER: Record<number, number> = { 2: 3, 4: 5, 8: 9 };

export interface FitPlan extends LoadPlan {
  /** The output size that makes sharp load at this plan (stored orientation). */
  targetWidth: number;
  targetHeight: number;
  peak: Peak;
}

/**
 * The largest reduction whose peak fits `budget`: null when none does (a format without
 * shrink-on-load, or hidden buffers that do not shrink, like progressive JPEG coefficients).
 */
export function fitPlan(header: Header, hints: DecodeHints, budget: bigint, options: PeakOptions = {}): FitPlan | null {
  const full = peakOf(header, hints, fullPlan(header), options);
  if (full.peakBytes <= budget)
    return { ...fullPlan(header), targetWidth: header.width, targetHeight: header.height, peak: full };
  const kind = shrinkKind(header.format);
  if (kind === 'jpeg') {
    for (const d of [2, 4, 8]) {
      const plan = planAt(header, d);
      const peak = peakOf(header, hints, plan, options);
      if (peak.peakBytes <= budget) {
        const s = JPEG_TRIGGER[d]!;
        // The output sharp must be asked for so that it loads at 1/d: W/s (rounded down).
        return {
          ...plan,
          targetWidth: Math.max(1, Math.floor(header.width / s)),
          targetHeight: Math.max(1, Math.floor(header.height / s)),
          peak,
        };
      }
    }
    return null;
  }
  if (kind === 'any') {
    const at = (tw: number): FitPlan => {
      const th = Math.max(1, Math.floor((header.height * tw) / header.width));
      const plan = planForTarget(header, tw, th);
      return { ...plan, targetWidth: tw, targetHeight: th, peak: peakOf(header, hints, plan, options) };
    };
    // Peak grows with the width: binary search the largest that fits (bounded: ~32 steps).
    let lo = 1;
    let hi = header.width - 1;
    if (hi < 1 || at(1).peak.peakBytes > budget) return null;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (at(mid).peak.peakBytes <= budget) lo = mid;
      else hi = mid - 1;
    }
    return at(lo);
  }
  return null;
}

/** fitScale for `check`: 1 when it fits, the reduction (1/d or w'/W) that fits, or null. */
export function fitScale(header: Header, hints: DecodeHints, budget: bigint): number | null {
  const plan = fitPlan(header, hints, budget);
  if (!plan) return null;
  if (plan.shrink === 1) return 1;
  return shrinkKind(header.format) === 'jpeg' ? 1 / plan.shrink : plan.targetWidth / header.width;
}
