import prettyBytes from 'pretty-bytes';
import { DEFAULT_BUDGET } from './rules.js';
import { parseBudget } from './budget/auto.js';
import { hasLimits, judgeLimits, type ImageLimits } from './budget/limits.js';
import { profileEstimate } from './estimate/profiles.js';
import { DECODER_CHOICES, parseDecoder, refusal, type Decoder, type DecoderProfile } from './estimate/decoders.js';
import type { FramesMode } from './budget/settings.js';
import { toReportedBytes } from './estimate/size.js';
import { ProbeFailure } from './probe/failure.js';
import type { OpenOptions } from './probe/open.js';
import { probeSync, type Probe } from './probe/probe.js';
import type { SourceLimits } from './probe/source.js';
import type { Result } from './result.js';
import type { Header } from './probe/header.js';
import { fitScale, peakOf } from './estimate/fit.js';

export { DEFAULT_BUDGET } from './rules.js';

export interface CheckOptions {
  /**
   * Largest decoded size allowed: bytes, or a size or auto budget as the CLI takes it ("512MB",
   * "auto", "auto:60%"; a bad one throws a UserError). Default 1 GiB.
   */
  budget?: bigint | number | string;
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
  /** Also walk each file's structure past the header, bounded (`--structure`; docs/decoding.md). */
  structure?: boolean;
}

/** CheckOptions resolved once for a whole run: the same for every file. */
export interface PreparedCheck {
  budget: bigint;
  /** The budget as reported (a Number, rounded up above 2^53). */
  budgetBytes: number;
  decoder: DecoderProfile;
  /** The decoder profile parsed (which Pillow releases it covers). */
  decoderSpec: Decoder;
  frames: FramesMode;
  sourceLimits: SourceLimits | undefined;
  /** null when no limit beside the budget is set (nothing to judge). */
  imageLimits: ImageLimits | null;
  structure: boolean;
}

export function prepareCheck(options: CheckOptions = {}): PreparedCheck {
  const budget =
    typeof options.budget === 'string' ? parseBudget(options.budget) : BigInt(options.budget ?? DEFAULT_BUDGET);
  return {
    budget,
    budgetBytes: toReportedBytes(budget),
    decoder: options.decoder ?? 'sharp',
    decoderSpec: decoderOf(options.decoder ?? 'sharp'),
    frames: options.frames ?? 'first',
    sourceLimits: options.limits,
    imageLimits: hasLimits(options.imageLimits) ? options.imageLimits! : null,
    structure: options.structure ?? false,
  };
}

/** How one path is opened: named by the user, or seen as a regular file by a walk. */
export type OpenHints = Pick<OpenOptions, 'explicit' | 'regular'>;

/** One file, one verdict. Never throws: every failure becomes a result with a status. */
export function checkSync(path: string, options: CheckOptions = {}): Result {
  return checkPrepared(path, prepareCheck(options), options, path);
}

/**
 * `checkSync` with the options resolved beforehand (a run resolves them once). `path` is opened
 * (the raw bytes of a name that is not UTF-8, or the name itself); the result shows `shownPath`.
 */
export function checkPrepared(path: string | Buffer, p: PreparedCheck, how: OpenHints, shownPath: string): Result {
  let probe: Probe;
  try {
    probe = probeSync(path, {
      limits: p.sourceLimits,
      explicit: how.explicit,
      regular: how.regular,
      structure: p.structure,
    });
  } catch (e) {
    return failedResult(shownPath, p.budgetBytes, e);
  }
  return probeResult(shownPath, p, probe);
}

/** The verdict on a header read (from a local file or a remote object), shown as `shownPath`. */
export function probeResult(shownPath: string, p: PreparedCheck, probe: Probe): Result {
  const { header } = probe;
  const decoder = p.decoder;
  const refused = refusal(p.decoderSpec, header);
  if (refused !== null) return unopenedResult(shownPath, p, probe, refused);
  const sizes = profileEstimate(header, decoder);
  const judged = p.frames === 'all' ? sizes.decodedBytesAllFrames : sizes.decodedBytes;
  const overBudget = judged > p.budget;
  const verdict = p.imageLimits ? judgeLimits(header, probe.fileBytes, p.imageLimits) : null;
  let reason: string | null = verdict && verdict.reasons.length > 0 ? verdict.reasons.join('; ') : null;
  if (overBudget) {
    const by = decoder === 'sharp' ? '' : ` in ${decoder}${sizes.pillowMode ? ` (mode ${sizes.pillowMode})` : ''}`;
    const frames = p.frames === 'all' ? ` (all ${header.frames} frames)` : '';
    const budgetText = prettyBytes(p.budgetBytes);
    const over = `decodes to ${prettyBytes(Number(judged))}${by}${frames}, over the budget of ${budgetText}`;
    reason = reason === null ? over : `${reason}; ${over}`;
  }
  const result: Result = {
    path: shownPath,
    status: reason !== null ? 'over_budget' : 'ok',
    format: header.format,
    width: header.width,
    height: header.height,
    channels: header.channels,
    bitsPerSample: header.bitsPerSample,
    frames: decoderFrames(header, p),
    orientation: header.orientation ?? null,
    decodedBytes: toReportedBytes(sizes.decodedBytes),
    decodedBytesAllFrames: toReportedBytes(sizes.decodedBytesAllFrames),
    budgetBytes: p.budgetBytes,
    headerBytes: probe.headerBytes,
    fileBytes: probe.fileBytes,
    reason,
    error: null,
    decoder,
  };
  if (sizes.pillowMode !== undefined) result.pillowMode = sizes.pillowMode;
  if (verdict && verdict.exceeded.length > 0) result.limits = verdict.exceeded;
  if (verdict && verdict.warnings.length > 0) result.warnings = verdict.warnings;
  if (header.notes || sizes.notes) result.notes = [...(header.notes ?? []), ...(sizes.notes ?? [])];
  if (decoder === 'sharp') {
    result.peakBytes = toReportedBytes(peakOf(header, probe.hints).peakBytes);
    if (overBudget) result.fitScale = fitScale(header, probe.hints, p.budget);
  }
  return result;
}

function decoderOf(profile: DecoderProfile): Decoder {
  const d = parseDecoder(profile);
  if (d === null) throw new TypeError(`invalid decoder ${JSON.stringify(profile)}: expected ${DECODER_CHOICES}`);
  return d;
}

/**
 * A file whose format (or variant) the decoder does not open: unsupported, with the size the
 * header gave, and no decoded size (nothing would be decoded).
 */
function unopenedResult(path: string, p: PreparedCheck, probe: Probe, why: string): Result {
  const { header } = probe;
  const name = header.format.toUpperCase();
  const message = `the file is ${name} ${header.width}x${header.height}, not opened by ${p.decoder}: ${why}`;
  const result: Result = {
    path,
    status: 'unsupported',
    format: header.format,
    width: header.width,
    height: header.height,
    channels: header.channels,
    bitsPerSample: header.bitsPerSample,
    frames: decoderFrames(header, p),
    orientation: header.orientation ?? null,
    decodedBytes: null,
    decodedBytesAllFrames: null,
    budgetBytes: p.budgetBytes,
    headerBytes: probe.headerBytes,
    fileBytes: probe.fileBytes,
    reason: message,
    error: { code: 'E_UNSUPPORTED_FORMAT', message },
    decoder: p.decoder,
  };
  if (header.notes) result.notes = [...header.notes];
  return result;
}

/** The promise form of `checkSync`, for API users. */
export async function check(path: string, options: CheckOptions = {}): Promise<Result> {
  return checkSync(path, options);
}

/** The result for a file that could not be checked; `e` is a ProbeFailure or an internal error. */
export function failedResult(path: string, budgetBytes: number, e: unknown): Result {
  const failure =
    e instanceof ProbeFailure
      ? e
      : new ProbeFailure(
          'E_INTERNAL',
          `internal error (please report it): ${e instanceof Error ? e.message : String(e)}`,
        );
  const result: Result = {
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
  if (failure.requests !== undefined) result.requests = failure.requests;
  return result;
}

/** Frames as the chosen decoder counts them (Pillow: an MPO's images, a PSD's layers). */
function decoderFrames(header: Header, p: PreparedCheck): number {
  return p.decoderSpec.kind === 'sharp' ? header.frames : (header.pillowFrames ?? header.frames);
}
