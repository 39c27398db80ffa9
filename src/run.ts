import type { MessagePort, Worker } from 'node:worker_threads';
import { checkPrepared, failedResult, prepareCheck, type CheckOptions, type PreparedCheck } from './check.js';
import { lazyRequire } from './require.js';
import { hasImageExtension } from './inputs/extensions.js';
import { STDIN, STDIN_DEVICE } from './probe/stdin.js';
import type { InputEntry } from './inputs/walk.js';
import type { Result } from './result.js';

export interface RunOptions extends CheckOptions {
  /**
   * Files checked at once. 1 (the default) checks them one after another in this thread: on a
   * local disk a header read costs less than any hand-off. N > 1 spreads them over N worker
   * threads (useful on network file systems, where each open waits on a round trip); results
   * still come in walk order.
   */
  concurrency?: number;
  /** Check every file a walk finds; by default files that are no image by name or bytes are skipped. */
  allFiles?: boolean;
  /** Called for each file skipped that way (the summary counts them). */
  onSkip?: () => void;
}

/** What a worker answers for a file it skipped (a walk's labels.csv). */
export const SKIPPED = 'skipped';

/**
 * A file a walk (a directory or a glob) found that is no image by its name (no image extension)
 * nor by its bytes (no image signature, or empty): labels.csv, README.md, .gitattributes. Files
 * named directly or listed in --files-from are always reported.
 */
export function walkSkips(entry: InputEntry, result: Result): boolean {
  if (entry.explicit || entry.listed) return false;
  const code = result.error?.code;
  return (code === 'E_NOT_IMAGE' || code === 'E_EMPTY') && !hasImageExtension(entry.path);
}

/** One entry, one result; null for a directory met in a `--files-from` list (skipped). */
export function checkEntry(entry: InputEntry, options: CheckOptions): Result | null {
  return entryResult(entry, prepareCheck(options));
}

/** `checkEntry` with the options resolved once for the run. */
export function entryResult(entry: InputEntry, p: PreparedCheck): Result | null {
  // A name that is not valid UTF-8 is opened by its bytes (fs accepts a Buffer wherever it takes
  // a path), shown by its display form, and carried raw in `pathBytes` for consumers to open.
  const result = entry.failure
    ? failedResult(entry.path, p.budgetBytes, entry.failure)
    : checkPrepared(entry.fsPath ?? openPath(entry), p, entry, entry.path);
  if (entry.listed && result.error?.code === 'E_IS_DIRECTORY') return null;
  return entry.fsPath ? withPathBytes(result, entry.fsPath) : result;
}

/**
 * `-` named on the command line is standard input, read as any pipe named directly is (up to the
 * byte cap and the time limit); it keeps `-` as its path in results.
 */
function openPath(entry: InputEntry): string {
  return entry.explicit && entry.path === STDIN ? STDIN_DEVICE : entry.path;
}

/** The result with the raw name (base64) right after `path`. */
export function withPathBytes(result: Result, raw: Uint8Array): Result {
  const { path, ...rest } = result;
  // A Buffer reaches a --concurrency worker as a plain Uint8Array: view it as a Buffer again.
  const pathBytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64');
  return { path, pathBytes, ...rest };
}

/** Checks entries, yielding each result in walk order as soon as it (and all before it) is known. */
export function* checkEntries(entries: Iterable<InputEntry>, options: RunOptions = {}): Generator<Result> {
  const n = Math.floor(options.concurrency ?? 1);
  if (n > 1) {
    yield* checkInWorkers(entries, options, n);
    return;
  }
  const prepared = prepareCheck(options);
  for (const entry of entries) {
    const r = entryResult(entry, prepared);
    if (r && !options.allFiles && walkSkips(entry, r)) options.onSkip?.();
    else if (r) yield r;
  }
}

/** Entries per message to a worker: large enough that hand-offs cost little per file. */
const BATCH = 64;
/** A worker that has not started by then never will (e.g. its module failed to load). */
const WORKER_START_MS = 15000;
/** Batches in flight per worker: bounds memory (results waiting to be printed in order). */
const IN_FLIGHT_PER_WORKER = 4;

export type WorkItem = { entry: InputEntry } | { result: Result };
export interface WorkBatch {
  seq: number;
  items: WorkItem[];
}
export interface WorkDone {
  seq: number;
  results: (Result | null | typeof SKIPPED)[];
}

/**
 * The main thread walks and prints; N workers check. Everything stays synchronous here: the
 * main thread sleeps on a shared counter the workers bump (Atomics.wait) and takes their
 * messages with receiveMessageOnPort, so no event-loop turn is needed. Batches are numbered and
 * re-ordered through a bounded buffer.
 */
function* checkInWorkers(entries: Iterable<InputEntry>, options: RunOptions, n: number): Generator<Result> {
  // [0]: batches answered, [1]: workers started.
  const signal = new Int32Array(new SharedArrayBuffer(8));
  const started = Date.now();
  const { concurrency: _, onSkip, ...checkOptions } = options;
  const prepared = prepareCheck(checkOptions);
  // Workers judge against the budget resolved here: an "auto" budget is read once per run.
  checkOptions.budget = prepared.budget;
  const threads = lazyRequire('node:worker_threads') as typeof import('node:worker_threads');
  const workers: { worker: Worker; port: MessagePort; busy: number }[] = [];
  for (let i = 0; i < n; i++) {
    const { port1, port2 } = new threads.MessageChannel();
    const worker = new threads.Worker(new URL('./run-worker.js', import.meta.url), {
      workerData: { port: port2, signal: signal.buffer, options: checkOptions },
      transferList: [port2],
    });
    worker.unref();
    worker.on('error', () => {}); // seen as a worker that did not start (below) or answered with errors
    workers.push({ worker, port: port1, busy: 0 });
  }
  const ready = new Map<number, WorkDone['results']>();
  const it = entries[Symbol.iterator]();
  let sent = 0;
  let emitted = 0;
  let done = false;
  try {
    for (;;) {
      while (!done && sent - emitted < n * IN_FLIGHT_PER_WORKER) {
        const items: WorkItem[] = [];
        // The first batches are small so the first lines appear at once.
        const size = sent < n ? 8 : BATCH;
        while (items.length < size) {
          const next = it.next();
          if (next.done) {
            done = true;
            break;
          }
          const e = next.value;
          items.push(e.failure ? { result: entryResult(e, prepared)! } : { entry: e });
        }
        if (items.length === 0) break;
        let w = 0;
        for (let i = 1; i < n; i++) if (workers[i]!.busy < workers[w]!.busy) w = i;
        workers[w]!.busy++;
        workers[w]!.port.postMessage({ seq: sent, items } satisfies WorkBatch);
        sent++;
      }
      if (emitted === sent) break;
      while (!ready.has(emitted)) {
        const seen = Atomics.load(signal, 0);
        for (const w of workers) {
          for (let m = threads.receiveMessageOnPort(w.port); m; m = threads.receiveMessageOnPort(w.port)) {
            const msg = m.message as WorkDone;
            ready.set(msg.seq, msg.results);
            w.busy--;
          }
        }
        if (ready.has(emitted)) break;
        if (Atomics.load(signal, 1) < n && Date.now() - started > WORKER_START_MS) {
          throw new Error(
            `--concurrency: ${n - Atomics.load(signal, 1)} of ${n} worker threads did not start within ` +
              `${WORKER_START_MS / 1000} s`,
          );
        }
        Atomics.wait(signal, 0, seen, 1000);
      }
      const results = ready.get(emitted)!;
      ready.delete(emitted);
      emitted++;
      for (const r of results) {
        if (r === SKIPPED) onSkip?.();
        else if (r) yield r;
      }
    }
  } finally {
    for (const w of workers) {
      w.port.close();
      void w.worker.terminate();
    }
  }
}
