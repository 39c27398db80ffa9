/** A `--concurrency` worker: checks the batches the main thread sends, in order, and answers. */
import { workerData, type MessagePort } from 'node:worker_threads';
import { entryResult, SKIPPED, walkSkips, type RunOptions, type WorkBatch, type WorkDone } from './run.js';
import { failedResult, prepareCheck } from './check.js';

const { port, signal, options } = workerData as { port: MessagePort; signal: SharedArrayBuffer; options: RunOptions };
const counter = new Int32Array(signal);
const prepared = prepareCheck(options);

// Tell the main thread this worker started (it cannot see a worker's 'error' event while it waits).
Atomics.add(counter, 1, 1);
Atomics.notify(counter, 0);

port.on('message', (batch: WorkBatch) => {
  // The main thread waits for every batch, so every batch is answered, whatever happens here.
  const results: WorkDone['results'] = batch.items.map((item) => {
    if ('result' in item) return item.result;
    try {
      const r = entryResult(item.entry, prepared);
      return r && !options.allFiles && walkSkips(item.entry, r) ? SKIPPED : r;
    } catch (e) {
      return failedResult(item.entry.path, prepared.budgetBytes, e);
    }
  });
  port.postMessage({ seq: batch.seq, results } satisfies WorkDone);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
});
