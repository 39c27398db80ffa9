import { globWalks, hasMagic, matchAny } from '../inputs/glob.js';
import { compileIgnore, isIgnoredPath } from '../inputs/ignore.js';
import { shardOf } from '../inputs/shard.js';
import type { InputEntry } from '../inputs/walk.js';
import { ProbeFailure } from '../probe/failure.js';
import { isTarShard } from './reader.js';
import type { RemoteContext } from './run.js';
import { parseS3Url } from './s3.js';

/** An `s3://` input naming many objects: a bucket, a prefix ending in `/`, or a glob on keys. */
export function isS3Listing(path: string): boolean {
  const s3 = parseS3Url(path);
  return s3 !== null && (s3.key === '' || s3.key.endsWith('/') || hasMagic(s3.key));
}

/**
 * Entries with each S3 listing replaced by its objects, walked like a folder: key order, every
 * depth, `--ext`, `--hidden` and `--ignore` as for files (a `.tar` key is kept whatever `--ext`
 * says: its members are what `--ext` picks), globs matched on the keys below their literal
 * prefix. Then `--shard` keeps its share of everything, listed keys hashed by their path below
 * the prefix, as a folder walk's files are. A listing that fails or finds nothing is an error
 * entry naming it. Memory holds one page of keys.
 */
export async function* expandListings(
  entries: Iterable<InputEntry> | AsyncIterable<InputEntry>,
  ctx: RemoteContext,
): AsyncGenerator<InputEntry> {
  const walk = ctx.options.walk ?? {};
  const shard = ctx.options.shard;
  const ext = walk.ext && walk.ext.length > 0 ? walk.ext.map((e) => `.${e.toLowerCase().replace(/^\./, '')}`) : null;
  const ignore = compileIgnore(walk.ignore);
  const keep = (e: InputEntry) => !shard || shardOf(e.rel ?? e.path, shard.n) === shard.k;
  for await (const e of entries) {
    if (e.failure || !isS3Listing(e.path)) {
      if (keep(e)) yield e;
      continue;
    }
    const { bucket, key } = parseS3Url(e.path)!;
    const walks = hasMagic(key)
      ? globWalks(key).map((w) => ({ prefix: w.base === '' ? '' : `${w.base}/`, patterns: w.patterns }))
      : [{ prefix: key, patterns: null }];
    let found = false;
    try {
      for (const w of walks) {
        for await (const k of ctx.s3().list(bucket, w.prefix, e.path)) {
          const rel = k.slice(w.prefix.length);
          const segs = rel.split('/');
          if (w.patterns && !matchAny(w.patterns, segs, false)) continue;
          if (!walk.hidden && segs.some((s) => s.startsWith('.'))) continue;
          if (ext && !isTarShard(k) && !ext.some((x) => k.toLowerCase().endsWith(x))) continue;
          if (ignore && isIgnoredPath(ignore, rel)) continue;
          found = true;
          const listed: InputEntry = { path: `s3://${bucket}/${k}`, explicit: false, listed: true, rel };
          if (keep(listed)) yield listed;
        }
      }
    } catch (f) {
      found = true;
      yield {
        path: e.path,
        explicit: true,
        failure: f instanceof ProbeFailure ? f : new ProbeFailure('E_INTERNAL', String(f)),
      };
    }
    if (!found) {
      const why = walks[0]!.patterns ? 'no object matches this pattern' : 'no object under this prefix';
      yield { path: e.path, explicit: true, failure: new ProbeFailure('E_NOT_FOUND', why) };
    }
  }
}
