/**
 * A typed reason why a file's header could not be read. Format readers throw these; `check`
 * turns them into a result. Every code is stable and documented in docs/output.md ("Error codes").
 */
export type FailureStatus = 'corrupt' | 'unsupported' | 'error';

export const FAILURE_CODES = {
  // corrupt: a recognised format whose header is invalid
  E_TRUNCATED: 'corrupt',
  E_BAD_SIGNATURE: 'corrupt',
  E_DIMENSIONS: 'corrupt',
  E_STRUCTURE_LOOP: 'corrupt',
  E_BAD_HEADER: 'corrupt',
  E_HEADER_TOO_LARGE: 'corrupt',
  E_PIXEL_DATA: 'corrupt', // check --verify / decode: the decoder failed on the pixel data
  // unsupported: not an image, or an image sharp cannot decode
  E_NOT_IMAGE: 'unsupported',
  E_EMPTY: 'unsupported',
  E_LFS_POINTER: 'unsupported', // a Git LFS pointer file in place of the image
  E_UNSUPPORTED_FORMAT: 'unsupported',
  E_UNSUPPORTED_FEATURE: 'unsupported',
  // error: the file could not be read at all
  E_NOT_FOUND: 'error',
  E_IS_DIRECTORY: 'error',
  E_PERMISSION: 'error',
  E_NOT_REGULAR: 'error',
  E_SYMLINK_LOOP: 'error',
  E_IO: 'error',
  E_INTERNAL: 'error',
  // error: a remote object could not be fetched (docs/remote.md); E_HTTP_<status> below too
  E_TIMEOUT: 'error',
  E_TOO_MANY_REDIRECTS: 'error',
  E_BAD_REDIRECT: 'error',
  E_NETWORK: 'error',
  E_BAD_RESPONSE: 'error',
  E_CREDENTIALS: 'error',
  E_BAD_TAR: 'error',
} as const satisfies Record<string, FailureStatus>;

/** A remote server's refusal, named by its HTTP status (`E_HTTP_404`); always an `error`. */
export type HttpFailureCode = `E_HTTP_${number}`;

export type FailureCode = keyof typeof FAILURE_CODES | HttpFailureCode;

export class ProbeFailure extends Error {
  readonly code: FailureCode;
  readonly status: FailureStatus;
  /** The format, when it was recognised before the failure. */
  format: string | null;
  /** Bytes read before the failure, and the file's size, when a file was opened. */
  headerBytes = 0;
  fileBytes: number | null = null;
  /** Requests made for a remote object before the failure (absent for local files). */
  requests?: number;

  constructor(code: FailureCode, message: string, format: string | null = null) {
    // A failure is a verdict on a file, not a bug: capturing a stack trace for each would cost
    // microseconds per file on folders of broken files. Only an internal error keeps its stack.
    const stackTraceLimit = Error.stackTraceLimit;
    if (code !== 'E_INTERNAL') Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'ProbeFailure';
    this.code = code;
    this.status = FAILURE_CODES[code as keyof typeof FAILURE_CODES] ?? 'error';
    this.format = format;
  }
}

/** Shorthand for readers: `throw corrupt('png', 'E_TRUNCATED', 'IHDR ends early')`. */
export function fail(format: string | null, code: FailureCode, message: string): ProbeFailure {
  return new ProbeFailure(code, format ? `${format.toUpperCase()}: ${message}` : message, format);
}

/** What a failed system call on a path means for its result. */
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
  // A walked file swapped for a pipe, or a socket named directly: neither has positions to read.
  ESPIPE: ['E_NOT_REGULAR', 'is not a regular file (a pipe or socket); not read'],
  ENXIO: ['E_NOT_REGULAR', 'is a socket or a device with nothing behind it; not read'],
};

export function ioFailure(e: unknown, path: string | Buffer): ProbeFailure {
  if (e instanceof ProbeFailure) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? '';
  const known = ERRNO_CODES[code];
  if (known) return new ProbeFailure(known[0], known[1]);
  const detail = e instanceof Error ? e.message : String(e);
  return new ProbeFailure('E_IO', `cannot read ${JSON.stringify(String(path))}: ${detail}`);
}
