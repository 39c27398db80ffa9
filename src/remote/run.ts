import { failedResult, probeResult, type PreparedCheck } from '../check.js';
import type { InputEntry } from '../inputs/walk.js';
import { ProbeFailure } from '../probe/failure.js';
import { DEFAULT_LIMITS } from '../probe/source.js';
import type { Result } from '../result.js';
import { entryResult } from '../run.js';
import type { Shard } from '../inputs/shard.js';
import { FETCH_DEFAULTS, HttpClient, type FetchSettings } from './http.js';
import { parseS3Url, S3Access, type S3Settings } from './s3.js';
import { TAR_IMAGE_EXTENSIONS } from '../rules.js';
import { tarMembers } from '../inputs/tar.js';
import { FIRST_WINDOW, probeRemote } from './probe.js';
import { type Chunk, fileReader, isRemote, isTarShard, type RangeReader, sliceReader } from './reader.js';

export interface RemoteOptions {
  fetch?: Partial<FetchSettings>;
  s3?: S3Settings;
  /** Which keys of S3 listings and members of tar shards are checked (as a folder walk picks files). */
  walk?: WalkFilter;
  /** `--shard K/N`, applied after S3 listings are expanded. */
  shard?: Shard | null;
}

export interface WalkFilter {
  /** Only names ending in one of these extensions (no dot); tar members default to TAR_IMAGE_EXTENSIONS. */
  ext?: readonly string[] | undefined;
  /** Also names starting with a dot (in any part of the path). */
  hidden?: boolean | undefined;
  /** Skip S3 keys matching these patterns (src/inputs/ignore.ts), below their prefix. */
  ignore?: readonly string[] | undefined;
}

/** A member of a tar shard, as the shard's walk found it. */
export interface MemberEntry extends InputEntry {
  member: { reader: RangeReader; offset: number; size: number; head: Chunk; remote: boolean };
}

/** What a run's remote reads share: kept-alive connections, settings. Close it at the end. */
export class RemoteContext {
  private httpClient: HttpClient | null = null;
  private s3Access: S3Access | null = null;
  /** The reader behind each remote result, for `--verify` (dropped with the result). */
  private readers = new WeakMap<Result, RangeReader>();

  constructor(
    readonly prepared: PreparedCheck,
    readonly options: RemoteOptions = {},
  ) {}

  get limits() {
    return this.prepared.sourceLimits ?? DEFAULT_LIMITS;
  }

  /** A ranged reader for a remote path. Throws a ProbeFailure for a scheme it cannot read. */
  reader(path: string): RangeReader {
    if (/^https?:\/\//i.test(path)) {
      this.httpClient ??= new HttpClient(this.options.fetch);
      return this.httpClient.object(path, this.limits.maxBytes);
    }
    const s3 = parseS3Url(path);
    if (s3 && s3.key !== '' && !s3.key.endsWith('/')) return this.s3().object(s3.bucket, s3.key, path);
    throw new ProbeFailure('E_NOT_FOUND', 'not a URL of an object (http://, https:// or s3://bucket/key)');
  }

  /** S3 access shared by the run (the SDK loads on first use). */
  s3(): S3Access {
    this.s3Access ??= new S3Access(this.options.s3 ?? {}, { ...FETCH_DEFAULTS, ...this.options.fetch });
    return this.s3Access;
  }

  /** Remembers the object a result came from. */
  remember(result: Result, reader: RangeReader): Result {
    this.readers.set(result, reader);
    return result;
  }

  /** The object a remote result came from; undefined for local files. */
  readerOf(result: Result): RangeReader | undefined {
    return this.readers.get(result);
  }

  close(): void {
    this.httpClient?.close();
    this.s3Access?.close();
  }
}

/** One remote object's verdict. Never rejects: every failure becomes a result. */
export async function checkRemote(path: string, ctx: RemoteContext): Promise<Result> {
  const p = ctx.prepared;
  try {
    const reader = ctx.reader(path);
    const probe = await probeRemote(reader, ctx.limits);
    const result = probeResult(path, p, probe);
    result.requests = probe.requests;
    return ctx.remember(result, reader);
  } catch (e) {
    return failedResult(path, p.budgetBytes, e);
  }
}

/** A tar member's verdict, read in place (its first bytes came with its header). Never rejects. */
async function checkMember(entry: MemberEntry, ctx: RemoteContext): Promise<Result> {
  const p = ctx.prepared;
  const m = entry.member;
  try {
    const reader = sliceReader(m.reader, entry.path, m.offset, m.size);
    const probe = await probeRemote(reader, ctx.limits, m.head);
    const result = probeResult(entry.path, p, probe);
    if (m.remote) result.requests = probe.requests;
    return ctx.remember(result, reader);
  } catch (e) {
    if (!m.remote && e instanceof ProbeFailure) delete e.requests;
    return failedResult(entry.path, p.budgetBytes, e);
  }
}

/** The verdict on one entry: local ones at once, remote ones and tar members as a promise. */
function startEntry(entry: InputEntry, ctx: RemoteContext): Result | null | Promise<Result> {
  if ('member' in entry) return checkMember(entry as MemberEntry, ctx);
  if (entry.failure || !isRemote(entry.path)) return entryResult(entry, ctx.prepared);
  return checkRemote(entry.path, ctx);
}

/**
 * Entries with each tar shard (`.tar`, local or remote, named or listed) replaced by its members
 * that `filter` picks, named `shard.tar!member`. A shard that cannot be read, or stops being a
 * valid archive, becomes an error entry after the members read before.
 */
export async function* expandShards(
  entries: Iterable<InputEntry> | AsyncIterable<InputEntry>,
  ctx: RemoteContext,
): AsyncGenerator<InputEntry> {
  const filter = ctx.options.walk ?? {};
  const ext = (filter.ext && filter.ext.length > 0 ? filter.ext : TAR_IMAGE_EXTENSIONS).map(
    (e) => `.${e.toLowerCase().replace(/^\./, '')}`,
  );
  for await (const e of entries) {
    // Shards named or listed are opened; a .tar met in a folder walk stays a file, as it always was.
    if (e.failure || 'member' in e || !(e.explicit || e.listed) || !isTarShard(e.path)) {
      yield e;
      continue;
    }
    const remote = isRemote(e.path);
    try {
      const reader = remote ? ctx.reader(e.path) : fileReader(e.fsPath ?? e.path, e.path);
      for await (const m of tarMembers(reader, FIRST_WINDOW)) {
        const name = m.name.replace(/^(\.\/)+/, '');
        const lower = name.toLowerCase();
        if (!ext.some((x) => lower.endsWith(x))) continue;
        if (!filter.hidden && name.split('/').some((part) => part.startsWith('.'))) continue;
        const path = `${e.path}!${name}`;
        const member = { reader, offset: m.offset, size: m.size, head: m.head, remote };
        const entry: MemberEntry = { path, explicit: false, rel: `${e.rel ?? e.path}!${name}`, member };
        yield entry;
      }
    } catch (f) {
      const failure = f instanceof ProbeFailure ? f : new ProbeFailure('E_INTERNAL', String(f));
      yield { path: e.path, explicit: e.explicit, failure };
    }
  }
}

interface Slot {
  done: boolean;
  result: Result | null;
  promise: Promise<void> | null;
}

/**
 * Checks local and remote entries, up to `window` remote objects in flight, yielding results in
 * input order. Memory holds at most `window` results waiting for those before them. Local
 * entries are checked at once, in this thread. `beforeWait` runs before each wait on the network
 * (to flush output, so lines appear while later objects are still on their way).
 */
export async function* checkMixed(
  entries: Iterable<InputEntry> | AsyncIterable<InputEntry>,
  ctx: RemoteContext,
  window: number,
  beforeWait?: () => void,
): AsyncGenerator<Result> {
  const queue: Slot[] = [];
  const next = async (): Promise<Result | null> => {
    const slot = queue.shift()!;
    if (!slot.done) {
      beforeWait?.();
      await slot.promise;
    }
    return slot.result;
  };
  try {
    for await (const entry of entries) {
      const r = startEntry(entry, ctx);
      if (r instanceof Promise) {
        const slot: Slot = { done: false, result: null, promise: null };
        slot.promise = r.then((result) => {
          slot.result = result;
          slot.done = true;
        });
        queue.push(slot);
      } else queue.push({ done: true, result: r, promise: null });
      while (queue.length > 0 && (queue[0]!.done || queue.length >= window)) {
        const result = await next();
        if (result) yield result;
      }
    }
    while (queue.length > 0) {
      const result = await next();
      if (result) yield result;
    }
  } finally {
    // Stopped early (a closed output): the reads still in flight end on their own; none is awaited.
    ctx.close();
  }
}
