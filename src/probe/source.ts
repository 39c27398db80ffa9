import { readSync } from 'node:fs';
import { fail } from './failure.js';

/**
 * Bounded, seekable reads over one file. Format readers see only this interface, so every reader
 * is bounded by construction: a read past the caps fails before anything is allocated, and the
 * bytes actually read are counted (`headerBytes` in the result).
 */
export interface ByteSource {
  /** Bytes in the file; Infinity when unknown (a pipe or device named explicitly). */
  readonly size: number;
  /** Bytes read from the underlying file so far. */
  readonly bytesRead: number;
  /** Up to `length` bytes at `offset`; shorter only at the end of the file. */
  read(offset: number, length: number): Uint8Array;
  /** Exactly `length` bytes at `offset`, or a `E_TRUNCATED` failure naming `what`. */
  need(offset: number, length: number, what: string): Uint8Array;
}

export interface SourceLimits {
  /** Most bytes a header read may pull from the file in total. */
  maxBytes: number;
  /** Most separate reads (a bound on steps, so structure loops end). */
  maxReads: number;
}

export const DEFAULT_LIMITS: SourceLimits = { maxBytes: 8 * 1024 * 1024, maxReads: 4096 };

/** The first read; covers the whole header of most files. */
const FIRST_READ = 2048;
/** Later reads fetch at least this much, so walking a chain of segments costs few reads. */
const READ_AHEAD = 256;
const EMPTY = new Uint8Array(0);

/** Reads `length` bytes at `position` into `into`, returning how many arrived. */
export type PositionalRead = (into: Uint8Array, length: number, position: number) => number;

export class BoundedSource implements ByteSource {
  readonly size: number;
  private readonly pread: PositionalRead;
  private readonly limits: SourceLimits;
  private window: Uint8Array = EMPTY;
  private windowStart = 0;
  private reads = 0;
  private total = 0;

  constructor(pread: PositionalRead, size: number, limits: SourceLimits = DEFAULT_LIMITS) {
    this.pread = pread;
    this.size = size;
    this.limits = limits;
  }

  get bytesRead(): number {
    return this.total;
  }

  read(offset: number, length: number): Uint8Array {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw fail(null, 'E_BAD_HEADER', `an offset or length in the header is out of range (${offset}+${length})`);
    }
    const end = Math.min(offset + length, this.size);
    if (end <= offset) return EMPTY;
    const w = this.window;
    if (offset >= this.windowStart && end <= this.windowStart + w.length) {
      return w.subarray(offset - this.windowStart, end - this.windowStart);
    }
    const ahead = this.reads === 0 ? FIRST_READ : READ_AHEAD;
    const want = Math.min(Math.max(end - offset, ahead), this.size - offset);
    if (this.total + (end - offset) > this.limits.maxBytes) {
      throw fail(null, 'E_HEADER_TOO_LARGE',
        `the header needs more than ${this.limits.maxBytes} bytes of reads; stopped at byte ${offset}`);
    }
    if (this.reads >= this.limits.maxReads) {
      throw fail(null, 'E_HEADER_TOO_LARGE', `the header needs more than ${this.limits.maxReads} separate reads`);
    }
    // Never read ahead past the byte cap: the cap bounds what a file can make us allocate.
    const size = Math.min(want, this.limits.maxBytes - this.total);
    // Pooled and not zero-filled: only the bytes that arrived are ever exposed.
    const buf = Buffer.allocUnsafe(size);
    const got = this.pread(buf, size, offset);
    this.reads++;
    this.total += got;
    this.window = got === size ? buf : buf.subarray(0, got);
    this.windowStart = offset;
    return this.window.subarray(0, Math.min(got, end - offset));
  }

  need(offset: number, length: number, what: string): Uint8Array {
    const bytes = this.read(offset, length);
    if (bytes.length < length) {
      throw fail(null, 'E_TRUNCATED', `${what} is cut off: needs ${length} bytes at offset ${offset}, the file has ${this.size === Infinity ? 'fewer' : this.size}`);
    }
    return bytes;
  }
}

/** A source over an open file descriptor of a regular file of known size. */
export function fileSource(fd: number, size: number, limits?: SourceLimits): BoundedSource {
  return new BoundedSource((into, length, position) => readSync(fd, into, 0, length, position), size, limits);
}

/** A source over bytes in memory (tests, fuzzing, and prefixes read from pipes). */
export function bufferSource(bytes: Uint8Array, limits?: SourceLimits): BoundedSource {
  return new BoundedSource((into, length, position) => {
    const part = bytes.subarray(position, position + length);
    into.set(part);
    return part.length;
  }, bytes.length, limits);
}
