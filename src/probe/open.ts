import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import { readWaiting } from './pipe.js';
import { bufferSource, DEFAULT_LIMITS, fileSource, type BoundedSource, type SourceLimits } from './source.js';
import { ProbeFailure, type FailureCode } from './failure.js';

export interface OpenOptions {
  limits?: SourceLimits;
  /**
   * The user named this path: a FIFO or device is then read, up to the byte cap and a time
   * limit. Otherwise (paths found by walking) only regular files are read.
   */
  explicit?: boolean;
}

export interface OpenedFile {
  source: BoundedSource;
  /** Size of a regular file; null for pipes and devices. */
  fileBytes: number | null;
}

/** Longest wait for a slow pipe, in total. */
const PIPE_DEADLINE_MS = 2000;

// O_NONBLOCK: opening a FIFO must never wait for a writer; it does nothing for regular files.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/**
 * Opens `path`, hands a bounded source over it to `use`, and closes the descriptor on every
 * path out, errors included.
 */
export function withFileSource<T>(path: string, options: OpenOptions, use: (file: OpenedFile) => T): T {
  const limits = options.limits ?? DEFAULT_LIMITS;
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    throw ioFailure(e, path);
  }
  try {
    let stat;
    try {
      stat = fstatSync(fd);
    } catch (e) {
      throw ioFailure(e, path);
    }
    if (stat.isDirectory()) throw new ProbeFailure('E_IS_DIRECTORY', 'is a directory, not a file');
    if (stat.isFile()) return use({ source: fileSource(fd, stat.size, limits), fileBytes: stat.size });
    const kind = stat.isFIFO() ? 'a FIFO (named pipe)' : stat.isSocket() ? 'a socket' : stat.isCharacterDevice() ? 'a character device' : stat.isBlockDevice() ? 'a block device' : 'not a regular file';
    if (!options.explicit) throw new ProbeFailure('E_NOT_REGULAR', `is ${kind}; skipped without reading (name it explicitly to read it)`);
    return use({ source: bufferSource(readPrefix(fd, limits.maxBytes, path), limits), fileBytes: null });
  } finally {
    closeSync(fd);
  }
}

/** Reads at most `cap` bytes from a non-seekable descriptor, waiting at most PIPE_DEADLINE_MS. */
function readPrefix(fd: number, cap: number, path: string): Uint8Array {
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

const ERRNO_CODES: Record<string, [FailureCode, string]> = {
  ENOENT: ['E_NOT_FOUND', 'no such file'],
  ENOTDIR: ['E_NOT_FOUND', 'no such file (a part of the path is not a directory)'],
  ENAMETOOLONG: ['E_NOT_FOUND', 'the path is too long'],
  EACCES: ['E_PERMISSION', 'permission denied'],
  EPERM: ['E_PERMISSION', 'operation not permitted'],
  EISDIR: ['E_IS_DIRECTORY', 'is a directory, not a file'],
  ELOOP: ['E_SYMLINK_LOOP', 'too many levels of symbolic links (a symlink loop)'],
  EMFILE: ['E_IO', 'too many open files'],
  ENFILE: ['E_IO', 'too many open files in the system'],
  EIO: ['E_IO', 'input/output error'],
};

export function ioFailure(e: unknown, path: string): ProbeFailure {
  if (e instanceof ProbeFailure) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? '';
  const known = ERRNO_CODES[code];
  if (known) return new ProbeFailure(known[0], known[1]);
  const detail = e instanceof Error ? e.message : String(e);
  return new ProbeFailure('E_IO', `cannot read ${JSON.stringify(path)}: ${detail}`);
}
