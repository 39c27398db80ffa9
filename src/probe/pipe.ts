import { readSync } from 'node:fs';

const nap = new Int32Array(new SharedArrayBuffer(4));

/**
 * One read from a descriptor that may be non-blocking (a pipe, standard input): waits in short
 * naps while no data is ready. Returns the bytes read, 0 at the end, or -1 once `deadline`
 * (a Date.now() time) has passed with nothing to read.
 */
export function readWaiting(fd: number, into: Uint8Array, deadline = Infinity): number {
  for (;;) {
    try {
      return readSync(fd, into, 0, into.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EOF') return 0;
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') throw e;
      if (Date.now() >= deadline) return -1;
      Atomics.wait(nap, 0, 0, 5);
    }
  }
}
