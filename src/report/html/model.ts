import type { Result, Status } from '../../result.js';

/**
 * What the HTML report shows, gathered from the stream of results in bounded memory: counts,
 * a log-scale histogram of decoded memory, a sample of sizes for the scatter plot, every file
 * that is not ok (up to a cap) and the largest ok ones. Pure: no I/O, no sharp.
 */

/** One row of the report's table; short keys keep a 100,000-row page small. */
export interface Row {
  /** Path as reported. */
  p: string;
  /** Verdict. */
  s: Status;
  /** Format, or '' when none was recognised. */
  f: string;
  w: number | null;
  h: number | null;
  /** Decoded bytes of the first frame. */
  d: number | null;
  /** File bytes. */
  b: number | null;
  /** Reason (null when ok). */
  r: string | null;
  /** Error code, when there is one. */
  c: string | null;
  /** Frames. */
  n: number | null;
}

export interface ScatterPoint {
  w: number;
  h: number;
  s: Status;
}

/** Rows kept for files that are not ok; a run with more says how many were left out. */
export const MAX_PROBLEM_ROWS = 100_000;
/** The largest ok files listed after the problems. */
export const MAX_LARGEST_OK = 1_000;
/** Points drawn in the width × height plot: every problem file up to half, the rest a uniform sample. */
export const MAX_SCATTER = 4_000;
/** Histogram bins: one per power of two of decoded bytes, from 1 B to 2^63 B. */
export const HISTOGRAM_BINS = 64;

export const STATUS_ORDER: readonly Status[] = ['ok', 'over_budget', 'corrupt', 'unsupported', 'error'];

export class ReportModel {
  files = 0;
  byStatus: Record<Status, number> = { ok: 0, over_budget: 0, corrupt: 0, unsupported: 0, error: 0 };
  byFormat = new Map<string, number>();
  /** Frames per file: 1, 2–9, 10–99, 100+ (and unknown). */
  byFrames = new Map<string, number>();
  decodedTotal = 0;
  decodedMax = 0;
  /** Files per power-of-two bin of decoded bytes (bin k holds [2^k, 2^(k+1))), per verdict. */
  histogram: Record<Status, number[]> = emptyHistogram();
  problems: Row[] = [];
  problemsLeftOut = 0;
  /** Largest ok rows, kept as a min-heap on decoded bytes. */
  private largestOk: Row[] = [];
  private scatterProblems: ScatterPoint[] = [];
  private scatterOk: ScatterPoint[] = [];
  private okWithSize = 0;
  /** Deterministic sampling, so the same input gives the same page. */
  private seed = 0x2545f491;

  add(r: Result): void {
    this.files++;
    this.byStatus[r.status]++;
    const format = r.format ?? 'unknown';
    this.byFormat.set(format, (this.byFormat.get(format) ?? 0) + 1);
    const frames = frameBucket(r.frames);
    this.byFrames.set(frames, (this.byFrames.get(frames) ?? 0) + 1);
    if (r.decodedBytes !== null) {
      this.decodedTotal += r.decodedBytes;
      if (r.decodedBytes > this.decodedMax) this.decodedMax = r.decodedBytes;
      this.histogram[r.status][binOf(r.decodedBytes)]!++;
    }
    if (r.width !== null && r.height !== null && r.width > 0 && r.height > 0) this.sample(r);
    if (r.status === 'ok') this.keepLargest(r);
    else if (this.problems.length < MAX_PROBLEM_ROWS) this.problems.push(rowOf(r));
    else this.problemsLeftOut++;
  }

  /** The largest ok rows, largest first. */
  largest(): Row[] {
    return [...this.largestOk].sort((a, b) => (b.d ?? 0) - (a.d ?? 0));
  }

  /** Points for the scatter plot: problems first (they are what a reader looks for). */
  scatter(): ScatterPoint[] {
    return [...this.scatterOk, ...this.scatterProblems];
  }

  private sample(r: Result): void {
    const point = { w: r.width!, h: r.height!, s: r.status };
    if (r.status !== 'ok') {
      if (this.scatterProblems.length < MAX_SCATTER / 2) this.scatterProblems.push(point);
      return;
    }
    // Reservoir sampling (Algorithm R): every ok file has the same chance to be drawn.
    this.okWithSize++;
    const room = MAX_SCATTER / 2;
    if (this.scatterOk.length < room) this.scatterOk.push(point);
    else {
      const j = this.random() % this.okWithSize;
      if (j < room) this.scatterOk[j] = point;
    }
  }

  private keepLargest(r: Result): void {
    if (r.decodedBytes === null) return;
    const heap = this.largestOk;
    if (heap.length < MAX_LARGEST_OK) {
      heap.push(rowOf(r));
      siftUp(heap, heap.length - 1);
    } else if (r.decodedBytes > (heap[0]!.d ?? 0)) {
      heap[0] = rowOf(r);
      siftDown(heap, 0);
    }
  }

  /** xorshift32: small, fast and good enough to pick a sample. */
  private random(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed;
  }
}

function emptyHistogram(): Record<Status, number[]> {
  const bins = () => new Array<number>(HISTOGRAM_BINS).fill(0);
  return { ok: bins(), over_budget: bins(), corrupt: bins(), unsupported: bins(), error: bins() };
}

/** The power-of-two bin of a byte count: 0 for 0 and 1 B, k for [2^k, 2^(k+1)). */
export function binOf(bytes: number): number {
  if (bytes < 2) return 0;
  return Math.min(HISTOGRAM_BINS - 1, Math.floor(Math.log2(bytes)));
}

export function frameBucket(frames: number | null): string {
  if (frames === null) return 'unknown';
  if (frames <= 1) return '1';
  if (frames < 10) return '2–9';
  if (frames < 100) return '10–99';
  return '100+';
}

export function rowOf(r: Result): Row {
  return {
    p: r.path,
    s: r.status,
    f: r.format ?? '',
    w: r.width,
    h: r.height,
    d: r.decodedBytes,
    b: r.fileBytes,
    r: r.reason,
    c: r.error?.code ?? null,
    n: r.frames,
  };
}

function siftUp(heap: Row[], i: number): void {
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if ((heap[parent]!.d ?? 0) <= (heap[i]!.d ?? 0)) return;
    [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
    i = parent;
  }
}

function siftDown(heap: Row[], i: number): void {
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let least = i;
    if (l < heap.length && (heap[l]!.d ?? 0) < (heap[least]!.d ?? 0)) least = l;
    if (r < heap.length && (heap[r]!.d ?? 0) < (heap[least]!.d ?? 0)) least = r;
    if (least === i) return;
    [heap[least], heap[i]] = [heap[i]!, heap[least]!];
    i = least;
  }
}
