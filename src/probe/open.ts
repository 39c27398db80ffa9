import { closeSync, constants, fstatSync, openSync, type Stats } from 'node:fs';
import { readWaiting } from './pipe.js';
import { bufferSource, DEFAULT_LIMITS, fileSource, type BoundedSource, type SourceLimits } from './source.js';
import { ioFailure, ProbeFailure } from './failure.js';
import { STDIN_DEVICE } from './stdin.js';

export interface OpenOptions {
  limits?: SourceLimits;
  /**
   * The user named this path: a FIFO or device is then read, up to the byte cap and a time
   * limit. Otherwise (paths found by walking) only regular files are read.
   */
  explicit?: boolean;
  /**
   * A directory walk saw a regular file here (its entry type): the fstat that would tell the
   * file's kind is skipped, and its size is measured only if a reader needs it. Should the path
   * have been replaced since, the read fails with its own error (a directory, a pipe), and the
   * non-blocking open means nothing can wait.
   */
  regular?: boolean;
}

export interface OpenedFile {
  source: BoundedSource;
  /** Whether this is a regular file (its size is `source.size`); false for pipes and devices. */
  regular: boolean;
}

/** Longest wait for a slow pipe, in total. */
const PIPE_DEADLINE_MS = 2000;

// O_NONBLOCK: opening a FIFO must never wait for a writer; it does nothing for regular files.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/**
 * Opens `path`, hands a bounded source over it to `use`, and closes the descriptor on every
 * path out, errors included. Nothing `use` returns may hold bytes of the source: its memory is
 * reused for the next file.
 */
export function withFileSource<T>(path: string | Buffer, options: OpenOptions, use: (file: OpenedFile) => T): T {
  const limits = options.limits ?? DEFAULT_LIMITS;
  // Standard input is read through descriptor 0 itself: a socket (as Node's child processes get)
  // cannot be opened again by name.
  const stdin = path === STDIN_DEVICE;
  let fd: number;
  try {
    fd = stdin ? 0 : openSync(path, OPEN_FLAGS);
  } catch (e) {
    throw ioFailure(e, path);
  }
  let source: BoundedSource | undefined;
  try {
    if (options.regular) {
      source = fileSource(fd, undefined, limits, path);
      return use({ source, regular: true });
    }
    const stat = statOf(fd, path);
    if (stat.isDirectory()) throw new ProbeFailure('E_IS_DIRECTORY', 'is a directory, not a file');
    if (stat.isFile()) {
      source = fileSource(fd, stat.size, limits, path);
      return use({ source, regular: true });
    }
    const kind = stat.isFIFO()
      ? 'a FIFO (named pipe)'
      : stat.isSocket()
        ? 'a socket'
        : stat.isCharacterDevice()
          ? 'a character device'
          : stat.isBlockDevice()
            ? 'a block device'
            : 'not a regular file';
    if (!options.explicit)
      throw new ProbeFailure('E_NOT_REGULAR', `is ${kind}; skipped without reading (name it explicitly to read it)`);
    return use({ source: bufferSource(readPrefix(fd, limits.maxBytes, path), limits), regular: false });
  } finally {
    source?.release();
    if (!stdin) closeSync(fd);
  }
}

function statOf(fd: number, path: string | Buffer): Stats {
  try {
    return fstatSync(fd);
  } catch (e) {
    throw ioFailure(e, path);
  }
}

/** Reads at most `cap` bytes from a non-seekable descriptor, waiting at most PIPE_DEADLINE_MS. */
function readPrefix(fd: number, cap: number, path: string | Buffer): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const deadline = Date.now() + PIPE_DEADLINE_MS;
  while (total < cap) {
    const chunk = new Uint8Array(Math.min(65536, cap - total));
    let n: number;
    try {
      n = readWaiting(fd, chunk, deadline);
    } catch (e) {
      throw ioFailure(e, path);
    }
    if (n <= 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
