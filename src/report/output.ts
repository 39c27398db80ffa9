import { randomBytes } from 'node:crypto';
import { closeSync, constants, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Room for a few dozen result lines; written out once it holds FLUSH_BYTES. */
const BUFFER_BYTES = 64 * 1024;
const FLUSH_BYTES = 32 * 1024;

/**
 * Buffered, synchronous writes to a file descriptor. Results stream: the buffer is flushed when
 * it grows past a few KiB or a short time has passed, so the first lines appear at once even
 * while a long walk goes on. A closed pipe (EPIPE, e.g. `| head`) ends output quietly.
 */
export class Output {
  /** Encoded bytes waiting to be written: text is encoded straight into it, never concatenated. */
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private lastFlush = Date.now();
  /** True once the reader went away; further writes are dropped. */
  closed = false;

  constructor(
    protected readonly fd: number,
    private readonly maxDelayMs = 100,
  ) {}

  write(text: string): void {
    if (this.closed) return;
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (this.used + text.length * 3 > BUFFER_BYTES) {
      this.flush();
      if (text.length * 3 > BUFFER_BYTES) {
        this.writeAll(Buffer.from(text));
        return;
      }
    }
    this.used += this.buffer.write(text, this.used);
    if (this.used >= FLUSH_BYTES || Date.now() - this.lastFlush >= this.maxDelayMs) this.flush();
  }

  flush(): void {
    this.lastFlush = Date.now();
    if (this.closed || this.used === 0) return;
    const data = this.buffer.subarray(0, this.used);
    this.used = 0;
    this.writeAll(data);
  }

  private writeAll(data: Uint8Array): void {
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

/**
 * `--output FILE`: the report goes to a temporary file beside FILE (created exclusively, mode
 * 0644) and is renamed over FILE only once complete, so a reader never sees half a report and a
 * failed or interrupted run leaves FILE as it was.
 */
export class FileOutput extends Output {
  private done = false;

  private constructor(
    fd: number,
    private readonly tmp: string,
    private readonly target: string,
  ) {
    super(fd, Number.POSITIVE_INFINITY);
  }

  static open(target: string): FileOutput {
    const dir = dirname(resolve(target));
    // A fixed-length name in the target's real folder: the rename then never crosses file systems.
    const tmp = join(dir, `.imgguard-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
    let fd: number;
    try {
      fd = openSync(
        tmp,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
        0o644,
      );
    } catch (e) {
      throw new OutputError(`cannot write ${JSON.stringify(target)}: ${(e as Error).message}`);
    }
    const out = new FileOutput(fd, tmp, target);
    process.once('exit', () => out.discard());
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        out.discard();
        // Then die of the same signal, as the default action would have.
        process.kill(process.pid, signal);
      });
    }
    return out;
  }

  /** Writes what is buffered, closes the file and renames it over the target. */
  commit(): void {
    if (this.done) return;
    try {
      this.flush();
      closeSync(this.fd);
      this.done = true;
      renameSync(this.tmp, this.target);
    } catch (e) {
      this.discard();
      throw new OutputError(`cannot write ${JSON.stringify(this.target)}: ${(e as Error).message}`);
    }
  }

  /** Removes the temporary file (an error or an interrupted run): the target is left untouched. */
  discard(): void {
    if (!this.done) {
      this.done = true;
      try {
        closeSync(this.fd);
      } catch {}
    }
    try {
      unlinkSync(this.tmp);
    } catch {}
  }
}
