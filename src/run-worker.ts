/** A `--concurrency` worker: checks the batches the main thread sends, in order, and answers. */
import { workerData, type MessagePort } from 'node:worker_threads';
import { checkEntry, type WorkBatch, type WorkDone } from './run.js';
import type { CheckOptions } from './check.js';

const { port, signal, options } = workerData as { port: MessagePort; signal: SharedArrayBuffer; options: CheckOptions };
const counter = new Int32Array(signal);

port.on('message', (batch: WorkBatch) => {
  const results = batch.items.map((item) => ('result' in item ? item.result : checkEntry(item.entry, options)));
  port.postMessage({ seq: batch.seq, results } satisfies WorkDone);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
});
