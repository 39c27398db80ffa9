import { ProbeFailure } from '../probe/failure.js';
import type { Chunk, RangeReader } from '../remote/reader.js';

/**
 * Members of a tar shard (a WebDataset shard is a tar of images and labels), read in place by
 * ranges: a header, then the member's first bytes in the same read. Follows POSIX.1-2001 `ustar`
 * (IEEE Std 1003.1, "pax" utility, ustar Interchange Format) with pax extended headers (`x`) and
 * GNU long names (`L`); sizes in octal or GNU base-256.
 */

const BLOCK = 512;
/** Longest pax extended header or GNU long name accepted. */
const MAX_META_BYTES = 64 * 1024;

export interface TarHeader {
  name: string;
  size: number;
  /** The type flag: '0' (or NUL) a regular file, '5' a directory, 'x' pax, 'L' GNU long name... */
  type: string;
}

export interface TarMember {
  name: string;
  /** Offset of the member's data in the shard. */
  offset: number;
  size: number;
  /**
   * The member's first bytes, read with its header (start 0, relative to the member), carrying the
   * cost of the reads that found it.
   */
  head: Chunk;
}

const badTar = (at: number, why: string) =>
  new ProbeFailure('E_BAD_TAR', `not a valid tar archive at byte ${at}: ${why}`);

/** A NUL-terminated text field. */
function field(b: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && b[end] !== 0) end++;
  return Buffer.from(b.subarray(start, end)).toString('utf8');
}

/** A numeric field: octal digits (space or NUL ended), or GNU base-256 when the top bit is set. */
function number(b: Uint8Array, start: number, length: number, at: number): number {
  if (b[start]! & 0x80) {
    let n = b[start]! & 0x7f;
    for (let i = start + 1; i < start + length; i++) n = n * 256 + b[i]!;
    if (!Number.isSafeInteger(n)) throw badTar(at, 'a size too large');
    return n;
  }
  const text = field(b, start, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw badTar(at, `a number field is not octal (${JSON.stringify(text)})`);
  const n = Number.parseInt(text, 8);
  if (!Number.isSafeInteger(n)) throw badTar(at, 'a size too large');
  return n;
}

/** One 512-byte header block; null for an all-zero block (the end of the archive). */
export function parseTarHeader(b: Uint8Array, at: number): TarHeader | null {
  if (b.every((x) => x === 0)) return null;
  // The checksum: the sum of the header's bytes with its own field read as spaces.
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : b[i]!;
  if (number(b, 148, 8, at) !== sum) throw badTar(at, 'the header checksum does not match');
  let name = field(b, 0, 100);
  const ustar = field(b, 257, 5) === 'ustar';
  const prefix = ustar ? field(b, 345, 155) : '';
  if (prefix) name = `${prefix}/${name}`;
  return { name, size: number(b, 124, 12, at), type: String.fromCharCode(b[156]!) };
}

/** The `path` and `size` records of a pax extended header ("<length> <key>=<value>\n" each). */
export function parsePax(data: Uint8Array, at: number): { path?: string; size?: number } {
  const out: { path?: string; size?: number } = {};
  let i = 0;
  while (i < data.length && data[i] !== 0) {
    const space = data.indexOf(0x20, i);
    const length = space > i ? Number(Buffer.from(data.subarray(i, space)).toString('latin1')) : Number.NaN;
    if (!Number.isSafeInteger(length) || length <= space - i || i + length > data.length)
      throw badTar(at, 'a malformed pax record');
    const record = Buffer.from(data.subarray(space + 1, i + length - 1)).toString('utf8');
    const eq = record.indexOf('=');
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key === 'path') out.path = value;
    else if (key === 'size') {
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw badTar(at, 'a malformed pax size');
      out.size = Number(value);
    }
    i += length;
  }
  return out;
}

const roundUp = (n: number): number => Math.ceil(n / BLOCK) * BLOCK;

/**
 * The regular-file members of the tar read through `reader`, in archive order, each with its first
 * bytes (up to `window` per read, fetched with its header). Reads one header after another; memory
 * holds one window. Throws a ProbeFailure (E_BAD_TAR, or the reader's) where the archive cannot be
 * read further; members yielded before stay valid.
 */
export async function* tarMembers(reader: RangeReader, window: number): AsyncGenerator<TarMember> {
  let last: Chunk | null = null;
  // Reads not yet charged to a member: the next member yielded carries them.
  let requests = 0;
  let wire = 0;
  /** `length` bytes at `at` (fewer at the end), from the last window when it holds them. */
  const bytesAt = async (at: number, length: number): Promise<Uint8Array> => {
    if (last !== null && at >= last.start && at + length <= last.start + last.bytes.length)
      return last.bytes.subarray(at - last.start, at - last.start + length);
    last = await reader.read(at, Math.max(length, window));
    requests += last.requests;
    wire += last.wireBytes;
    return last.bytes.subarray(0, length);
  };
  let pax: { path?: string; size?: number } = {};
  let longName: string | null = null;
  for (let at = 0; ; ) {
    const block = await bytesAt(at, BLOCK);
    if (block.length === 0 && at > 0) return; // ends without the two zero blocks: accepted, as tar does
    if (block.length < BLOCK) throw badTar(at, 'the archive ends inside a header');
    const h = parseTarHeader(block, at);
    if (h === null) return;
    const dataAt = at + BLOCK;
    const size = pax.size ?? h.size;
    if (h.type === 'x' || h.type === 'L') {
      if (h.size > MAX_META_BYTES) throw badTar(at, `an extended header of ${h.size} bytes`);
      const data = await bytesAt(dataAt, h.size);
      if (data.length < h.size) throw badTar(at, 'the archive ends inside an extended header');
      if (h.type === 'x') pax = parsePax(data, at);
      else longName = field(data, 0, data.length);
      at = dataAt + roundUp(h.size);
      continue;
    }
    const name = pax.path ?? longName ?? h.name;
    pax = {};
    longName = null;
    if (h.type === '0' || h.type === '\0' || h.type === '7') {
      // The member's first bytes: those the last read brought beyond its header (one more read
      // only when none did).
      const held: Chunk = last!;
      const inWindow = Math.max(0, held.start + held.bytes.length - dataAt);
      const bytes =
        inWindow > 0 || size === 0
          ? held.bytes.subarray(dataAt - held.start, dataAt - held.start + Math.min(inWindow, size))
          : await bytesAt(dataAt, Math.min(size, window));
      const head: Chunk = {
        start: 0,
        bytes,
        total: size,
        eof: bytes.length >= size,
        requests,
        wireBytes: wire,
      };
      requests = 0;
      wire = 0;
      yield { name, offset: dataAt, size, head };
    }
    // Directories, links, devices, 'g' global headers: skipped.
    at = dataAt + roundUp(size);
  }
}
