import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareCheck } from '../check.js';
import { ProbeFailure } from '../probe/failure.js';
import type { Result } from '../result.js';
import type { RangeReader } from './reader.js';
import { checkRemote, RemoteContext, type RemoteOptions } from './run.js';

/** One ranged read of a download: memory holds one such piece at a time, never the object. */
const PIECE = 1024 * 1024;

/**
 * Copies `fileBytes` of a remote object into a new private temporary file, piece by piece, and
 * hands its path to `use`; the file is removed on every path out. Returns `use`'s value and the
 * requests made.
 */
export async function withLocalCopy<T>(
  reader: RangeReader,
  fileBytes: number,
  use: (path: string) => Promise<T>,
): Promise<{ value: T; requests: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'imgguard-remote-'));
  const path = join(dir, 'object');
  let requests = 0;
  try {
    const file = await open(path, 'wx', 0o600);
    try {
      for (let at = 0; at < fileBytes; ) {
        const c = await reader.read(at, Math.min(PIECE, fileBytes - at));
        requests += c.requests;
        if (c.bytes.length === 0) throw new ProbeFailure('E_NETWORK', `the object ended at byte ${at} of ${fileBytes}`);
        await file.write(c.bytes, 0, c.bytes.length, at);
        at += c.bytes.length;
      }
    } finally {
      await file.close();
    }
    return { value: await use(path), requests };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * For `inspect` and `convert` on a URL: the header is read by ranges and judged first; only an
 * object whose estimate fits the budget (or that `accept` takes) is fetched whole (into a temporary file) and handed to
 * `use`. Otherwise the check's result says why not.
 */
export async function onRemoteCopy<T>(
  path: string,
  budget: bigint,
  use: (local: string) => Promise<T>,
  accept: (checked: Result) => boolean = (r) => r.status === 'ok',
  options: RemoteOptions = {},
): Promise<{ value: T } | { refused: Result }> {
  const ctx = new RemoteContext(prepareCheck({ budget }), options);
  try {
    const checked = await checkRemote(path, ctx);
    if (!accept(checked) || checked.fileBytes === null) return { refused: checked };
    try {
      const { value } = await withLocalCopy(ctx.reader(path), checked.fileBytes, use);
      return { value };
    } catch (e) {
      if (!(e instanceof ProbeFailure)) throw e;
      return {
        refused: { ...checked, status: e.status, reason: e.message, error: { code: e.code, message: e.message } },
      };
    }
  } finally {
    ctx.close();
  }
}

/**
 * `check --verify` on a remote result: an `ok` object (its estimate fits) is fetched into a
 * temporary file and decoded there by `verify`; the result keeps the object's name, and counts
 * the requests the copy took.
 */
export async function verifyRemote(
  ctx: RemoteContext,
  r: Result,
  budget: bigint,
  verify: (r: Result, budget: bigint) => Promise<Result>,
): Promise<Result> {
  const reader = ctx.readerOf(r);
  if (!reader || r.status !== 'ok' || r.fileBytes === null) return verify(r, budget);
  try {
    const { value, requests } = await withLocalCopy(reader, r.fileBytes, (local) =>
      verify({ ...r, path: local }, budget),
    );
    return { ...value, path: r.path, requests: (r.requests ?? 0) + requests };
  } catch (e) {
    if (!(e instanceof ProbeFailure)) throw e;
    const reason = `not verified: ${e.message}`;
    return { ...r, status: 'error', reason, error: { code: e.code, message: reason }, verified: false };
  }
}
