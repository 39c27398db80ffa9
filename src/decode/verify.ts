import { closeSync, openSync, readSync } from 'node:fs';
import { STDIN, STDIN_DEVICE } from '../probe/stdin.js';
import type { Result } from '../result.js';
import { proveWhole } from '../whole/index.js';
import { DecodeRefusal, type DecodePlan, decodeFailure, planDecode, verifyDecode } from './guard.js';

/**
 * Decodes `check --verify` keeps in flight: enough to keep libvips' threads and a second core busy
 * while the main thread reads the next headers (libuv runs 4 such jobs at once by default).
 */
export const VERIFY_IN_FLIGHT = 4;

/**
 * JPEGs from this many pixels up are verified at 1/8 scale: libjpeg still reads and
 * entropy-decodes every coefficient of every scan (a cut or broken scan fails just the same), but
 * skips most of the inverse DCT, colour conversion and pixel memory. Below it the resize stage
 * costs more than it saves (measured on 650×162 and 1200×900 JPEGs).
 */
const SHRINK_MIN_PIXELS = 1 << 19;
/** sharp loads a JPEG at 1/8 when asked for an output at least 9 times smaller (fit.ts). */
const JPEG_EIGHTH_TRIGGER = 9;

/**
 * Files up to this size are read into memory and decoded from there: libvips then skips its own
 * file opens and reads, a third of the time of a small decode (measured on 10 KB JPEGs). Their
 * bytes count against the budget with the decode's peak.
 */
const IN_MEMORY_MAX_BYTES = 1 << 20;

/**
 * Files up to this size are first offered to the wholeness checks (src/whole/): an entropy decode
 * of every byte of their compressed data, in this thread, at a small part of the cost of setting
 * up a libvips decode. One proven whole is verified; any other goes to sharp as a larger one does.
 */
const PROVE_MAX_BYTES = 256 * 1024;

/** The file's first `size` bytes (its size when checked), or null when it cannot be read so. */
function readWhole(path: string | Buffer, size: number): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const bytes = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, bytes, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    return bytes.subarray(0, got);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * What to open for a result: the raw bytes of a name that is not UTF-8, else its path; `-` is
 * standard input (a file redirected to it; a pipe was not re-readable and is not verified).
 */
const openedPath = (r: Result): string | Buffer =>
  r.pathBytes !== undefined ? Buffer.from(r.pathBytes, 'base64') : r.path === STDIN ? STDIN_DEVICE : r.path;

/** The decode that proves the pixel data whole at the least cost, or the refusal that stops it. */
function planVerify(r: Result, budget: bigint, timeoutSeconds: number | undefined): DecodePlan {
  const shrink =
    r.format === 'jpeg' &&
    r.width !== null &&
    r.height !== null &&
    r.width * r.height >= SHRINK_MIN_PIXELS &&
    Math.min(r.width, r.height) >= JPEG_EIGHTH_TRIGGER;
  return planDecode(openedPath(r), {
    budget,
    autoOrient: false,
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    ...(shrink
      ? {
          width: Math.floor(r.width! / JPEG_EIGHTH_TRIGGER),
          height: Math.floor(r.height! / JPEG_EIGHTH_TRIGGER),
        }
      : {}),
  });
}

/** A verify that has been planned: its memory at peak and the decode (started on demand). */
interface Planned {
  bytes: bigint;
  run: () => Promise<Result>;
}

function refused(r: Result, e: unknown): Result {
  const f = e instanceof DecodeRefusal ? e : decodeFailure(e, r.format);
  if (f.status === 'over_budget')
    return { ...r, status: 'over_budget', reason: `not verified: ${f.message}`, verified: false };
  return { ...r, status: f.status, reason: f.message, error: { code: f.code, message: f.message }, verified: false };
}

/** Plans the verify of one result (sync, no sharp); nothing to decode for verdicts other than ok. */
function planResult(r: Result, budget: bigint, timeoutSeconds: number | undefined): Planned {
  if (r.status !== 'ok') return { bytes: 0n, run: async () => r };
  if (r.fileBytes === null) {
    const notes = [
      ...(r.notes ?? []),
      'not verified: a pipe or device cannot be read twice (for standard input: inspect - or convert -)',
    ];
    return { bytes: 0n, run: async () => ({ ...r, verified: false, notes }) };
  }
  let plan: DecodePlan;
  try {
    plan = planVerify(r, budget, timeoutSeconds);
  } catch (e) {
    return { bytes: 0n, run: async () => refused(r, e) };
  }
  const size = r.fileBytes;
  // An SVG's plan holds its bytes already (decoded with no base location: see svg-guard.ts).
  const inMemory = r.format !== 'svg' && size <= IN_MEMORY_MAX_BYTES && plan.peak.peakBytes + BigInt(size) <= budget;
  const bytes = inMemory ? readWhole(openedPath(r), size) : null;
  if (bytes !== null && bytes.length === size && size <= PROVE_MAX_BYTES && proveWhole(r.format!, bytes).whole)
    return { bytes: 0n, run: async () => ({ ...r, verified: true }) };
  const decode = (tries: number): Promise<Result> =>
    verifyDecode(plan, bytes ?? undefined).then(
      (): Result => ({ ...r, verified: true }),
      (e: unknown) =>
        tries > 1 && e instanceof DecodeRefusal && UNKNOWN.test(e.message) ? decode(tries - 1) : refused(r, e),
    );
  return { bytes: plan.peak.peakBytes + BigInt(bytes?.length ?? 0), run: () => decode(REASON_TRIES) };
}

/**
 * libvips keeps one error buffer for the process and each decode clears it when it ends, so a
 * decode failing while another finishes can lose its reason ("Unknown error"). The file is then
 * decoded again for the reason; a decode does not fail one time and pass the next.
 */
const UNKNOWN = /Unknown error/;
const REASON_TRIES = 3;

/**
 * `check --verify` for one result: after the header verdict, decode an `ok` image through the
 * guarded path and turn a pixel-data failure into `corrupt` with sharp's reason. Other verdicts
 * pass through untouched.
 */
export async function verifyResult(r: Result, budget: bigint, timeoutSeconds?: number): Promise<Result> {
  return planResult(r, budget, timeoutSeconds).run();
}

/**
 * `verifyResult` over a stream of results, several decodes at once, results in input order.
 * A decode starts only while the peaks of all decodes in flight, its own included, fit the budget
 * (one alone always may: its peak already passed the budget), so memory stays bounded by the
 * budget, not by the number of files or decodes.
 */
export async function* verifyResults(
  results: Iterable<Result>,
  budget: bigint,
  inFlight: number = VERIFY_IN_FLIGHT,
  timeoutSeconds?: number,
): AsyncGenerator<Result> {
  const queue: { done: Promise<Result>; bytes: bigint }[] = [];
  let held = 0n;
  for (const r of results) {
    const next = planResult(r, budget, timeoutSeconds);
    while (queue.length > 0 && (queue.length >= inFlight || held + next.bytes > budget)) {
      const head = queue.shift()!;
      const result = await head.done;
      held -= head.bytes;
      yield result;
    }
    held += next.bytes;
    queue.push({ done: next.run(), bytes: next.bytes });
  }
  while (queue.length > 0) {
    const head = queue.shift()!;
    yield await head.done;
  }
}
