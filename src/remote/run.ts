import { failedResult, probeResult, type PreparedCheck } from '../check.js';
import type { InputEntry } from '../inputs/walk.js';
import { ProbeFailure } from '../probe/failure.js';
import { DEFAULT_LIMITS } from '../probe/source.js';
import type { Result } from '../result.js';
import { entryResult } from '../run.js';
import { HttpClient, type FetchSettings } from './http.js';
import { probeRemote } from './probe.js';
import { isRemote, type RangeReader } from './reader.js';

export interface RemoteOptions {
  fetch?: Partial<FetchSettings>;
}

/** What a run's remote reads share: kept-alive connections, settings. Close it at the end. */
export class RemoteContext {
  private httpClient: HttpClient | null = null;
  /** The reader behind each remote result, for `--verify` (dropped with the result). */
  private readers = new WeakMap<Result, RangeReader>();

  constructor(
    readonly prepared: PreparedCheck,
    readonly options: RemoteOptions = {},
  ) {}

  get limits() {
    return this.prepared.sourceLimits ?? DEFAULT_LIMITS;
  }

  /** A ranged reader for a remote path. Throws a ProbeFailure for a scheme it cannot read. */
  reader(path: string): RangeReader {
    if (/^https?:\/\//i.test(path)) {
      this.httpClient ??= new HttpClient(this.options.fetch);
      return this.httpClient.object(path, this.limits.maxBytes);
    }
    throw new ProbeFailure('E_NOT_FOUND', 'not a URL imgguard can read (http://, https:// or s3://)');
  }

  /** Remembers the object a result came from. */
  remember(result: Result, reader: RangeReader): Result {
    this.readers.set(result, reader);
    return result;
  }

  /** The object a remote result came from; undefined for local files. */
  readerOf(result: Result): RangeReader | undefined {
    return this.readers.get(result);
  }

  close(): void {
    this.httpClient?.close();
  }
}

/** One remote object's verdict. Never rejects: every failure becomes a result. */
export async function checkRemote(path: string, ctx: RemoteContext): Promise<Result> {
  const p = ctx.prepared;
  try {
    const reader = ctx.reader(path);
    const probe = await probeRemote(reader, ctx.limits);
    const result = probeResult(path, p, probe);
    result.requests = probe.requests;
    return ctx.remember(result, reader);
  } catch (e) {
    return failedResult(path, p.budgetBytes, e);
  }
}

/** The verdict on one entry: local ones at once, remote ones as a promise. */
function startEntry(entry: InputEntry, ctx: RemoteContext): Result | null | Promise<Result> {
  if (entry.failure || !isRemote(entry.path)) return entryResult(entry, ctx.prepared);
  return checkRemote(entry.path, ctx);
}

interface Slot {
  done: boolean;
  result: Result | null;
  promise: Promise<void> | null;
}

/**
 * Checks local and remote entries, up to `window` remote reads in flight, yielding results in
 * input order. Memory holds at most `window` results waiting for those before them. Local
 * entries are checked at once, in this thread. `beforeWait` runs before each wait on the network
 * (to flush output, so lines appear while later objects are still on their way).
 */
export async function* checkMixed(
  entries: Iterable<InputEntry> | AsyncIterable<InputEntry>,
  ctx: RemoteContext,
  window: number,
  beforeWait?: () => void,
): AsyncGenerator<Result> {
  const queue: Slot[] = [];
  const next = async (): Promise<Result | null> => {
    const slot = queue.shift()!;
    if (!slot.done) {
      beforeWait?.();
      await slot.promise;
    }
    return slot.result;
  };
  try {
    for await (const entry of entries) {
      const r = startEntry(entry, ctx);
      if (r instanceof Promise) {
        const slot: Slot = { done: false, result: null, promise: null };
        slot.promise = r.then((result) => {
          slot.result = result;
          slot.done = true;
        });
        queue.push(slot);
      } else queue.push({ done: true, result: r, promise: null });
      while (queue.length > 0 && (queue[0]!.done || queue.length >= window)) {
        const result = await next();
        if (result) yield result;
      }
    }
    while (queue.length > 0) {
      const result = await next();
      if (result) yield result;
    }
  } finally {
    // Stopped early (a closed output): the reads still in flight end on their own; none is awaited.
    ctx.close();
  }
}
