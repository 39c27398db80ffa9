import prettyBytes from 'pretty-bytes';
import { estimate, toReportedBytes } from './estimate.js';
import { readHeader } from './probe/detect.js';
import { ProbeFailure } from './probe/failure.js';
import type { Header } from './probe/header.js';
import { withFileSource, type OpenOptions } from './probe/open.js';
import type { SourceLimits } from './probe/source.js';
import type { Result } from './result.js';
import { readDecodeHints, type DecodeHints } from './decode/hints.js';
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
      return { header, hints: readDecodeHints(source, header), headerBytes: source.bytesRead, fileBytes };
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
  const sizes = estimate(header);
  const judged = options.frames === 'all' ? sizes.decodedBytesAllFrames : sizes.decodedBytes;
  const over = judged > budget;
  const result: Result = {
    path,
    status: over ? 'over_budget' : 'ok',
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
    reason: over
      ? `decodes to ${prettyBytes(Number(judged))}${options.frames === 'all' ? ` (all ${header.frames} frames)` : ''}, over the budget of ${prettyBytes(budgetBytes)}`
      : null,
    error: null,
  };
  if (header.notes && header.notes.length > 0) result.notes = header.notes;
  result.peakBytes = toReportedBytes(peakOf(header, probe.hints).peakBytes);
  if (over) result.fitScale = fitScale(header, probe.hints, budget);
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
