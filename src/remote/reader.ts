import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ioFailure } from '../probe/failure.js';

/**
 * What every remote store offers the header probe: ranged reads of one object. HTTP(S), S3 and
 * members of a remote tar shard all implement it.
 */

/** Bytes of one object from `start`, as one ranged read returned them, and what they cost. */
export interface Chunk {
  start: number;
  bytes: Uint8Array;
  /** The object's size when the response told it (Content-Range, or the length of a whole body). */
  total: number | null;
  /** The bytes reach the end of the object. */
  eof: boolean;
  /** Requests this read made (retries and redirects included). */
  requests: number;
  /** Bytes received for it, including any skipped before `start` when a server ignored Range. */
  wireBytes: number;
}

export interface RangeReader {
  /** The object as results name it. */
  readonly name: string;
  /** Up to `length` bytes at `start`; fewer only at the end of the object. Throws a ProbeFailure. */
  read(start: number, length: number): Promise<Chunk>;
}

/** `http://`, `https://` or `s3://`: read over the network, never opened as a local path. */
export function isRemote(path: string): boolean {
  return /^(https?|s3):\/\//i.test(path);
}

/** A tar shard (`.tar`), local or remote: its members are checked in place. */
export function isTarShard(path: string): boolean {
  return /\.tar$/i.test(path.replace(/[?#].*$/, ''));
}

/**
 * Ranged reads of a local file (a local tar shard), opened for each read. Costs no requests; the
 * bytes read count as received.
 */
export function fileReader(path: string | Buffer, name: string): RangeReader {
  return {
    name,
    async read(start, length) {
      let fd: number;
      try {
        fd = openSync(path, 'r');
      } catch (e) {
        throw ioFailure(e, path);
      }
      try {
        const size = fstatSync(fd).size;
        const bytes = new Uint8Array(Math.max(0, Math.min(length, size - start)));
        let got = 0;
        while (got < bytes.length) {
          const n = readSync(fd, bytes, got, bytes.length - got, start + got);
          if (n === 0) break;
          got += n;
        }
        return {
          start,
          bytes: bytes.subarray(0, got),
          total: size,
          eof: start + got >= size,
          requests: 0,
          wireBytes: got,
        };
      } catch (e) {
        throw ioFailure(e, path);
      } finally {
        closeSync(fd);
      }
    },
  };
}

/**
 * A view of the part of `outer` from `base`, `size` bytes long (a tar member inside its shard):
 * reads are shifted and cut at the member's end.
 */
export function sliceReader(outer: RangeReader, name: string, base: number, size: number): RangeReader {
  return {
    name,
    async read(start, length) {
      const want = Math.max(0, Math.min(length, size - start));
      if (want === 0) return { start, bytes: new Uint8Array(0), total: size, eof: true, requests: 0, wireBytes: 0 };
      const c = await outer.read(base + start, want);
      const bytes = c.bytes.subarray(0, want);
      // The shard ends before the member does (a cut archive): the member ends there too.
      const cut = c.eof && bytes.length < want;
      const total = cut ? start + bytes.length : size;
      return { ...c, start, bytes, total, eof: cut || start + bytes.length >= size };
    },
  };
}
