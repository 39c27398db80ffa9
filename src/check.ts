import prettyBytes from 'pretty-bytes';
import { judgeLimits, type ImageLimits } from './budget/limits.js';
import { profileEstimate, type DecoderProfile } from './budget/profiles.js';
import { toReportedBytes } from './estimate.js';
import { readHeader } from './probe/detect.js';
import { ProbeFailure } from './probe/failure.js';
import type { Header } from './probe/header.js';
import { withFileSource, type OpenOptions } from './probe/open.js';
import type { SourceLimits } from './probe/source.js';
import type { Result } from './result.js';
import { decodeHints, type DecodeHints } from './decode/hints.js';
import { fitScale, peakOf } from './decode/fit.js';

/** The default budget: 1 GiB. */
export const DEFAULT_BUDGET = 1n << 30n;

export type FramesMode = 'first' | 'all';

export interface CheckOptions {
  /** Largest decoded size allowed, in bytes. Default 1 GiB. */
  budget?: bigint | number;
  /** Budget on the first frame/page (default) or on all of them. */
  frames?: FramesMode;
  /** Caps on header reads. */
  limits?: SourceLimits;
  /** Limits beside the budget (--max-pixels, --max-width, ..., --pillow-compat). */
  imageLimits?: ImageLimits;
  /** Whose memory to estimate: sharp (default), pillow or numpy. */
  decoder?: DecoderProfile;
  /** The path was named by the user (FIFOs and devices are then read, with a cap). */
  explicit?: boolean;
}

export interface Probe {
  header: Header;
  /** Facts that change a decoder's peak memory (read with the header, a few bytes). */
  hints: DecodeHints;
  /** Bytes actually read. */
  headerBytes: number;
  /** The file's size, or null for pipes and devices. */
  fileBytes: number | null;
}

/** Reads a file's header. Throws a ProbeFailure (with status and code) when it cannot. */
export function probeSync(path: string, options: OpenOptions = {}): Probe {
  return withFileSource(path, options, ({ source, fileBytes }) => {
    try {
      const header = readHeader(source);
      return { header, hints: decodeHints(header), headerBytes: source.bytesRead, fileBytes };
    } catch (e) {
      if (e instanceof ProbeFailure) {
        e.headerBytes = source.bytesRead;
        e.fileBytes = fileBytes;
      }
      throw e;
    }
  });
}

/** One file, one verdict. Never throws: every failure becomes a result with a status. */
export function checkSync(path: string, options: CheckOptions = {}): Result {
  const budget = BigInt(options.budget ?? DEFAULT_BUDGET);
  const budgetBytes = toReportedBytes(budget);
  let probe: Probe;
  try {
    probe = probeSync(path, options);
  } catch (e) {
    return failedResult(path, budgetBytes, e);
  }
  const { header } = probe;
  const decoder = options.decoder ?? 'sharp';
  const sizes = profileEstimate(header, decoder);
  const judged = options.frames === 'all' ? sizes.decodedBytesAllFrames : sizes.decodedBytes;
  const overBudget = judged > budget;
  const verdict = options.imageLimits ? judgeLimits(header, probe.fileBytes, options.imageLimits) : null;
  const reasons = verdict ? [...verdict.reasons] : [];
  if (overBudget) {
    const by = decoder === 'sharp' ? '' : ` in ${decoder}${sizes.pillowMode ? ` (mode ${sizes.pillowMode})` : ''}`;
    reasons.push(`decodes to ${prettyBytes(Number(judged))}${by}${options.frames === 'all' ? ` (all ${header.frames} frames)` : ''}, over the budget of ${prettyBytes(budgetBytes)}`);
  }
  const result: Result = {
    path,
    status: reasons.length > 0 ? 'over_budget' : 'ok',
    format: header.format,
    width: header.width,
    height: header.height,
    channels: header.channels,
    bitsPerSample: header.bitsPerSample,
    frames: header.frames,
    orientation: header.orientation ?? null,
    decodedBytes: toReportedBytes(sizes.decodedBytes),
    decodedBytesAllFrames: toReportedBytes(sizes.decodedBytesAllFrames),
    budgetBytes,
    headerBytes: probe.headerBytes,
    fileBytes: probe.fileBytes,
    reason: reasons.length > 0 ? reasons.join('; ') : null,
    error: null,
    decoder,
  };
  if (sizes.pillowMode !== undefined) result.pillowMode = sizes.pillowMode;
  if (verdict && verdict.exceeded.length > 0) result.limits = verdict.exceeded;
  if (verdict && verdict.warnings.length > 0) result.warnings = verdict.warnings;
  const notes = [...(header.notes ?? []), ...(sizes.notes ?? [])];
  if (notes.length > 0) result.notes = notes;
  if (decoder === 'sharp') {
    result.peakBytes = toReportedBytes(peakOf(header, probe.hints).peakBytes);
    if (overBudget) result.fitScale = fitScale(header, probe.hints, budget);
  }
  return result;
}

/** The promise form of `checkSync`, for API users. */
export async function check(path: string, options: CheckOptions = {}): Promise<Result> {
  return checkSync(path, options);
}

/** The result for a file that could not be checked; `e` is a ProbeFailure or an internal error. */
export function failedResult(path: string, budgetBytes: number, e: unknown): Result {
  const failure = e instanceof ProbeFailure
    ? e
    : new ProbeFailure('E_INTERNAL', `internal error (please report it): ${e instanceof Error ? e.message : String(e)}`);
  return {
    path,
    status: failure.status,
    format: failure.format,
    width: null,
    height: null,
    channels: null,
    bitsPerSample: null,
    frames: null,
    orientation: null,
    decodedBytes: null,
    decodedBytesAllFrames: null,
    budgetBytes,
    headerBytes: failure.headerBytes,
    fileBytes: failure.fileBytes,
    reason: failure.message,
    error: { code: failure.code, message: failure.message },
  };
}
