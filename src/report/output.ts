import { writeSync } from 'node:fs';

/**
 * Buffered, synchronous writes to a file descriptor. Results stream: the buffer is flushed when
 * it grows past a few KiB or a short time has passed, so the first lines appear at once even
 * while a long walk goes on. A closed pipe (EPIPE, e.g. `| head`) ends output quietly.
 */
export class Output {
  private buffer = '';
  private lastFlush = Date.now();
  /** True once the reader went away; further writes are dropped. */
  closed = false;

  constructor(private readonly fd: number, private readonly maxDelayMs = 100) {}

  write(text: string): void {
    if (this.closed) return;
    this.buffer += text;
    if (this.buffer.length >= 16384 || Date.now() - this.lastFlush >= this.maxDelayMs) this.flush();
  }

  flush(): void {
    this.lastFlush = Date.now();
    if (this.closed || this.buffer === '') return;
    const data = Buffer.from(this.buffer);
    this.buffer = '';
    let at = 0;
    while (at < data.length) {
      try {
        at += writeSync(this.fd, data, at);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
          continue;
        }
        if (code === 'EPIPE') {
          this.closed = true;
          return;
        }
        this.closed = true;
        throw new OutputError(`cannot write the output: ${(e as Error).message}`);
      }
    }
  }
}

/** The output could not be written (a full disk, an I/O error): one line and exit 2, no stack. */
export class OutputError extends Error {
  override name = 'OutputError';
}
