import prettyBytes from 'pretty-bytes';
import type { Sharp } from 'sharp';
import { probeSync, type Probe } from '../probe/probe.js';
import { closeSync, constants, openSync } from 'node:fs';
import { ioFailure, ProbeFailure } from '../probe/failure.js';
import type { DecodeHints, Header } from '../probe/header.js';
import { DECODER_TABLE } from '../estimate/decoders.js';
import type { OpenOptions } from '../probe/open.js';
import { fitPlan, fullPlan, peakOf, planForTarget, shrinkKind, type LoadPlan, type Peak } from '../estimate/fit.js';

import { loadSharp } from './sharp.js';
import { svgRefusal } from './svg-guard.js';

/**
 * The one decode path: header check, then the budget on the peak estimate, then (only then)
 * sharp, with limitInputPixels, failOn and sequentialRead set. Every command goes through it.
 */

export type RefusalStatus = 'over_budget' | 'corrupt' | 'unsupported' | 'error';

/** Why a decode was not attempted or failed; `status` maps to exit codes as in `check`. */
export class DecodeRefusal extends Error {
  constructor(
    readonly status: RefusalStatus,
    readonly code: string,
    message: string,
    readonly format: string | null = null,
  ) {
    super(message);
    this.name = 'DecodeRefusal';
  }
}

export interface DecodeRequest extends OpenOptions {
  /** Largest peak decode memory allowed, in bytes. */
  budget: bigint;
  /** Wanted output size in the displayed (oriented) frame; either alone keeps the aspect. */
  width?: number;
  height?: number;
  /** Longest side of the output, keeping the aspect; never enlarges. */
  maxSide?: number;
  /** Over budget: decode at the largest shrink-on-load reduction that fits instead of refusing. */
  fit?: boolean;
  /** Apply the EXIF orientation (default true). */
  autoOrient?: boolean;
}

export interface DecodePlan {
  /** The file: a string, or the raw bytes of a name that is not UTF-8. */
  path: string | Buffer;
  /** The descriptor a name that is not UTF-8 is handed to sharp through; closed by closeDecoder. */
  fd?: number;
  header: Header;
  hints: DecodeHints;
  headerBytes: number;
  fileBytes: number | null;
  budget: bigint;
  autoOrient: boolean;
  /** The full-size peak (what `check` and `inspect` report). */
  fullPeak: Peak;
  /** The load that will run and its peak (<= budget). */
  load: LoadPlan;
  peak: Peak;
  /** Resize sharp is asked for (displayed frame), or null for none. */
  resize: { width: number; height: number } | null;
  /** Output size, displayed frame. */
  outWidth: number;
  outHeight: number;
  /** True when --fit reduced the image to make it fit. */
  fitted: boolean;
  /** Second line of defence if the header lied: sharp refuses inputs with more pixels. */
  limitInputPixels: number;
}

/** A header read for a decode: the same facts `check` reads. */
export type Probed = Probe;

/** Header and decode hints from one bounded read. Throws a DecodeRefusal. */
export function probeForDecode(path: string | Buffer, options: OpenOptions = {}): Probed {
  try {
    return probeSync(path, { explicit: true, ...options });
  } catch (e) {
    if (e instanceof ProbeFailure) throw new DecodeRefusal(e.status, e.code, e.message, e.format);
    throw e;
  }
}

const swaps = (header: Header, autoOrient: boolean): boolean => autoOrient && (header.orientation ?? 1) >= 5;

/** The displayed size: width and height swapped for EXIF orientations 5..8. */
export function orientedSize(header: Header, autoOrient = true): { width: number; height: number } {
  return swaps(header, autoOrient)
    ? { width: header.height, height: header.width }
    : { width: header.width, height: header.height };
}

function requestedSize(
  header: Header,
  req: DecodeRequest,
  autoOrient: boolean,
): { width: number; height: number } | null {
  const { width: ow, height: oh } = orientedSize(header, autoOrient);
  if (req.width !== undefined && req.height !== undefined) return { width: req.width, height: req.height };
  if (req.width !== undefined) return { width: req.width, height: Math.max(1, Math.round((oh * req.width) / ow)) };
  if (req.height !== undefined) return { width: Math.max(1, Math.round((ow * req.height) / oh)), height: req.height };
  if (req.maxSide !== undefined) {
    const s = Math.min(1, req.maxSide / Math.max(ow, oh));
    if (s >= 1) return null;
    return { width: Math.max(1, Math.round(ow * s)), height: Math.max(1, Math.round(oh * s)) };
  }
  return null;
}

/** Stored (unrotated) frame <-> displayed frame. */
function toStored(size: { width: number; height: number }, swap: boolean): [number, number] {
  return swap ? [size.height, size.width] : [size.width, size.height];
}

/** What would fit, in words, for a refusal message. */
export function whatFits(header: Header, hints: DecodeHints, budget: bigint, peak: Peak, autoOrient = true): string {
  const raise = `raise --budget to ${prettyBytes(Number(peak.peakBytes))}`;
  const fp = fitPlan(header, hints, budget, { autoOrient });
  if (fp) {
    const scale = shrinkKind(header.format) === 'jpeg' ? `1/${fp.shrink}` : (fp.targetWidth / header.width).toFixed(4);
    const [w, h] = toStored({ width: fp.targetWidth, height: fp.targetHeight }, swaps(header, autoOrient));
    return (
      `it fits at scale ${scale} (${w}×${h}, ${prettyBytes(Number(fp.peak.peakBytes))} at peak) with --fit, ` +
      `or ${raise}`
    );
  }
  const kind = shrinkKind(header.format);
  const why =
    kind === 'none'
      ? `${header.format.toUpperCase()} has no shrink-on-load and decodes whole`
      : 'not even the smallest load scale fits';
  return `no reduction fits: ${why}; ${raise}`;
}

/** Runs the header check and the budget; returns the plan or throws a DecodeRefusal. Sync, no sharp. */
export function planDecode(path: string | Buffer, req: DecodeRequest): DecodePlan {
  const probed = probeForDecode(path, req);
  const { header, hints } = probed;
  if (!DECODER_TABLE[header.format].sharp) {
    throw new DecodeRefusal(
      'unsupported',
      'E_UNSUPPORTED_FORMAT',
      `${header.format.toUpperCase()} is recognised but sharp cannot decode it here`,
      header.format,
    );
  }
  if (header.format === 'svg' && probed.fileBytes !== null) {
    const why = svgRefusal(path, req.budget);
    if (why) throw new DecodeRefusal('unsupported', 'E_SVG_EXTERNAL', `SVG: not handed to the decoder: ${why}`, 'svg');
  }
  const autoOrient = req.autoOrient ?? true;
  const swap = swaps(header, autoOrient);
  const budget = req.budget;
  const fullPeak = peakOf(header, hints, fullPlan(header), { autoOrient });
  let resize = requestedSize(header, req, autoOrient);
  let load = resize ? planForTarget(header, ...toStored(resize, swap)) : fullPlan(header);
  let peak = peakOf(header, hints, load, { autoOrient, resize: resize !== null });
  let fitted = false;
  if (peak.peakBytes > budget) {
    const fp = req.fit ? fitPlan(header, hints, budget, { autoOrient }) : null;
    if (!fp) {
      throw new DecodeRefusal(
        'over_budget',
        'E_OVER_BUDGET',
        `decoding needs ${prettyBytes(Number(peak.peakBytes))} at peak (${prettyBytes(Number(peak.decodedBytes))} ` +
          `of pixels` +
          `${peak.hidden.length ? ' + decoder buffers' : ''}), over the budget of ${prettyBytes(Number(budget))}; ` +
          whatFits(header, hints, budget, peak, autoOrient),
        header.format,
      );
    }
    const fitSize = { width: swap ? fp.targetHeight : fp.targetWidth, height: swap ? fp.targetWidth : fp.targetHeight };
    // A smaller size the user asked for stays; never larger than what fits.
    const wanted = resize && resize.width <= fitSize.width && resize.height <= fitSize.height ? resize : fitSize;
    const candidate = planForTarget(header, ...toStored(wanted, swap));
    const candidatePeak = peakOf(header, hints, candidate, { autoOrient, resize: true });
    if (candidatePeak.peakBytes <= budget) {
      resize = wanted;
      load = candidate;
      peak = candidatePeak;
    } else {
      resize = fitSize;
      load = fp;
      peak = fp.peak;
    }
    fitted = true;
  }
  const bpp = header.channels * Math.ceil(header.bitsPerSample / 8);
  const pixels = header.width * header.height;
  const byBudget = Number(budget / BigInt(Math.max(1, bpp)));
  const limitInputPixels = Math.max(
    1,
    Math.min(Number.MAX_SAFE_INTEGER, load.shrink > 1 ? pixels : Math.max(pixels, byBudget)),
  );
  const out = resize ?? orientedSize(header, autoOrient);
  return {
    path,
    ...probed,
    budget,
    autoOrient,
    fullPeak,
    load,
    peak,
    resize,
    outWidth: out.width,
    outHeight: out.height,
    fitted,
    limitInputPixels,
  };
}

/**
 * A sharp pipeline for `plan` (loads sharp on first use). Only call with a plan from planDecode.
 * `bytes`, when given, are the file's contents, already read: decoded from memory instead of the path.
 */
export async function openDecoder(plan: DecodePlan, bytes?: Uint8Array): Promise<Sharp> {
  const sharp = await loadSharp();
  let img = sharp(bytes ?? decoderPath(plan), {
    limitInputPixels: plan.limitInputPixels,
    // Truncated or corrupt pixel data is an error, not a grey half-image.
    failOn: 'error',
    // Stream from the file top to bottom: the decoder then holds strips, not the image, where
    // the format allows (sharp switches to random access itself for rotations).
    sequentialRead: true,
    autoOrient: plan.autoOrient,
  });
  if (plan.resize)
    img = img.resize({ width: plan.resize.width, height: plan.resize.height, fit: 'fill', fastShrinkOnLoad: true });
  return img;
}

/**
 * sharp (libvips) takes a file name as a string. A name that is not UTF-8 is opened here by its
 * bytes and handed over as /proc/self/fd/N (Linux), which names the same open file.
 */
function decoderPath(plan: DecodePlan): string {
  if (typeof plan.path === 'string') return plan.path;
  closeDecoder(plan);
  try {
    plan.fd = openSync(plan.path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const f = ioFailure(e, plan.path);
    throw new DecodeRefusal(f.status, f.code, f.message, plan.header.format);
  }
  return `/proc/self/fd/${plan.fd}`;
}

/** Closes what openDecoder opened for `plan` (call once its pipeline has finished). */
export function closeDecoder(plan: DecodePlan): void {
  if (plan.fd === undefined) return;
  try {
    closeSync(plan.fd);
  } catch {
    /* already closed */
  }
  delete plan.fd;
}

/** sharp's error as a refusal: pixel-data problems are `corrupt`, with sharp's own words. */
export function decodeFailure(e: unknown, format: string | null): DecodeRefusal {
  if (e instanceof DecodeRefusal) return e;
  const message = (e instanceof Error ? e.message : String(e))
    .trim()
    .split('\n')
    .filter((l) => l && !/unable to write to target/.test(l))
    .join('; ');
  if (/pixel limit/i.test(message)) {
    return new DecodeRefusal(
      'corrupt',
      'E_DIMENSIONS',
      `the decoder found more pixels than the header declares: ${message}`,
      format,
    );
  }
  return new DecodeRefusal('corrupt', 'E_PIXEL_DATA', `pixel data: ${message}`, format);
}

/**
 * Decodes all the pixel data of `plan` and lets the pixels go; throws a DecodeRefusal. Raw output:
 * no encoder, no statistics (their pass over the pixels cost ten times the decode of a small JPEG).
 */
export async function verifyDecode(plan: DecodePlan, bytes?: Uint8Array): Promise<void> {
  try {
    const img = await openDecoder(plan, bytes);
    await img.raw().toBuffer();
  } catch (e) {
    throw decodeFailure(e, plan.header.format);
  } finally {
    closeDecoder(plan);
  }
}
