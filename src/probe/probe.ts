import { ProbeFailure } from './failure.js';
import { decodeHints, type DecodeHints, type Header } from './header.js';
import { readHeader } from './detect.js';
import { withFileSource, type OpenOptions } from './open.js';
import type { ByteSource } from './source.js';

/**
 * One file's header with what a result reports beside it: the probe layer's whole job, shared by
 * `check` and by the guarded decode.
 */
export interface Probe {
  header: Header;
  /** Facts that change a decoder's peak memory (read with the header, a few bytes). */
  hints: DecodeHints;
  /** Bytes actually read. */
  headerBytes: number;
  /** The file's size, or null for pipes and devices. */
  fileBytes: number | null;
}

export interface ProbeOptions extends OpenOptions {
  /** Also walk the file's structure past the header (`check --structure`; see each reader). */
  structure?: boolean;
}

/** Reads a file's header. Throws a ProbeFailure (with status and code) when it cannot. */
export function probeSync(path: string | Buffer, options: ProbeOptions = {}): Probe {
  return withFileSource(path, options, ({ source, regular }) => {
    try {
      const header = readHeader(source, options.structure);
      return {
        header,
        hints: decodeHints(header),
        headerBytes: source.bytesRead,
        fileBytes: regular ? source.size : null,
      };
    } catch (e) {
      if (e instanceof ProbeFailure) {
        e.headerBytes = source.bytesRead;
        // A path that turned out not to be a file (swapped after the walk listed it) has no file size.
        e.fileBytes = regular && e.code !== 'E_NOT_REGULAR' && e.code !== 'E_IS_DIRECTORY' ? sizeOrNull(source) : null;
      }
      throw e;
    }
  });
}

/** The size for a failure's result; a failure to measure it must not hide the first failure. */
function sizeOrNull(source: ByteSource): number | null {
  try {
    return source.size;
  } catch {
    return null;
  }
}
