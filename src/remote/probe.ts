import { readHeader } from '../probe/detect.js';
import { fail, ProbeFailure } from '../probe/failure.js';
import { decodeHints } from '../probe/header.js';
import type { Probe } from '../probe/probe.js';
import { BoundedSource, DEFAULT_LIMITS, type SourceLimits } from '../probe/source.js';
import type { Chunk, RangeReader } from './reader.js';

/**
 * The first request's length: the whole header of nearly every image (a JPEG's EXIF block with
 * its thumbnail included), so most images cost one request (docs/performance.md).
 */
export const FIRST_WINDOW = 16 * 1024;
/** Most requests one header may take; each asks for at least twice the one before. */
export const MAX_REQUESTS = 24;

/** A read past the fetched bytes at offset X asks for up to X × SKIP_GROWTH bytes... */
const SKIP_GROWTH = 8;
/** ...but never more than this on that account. */
const MAX_SKIP_WINDOW = 1024 * 1024;

/** A remote object's probe, with what reading it cost. */
export interface RemoteProbe extends Probe {
  requests: number;
}

/**
 * Thrown through a format reader when it asks for bytes not fetched yet. Not an Error: it is a
 * signal to fetch and run the reader again, never a verdict (readers rethrow what is not a
 * ProbeFailure).
 */
export class NeedBytes {
  constructor(
    readonly offset: number,
    readonly length: number,
  ) {}
}

/** The parts of an object fetched so far: sorted, disjoint, adjacent parts joined. */
class Fetched {
  private parts: { start: number; bytes: Uint8Array }[] = [];

  add(start: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    let end = start + bytes.length;
    const keep: { start: number; bytes: Uint8Array }[] = [];
    const joined: { start: number; bytes: Uint8Array }[] = [{ start, bytes }];
    for (const p of this.parts) {
      const pEnd = p.start + p.bytes.length;
      if (pEnd < start || p.start > end) keep.push(p);
      else {
        joined.push(p);
        start = Math.min(start, p.start);
        end = Math.max(end, pEnd);
      }
    }
    let part = { start, bytes };
    if (joined.length > 1) {
      const all = new Uint8Array(end - start);
      // Later fetches win where parts overlap (the same bytes either way).
      for (let i = joined.length - 1; i >= 0; i--) all.set(joined[i]!.bytes, joined[i]!.start - start);
      part = { start, bytes: all };
    }
    keep.push(part);
    keep.sort((a, b) => a.start - b.start);
    this.parts = keep;
  }

  /** The bytes [offset, offset + length) when all were fetched, else null. */
  get(offset: number, length: number): Uint8Array | null {
    for (const p of this.parts) {
      const i = offset - p.start;
      if (i >= 0 && i + length <= p.bytes.length) return p.bytes.subarray(i, i + length);
    }
    return null;
  }
}

/**
 * Reads a remote object's header by ranges, with the local readers unchanged: the reader runs over
 * a bounded source of the bytes fetched so far; when it asks for more, the missing range (and at
 * least twice the last request) is fetched and the reader runs again. Reads are bounded by the
 * same limits as a local file's, counted in bytes received. `first` is bytes already fetched
 * (a tar member's head, read with its header).
 */
export async function probeRemote(
  reader: RangeReader,
  limits: SourceLimits = DEFAULT_LIMITS,
  first?: Chunk,
): Promise<RemoteProbe> {
  const fetched = new Fetched();
  let size = -1;
  let requests = 0;
  let wire = 0;
  let window = FIRST_WINDOW;
  const take = (c: Chunk): void => {
    requests += c.requests;
    wire += c.wireBytes;
    if (c.total !== null) size = c.total;
    else if (c.eof) size = c.start + c.bytes.length;
    fetched.add(c.start, c.bytes);
  };
  const fetch = async (offset: number, length: number): Promise<void> => {
    if (requests >= MAX_REQUESTS)
      throw fail(null, 'E_HEADER_TOO_LARGE', `the header needs more than ${MAX_REQUESTS} requests`);
    let want = size >= 0 ? Math.min(length, size - offset) : length;
    want = Math.min(want, limits.maxBytes - wire);
    if (want <= 0)
      throw fail(
        null,
        'E_HEADER_TOO_LARGE',
        `the header needs more than ${limits.maxBytes} bytes; stopped at byte ${offset}`,
      );
    try {
      take(await reader.read(offset, want));
    } catch (e) {
      if (e instanceof ProbeFailure) requests += e.requests ?? 0;
      throw e;
    }
  };
  try {
    if (first) take(first);
    else await fetch(0, FIRST_WINDOW);
    for (;;) {
      const src = new BoundedSource(
        (into, length, position) => {
          const bytes = fetched.get(position, length);
          if (bytes === null) throw new NeedBytes(position, length);
          into.set(bytes);
          return bytes.length;
        },
        size >= 0 ? size : Number.POSITIVE_INFINITY,
        limits,
      );
      try {
        const header = readHeader(src);
        return {
          header,
          hints: decodeHints(header),
          headerBytes: wire,
          fileBytes: size >= 0 ? size : null,
          requests,
        };
      } catch (e) {
        if (!(e instanceof NeedBytes)) throw e;
        // A reader that skips far ahead (past a JPEG's 60 KB EXIF block) will likely skip again
        // (the ICC segments after it): the window grows with the distance skipped, not only
        // doubling, so such a header costs two round trips rather than five.
        window = Math.max(window * 2, e.length, Math.min(e.offset * SKIP_GROWTH, MAX_SKIP_WINDOW));
        await fetch(e.offset, window);
      }
    }
  } catch (e) {
    if (e instanceof ProbeFailure) {
      e.headerBytes = wire;
      e.fileBytes = size >= 0 ? size : null;
      e.requests = requests;
    }
    throw e;
  }
}
