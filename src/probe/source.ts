import { fstatSync, readSync } from 'node:fs';
import { fail, ioFailure } from './failure.js';

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
  /** The file's size when known without another system call (a short read showed it), else -1. */
  readonly sizeIfKnown: number;
  /** Up to `length` bytes at `offset`; shorter only at the end of the file. */
  read(offset: number, length: number): Uint8Array;
  /**
   * Exactly `length` bytes at `offset`, or a `E_TRUNCATED` failure naming `what` (a function
   * when the name is built from numbers: it is then built only on failure).
   */
  need(offset: number, length: number, what: string | (() => string)): Uint8Array;
  /** The byte at `offset`, or a `E_TRUNCATED` failure naming `what` (as `need`). */
  u8(offset: number, what: string | (() => string)): number;
  /** The big-endian 16-bit integer at `offset`, or a `E_TRUNCATED` failure naming `what`. */
  u16be(offset: number, what: string | (() => string)): number;
}

export interface SourceLimits {
  /** Most bytes a header read may pull from the file in total. */
  maxBytes: number;
  /** Most separate reads (a bound on steps, so structure loops end). */
  maxReads: number;
}

export const DEFAULT_LIMITS: SourceLimits = { maxBytes: 8 * 1024 * 1024, maxReads: 4096 };

/**
 * The first read: one page, like a plain `open, read 4 KiB, close`. It holds the whole header of
 * most files, and the whole of small ones (their size is then known without an fstat).
 */
export const FIRST_READ = 4096;
/**
 * Later reads fetch at least this much: a read costs a system call whatever its length up to a
 * page, so a chain of nearby segments (a JPEG's tables and frame header) should take one.
 */
export const READ_AHEAD = 1024;
const EMPTY = new Uint8Array(0);

/**
 * Scratch memory for one file's reads, lent to one source at a time and given back when its file
 * is closed. Reads land in memory that is already mapped instead of a new buffer per read: a
 * fresh 64 KiB buffer costs more in page faults and garbage collection than the read itself.
 */
const ARENA_BYTES = 512 * 1024;
let arena: ArrayBuffer | null = null;
let arenaLent = false;

/** Reads `length` bytes at `position` into `into`, returning how many arrived. */
export type PositionalRead = (into: Uint8Array, length: number, position: number) => number;

export class BoundedSource implements ByteSource {
  private readonly pread: PositionalRead;
  private readonly limits: SourceLimits;
  /** The file's size, or -1 until it is needed or a short read shows where the file ends. */
  private knownSize: number;
  /** Measures the size when it is needed and not yet known (an fstat). */
  private readonly measure: (() => number) | null;
  private window: Uint8Array = EMPTY;
  private windowStart = 0;
  private reads = 0;
  private total = 0;
  private arena: ArrayBuffer | null = null;
  private arenaUsed = 0;

  /** `size` is the file's size, or a function that measures it the first time it is needed. */
  constructor(pread: PositionalRead, size: number | (() => number), limits: SourceLimits = DEFAULT_LIMITS) {
    this.pread = pread;
    this.knownSize = typeof size === 'number' ? size : -1;
    this.measure = typeof size === 'number' ? null : size;
    this.limits = limits;
  }

  get size(): number {
    if (this.knownSize < 0) this.knownSize = this.measure!();
    return this.knownSize;
  }

  get bytesRead(): number {
    return this.total;
  }

  get sizeIfKnown(): number {
    return this.knownSize;
  }

  read(offset: number, length: number): Uint8Array {
    // Most reads fall inside the last one (a header's fields sit close together): answered
    // before any other check. The window never reaches past the end of the file.
    const w = this.window;
    const i = offset - this.windowStart;
    if (i >= 0 && (i | 0) === i && (length | 0) === length && length >= 0 && i + length <= w.length) {
      return w.subarray(i, i + length);
    }
    return this.readMore(offset, length);
  }

  /** `read` when the bytes are not all in the window: checks the request, then reads the file. */
  private readMore(offset: number, length: number): Uint8Array {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw fail(null, 'E_BAD_HEADER', `an offset or length in the header is out of range (${offset}+${length})`);
    }
    let end = offset + length;
    // An unknown size is not measured here: a short read tells it for free.
    if (this.knownSize >= 0 && end > this.knownSize) end = this.knownSize;
    if (end <= offset) return EMPTY;
    // Inside the window once clipped to the end of the file.
    const w = this.window;
    if (offset >= this.windowStart && end <= this.windowStart + w.length) {
      return w.subarray(offset - this.windowStart, end - this.windowStart);
    }
    if (this.total + (end - offset) > this.limits.maxBytes) {
      throw fail(
        null,
        'E_HEADER_TOO_LARGE',
        `the header needs more than ${this.limits.maxBytes} bytes of reads; stopped at byte ${offset}`,
      );
    }
    if (this.reads >= this.limits.maxReads) {
      throw fail(null, 'E_HEADER_TOO_LARGE', `the header needs more than ${this.limits.maxReads} separate reads`);
    }
    let want = Math.max(end - offset, this.reads === 0 ? FIRST_READ : READ_AHEAD);
    if (this.knownSize >= 0) want = Math.min(want, this.knownSize - offset);
    // Never read ahead past the byte cap: the cap bounds what a file can make us allocate.
    const size = Math.min(want, this.limits.maxBytes - this.total);
    const buf = this.scratch(size);
    const got = this.pread(buf, size, offset);
    this.reads++;
    this.total += got;
    // A short read is the end of the file (regular files and memory; pipes are read into memory).
    if (got < size && this.knownSize < 0) this.knownSize = got > 0 || offset === 0 ? offset + got : this.measure!();
    this.window = got === size ? buf : buf.subarray(0, got);
    this.windowStart = offset;
    return this.window.subarray(0, Math.min(got, end - offset));
  }

  need(offset: number, length: number, what: string | (() => string)): Uint8Array {
    const bytes = this.read(offset, length);
    if (bytes.length < length) {
      throw fail(
        null,
        'E_TRUNCATED',
        `${typeof what === 'string' ? what : what()} is cut off: needs ${length} bytes at offset ${offset}, the ` +
          `file has ${this.size === Infinity ? 'fewer' : this.size}`,
      );
    }
    return bytes;
  }

  // Scalar reads: a field inside the window (the common case) is read in place, with no view
  // allocated for it as `need` would.
  u8(offset: number, what: string | (() => string)): number {
    const i = offset - this.windowStart;
    const w = this.window;
    if (i >= 0 && (i | 0) === i && i < w.length) return w[i]!;
    return this.need(offset, 1, what)[0]!;
  }

  u16be(offset: number, what: string | (() => string)): number {
    const i = offset - this.windowStart;
    const w = this.window;
    if (i >= 0 && (i | 0) === i && i + 2 <= w.length) return (w[i]! << 8) | w[i + 1]!;
    const b = this.need(offset, 2, what);
    return (b[0]! << 8) | b[1]!;
  }

  /**
   * Borrows the shared scratch memory for this source's reads (when no other source holds it).
   * Everything read stays valid until `release()`.
   */
  useArena(): this {
    if (!arenaLent) {
      this.arena = arena ??= new ArrayBuffer(ARENA_BYTES);
      arenaLent = true;
    }
    return this;
  }

  /** Gives the scratch memory back: the bytes this source returned must not be used after this. */
  release(): void {
    if (this.arena !== null) arenaLent = false;
    this.arena = null;
    this.window = EMPTY;
  }

  /** Memory for one read: the next part of the arena while it lasts, else a new buffer. */
  private scratch(size: number): Uint8Array {
    const arena = this.arena;
    if (arena !== null && this.arenaUsed + size <= arena.byteLength) {
      const view = new Uint8Array(arena, this.arenaUsed, size);
      this.arenaUsed += size;
      return view;
    }
    return new Uint8Array(size);
  }
}

/**
 * A source over an open descriptor of a regular file. Its size is measured (fstat) only when a
 * reader needs it before a short read has shown where the file ends, unless `size` is given. A
 * read that fails (EIO; EISDIR or ESPIPE if the path was swapped) is a ProbeFailure naming `path`.
 * Borrows the scratch arena: call `release()` when done, before the descriptor is closed.
 */
export function fileSource(
  fd: number,
  size?: number | (() => number),
  limits?: SourceLimits,
  path: string | Buffer = `fd ${fd}`,
): BoundedSource {
  const pread: PositionalRead = (into, length, position) => {
    try {
      return readSync(fd, into, 0, length, position);
    } catch (e) {
      throw ioFailure(e, path);
    }
  };
  const measure = (): number => {
    try {
      return fstatSync(fd).size;
    } catch (e) {
      throw ioFailure(e, path);
    }
  };
  return new BoundedSource(pread, size ?? measure, limits).useArena();
}

/** A source over bytes in memory (tests, fuzzing, and prefixes read from pipes). */
export function bufferSource(bytes: Uint8Array, limits?: SourceLimits): BoundedSource {
  return new BoundedSource(
    (into, length, position) => {
      const part = bytes.subarray(position, position + length);
      into.set(part);
      return part.length;
    },
    bytes.length,
    limits,
  );
}
