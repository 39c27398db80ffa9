import { UserError } from '../user-error.js';
import { closeSync, linkSync, openSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  closeDecoder,
  DecodeRefusal,
  decodeFailure,
  openDecoder,
  planDecode,
  type DecodePlan,
  type DecodeRequest,
} from './guard.js';
import { displayName } from '../inputs/names.js';

/** Output formats by file extension. `raw` is sharp's raw pixels (sRGB bands, interleaved). */
export const OUTPUT_FORMATS: Record<string, string> = {
  jpg: 'jpeg',
  jpeg: 'jpeg',
  png: 'png',
  webp: 'webp',
  avif: 'avif',
  tif: 'tiff',
  tiff: 'tiff',
  gif: 'gif',
  heif: 'heif',
  heic: 'heif',
  raw: 'raw',
};

/** Node cannot hand back a Buffer above this (buffer.constants.MAX_LENGTH is 4 GiB). */
export const MAX_BUFFER_BYTES = 2n ** 32n;

export interface ConvertRequest extends DecodeRequest {
  /** Output format (see OUTPUT_FORMATS); required when `output` is '-'. */
  format: string;
  /** Replace an existing output file. */
  force?: boolean;
  /**
   * Raw pixels to stdout: first one JSON line saying how to shape them (RawHeader), so a client
   * can allocate one buffer and read the pixels straight into it.
   */
  rawHeader?: boolean;
}

/** The line `--raw-header` writes before the pixels: rows of `width` pixels of `channels` samples. */
export interface RawHeader {
  width: number;
  height: number;
  channels: number;
  /** Bytes per sample: 1 (8-bit) or 2 (16-bit, native byte order); 4 for float images. */
  bytesPerSample: number;
  /** Bytes that follow the line: width × height × channels × bytesPerSample. */
  bytes: number;
}

export interface Converted {
  plan: DecodePlan;
  width: number;
  height: number;
  bytes: number;
}

/** The temp file being written, removed on SIGINT/SIGTERM/SIGHUP or any failure. */
let pending: string | null = null;
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
function onSignal(signal: NodeJS.Signals): void {
  if (pending) {
    try {
      unlinkSync(pending);
    } catch {
      /* already gone */
    }
  }
  process.stderr.write(`imgguard: interrupted (${signal}); no output written\n`);
  // Die by the signal at once (exit status 128+n): process.exit() would wait for libvips'
  // threads, which may finish the encode and write the temp file again.
  for (const s of SIGNALS) process.off(s, onSignal);
  process.kill(process.pid, signal);
}

function sameFile(a: string | Buffer, b: string | Buffer): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

function exists(path: string | Buffer): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Decodes `input` through the guarded path and writes `output` atomically: a temporary file in
 * the same folder, renamed (or hard-linked, without --force, so an output that appears
 * meanwhile is never replaced) only once complete. '-' writes to stdout.
 */
export async function convertFile(
  input: string | Buffer,
  output: string | Buffer,
  req: ConvertRequest,
): Promise<Converted> {
  if (!Object.values(OUTPUT_FORMATS).includes(req.format))
    throw new UserError(`unknown output format ${JSON.stringify(req.format)}`);
  const toStdout = output === '-';
  const shown = (p: string | Buffer) => JSON.stringify(typeof p === 'string' ? p : displayName(p));
  const shownOutput = shown(output);
  if (!toStdout) {
    if (sameFile(input, output))
      throw new UserError(`refusing to overwrite the input ${shown(input)}: choose another output`);
    if (!req.force && exists(output)) throw new UserError(`${shownOutput} exists: add --force to replace it`);
  }
  const plan = planDecode(input, req);
  const bands = plan.header.outputChannels ?? plan.header.channels;
  const rawBytes =
    BigInt(plan.outWidth) * BigInt(plan.outHeight) * BigInt(bands) * BigInt(Math.ceil(plan.header.bitsPerSample / 8));
  const viaBuffer = toStdout || req.format === 'raw';
  if (viaBuffer && rawBytes > MAX_BUFFER_BYTES) {
    throw new DecodeRefusal(
      'over_budget',
      'E_OUTPUT_TOO_LARGE',
      `the output would be ${rawBytes} bytes of pixels, above the 4 GiB Node can hold in one buffer; write a file ` +
        `instead or reduce with --max-side`,
      plan.header.format,
    );
  }

  let tmp: string | null = null;
  // sharp writes to a string path: for an output named by bytes, its folder is held open and
  // the temporary file named through /proc/self/fd/N (Linux).
  let dirFd: number | null = null;
  if (!toStdout) {
    const unique = `${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      if (typeof output === 'string') tmp = join(dirname(output), `.imgguard-${basename(output)}.${unique}`);
      else {
        const slash = output.lastIndexOf(0x2f);
        dirFd = openSync(slash < 0 ? '.' : slash === 0 ? '/' : output.subarray(0, slash), 'r');
        tmp = `/proc/self/fd/${dirFd}/.imgguard-output.${unique}`;
      }
      closeSync(openSync(tmp, 'wx', 0o644));
    } catch (e) {
      if (dirFd !== null) closeSync(dirFd);
      throw new DecodeRefusal(
        'error',
        'E_OUTPUT',
        `cannot write in the folder of ${shownOutput}: ${(e as Error).message}`,
      );
    }
    pending = tmp;
    for (const s of SIGNALS) process.on(s, onSignal);
  }
  try {
    let img = await openDecoder(plan);
    let info: { width: number; height: number; size: number };
    if (viaBuffer) {
      img = req.format === 'raw' ? img.raw() : img.toFormat(req.format as 'png');
      const { data, info: i } = await img.toBuffer({ resolveWithObject: true }).catch((e: unknown) => {
        throw decodeFailure(e, plan.header.format);
      });
      info = i;
      if (toStdout && req.rawHeader && req.format === 'raw') {
        const header: RawHeader = {
          width: i.width,
          height: i.height,
          channels: i.channels,
          bytesPerSample: data.length / (i.width * i.height * i.channels),
          bytes: data.length,
        };
        await writeStdout(Buffer.from(`${JSON.stringify(header)}\n`));
      }
      if (toStdout) await writeStdout(data);
      else writeFileSync(tmp!, data);
    } else {
      info = await img
        .toFormat(req.format as 'png')
        .toFile(tmp!)
        .catch((e: unknown) => {
          if (/no space left|disk quota|read-only file system|input\/output error/i.test((e as Error).message))
            throw new DecodeRefusal(
              'error',
              'E_OUTPUT',
              `cannot write ${JSON.stringify(output)}: ${(e as Error).message}`,
            );
          throw decodeFailure(e, plan.header.format);
        });
    }
    if (tmp) commit(tmp, output, shownOutput, req.force === true);
    return { plan, width: info.width, height: info.height, bytes: info.size };
  } finally {
    closeDecoder(plan);
    if (tmp) {
      try {
        unlinkSync(tmp);
      } catch {
        /* renamed or already gone */
      }
      pending = null;
      for (const s of SIGNALS) process.off(s, onSignal);
    }
    if (dirFd !== null) closeSync(dirFd);
  }
}

/** Moves the finished temp file into place; without `force`, never replaces a file. */
function commit(tmp: string, output: string | Buffer, shownOutput: string, force: boolean): void {
  try {
    if (force) {
      renameSync(tmp, output);
      return;
    }
    try {
      linkSync(tmp, output);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new UserError(`${shownOutput} appeared while converting: add --force to replace it`);
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV' && code !== 'EMLINK')
        throw e;
      // A file system without hard links: check, then rename.
      if (exists(output)) throw new UserError(`${shownOutput} appeared while converting: add --force to replace it`);
      renameSync(tmp, output);
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new DecodeRefusal('error', 'E_OUTPUT', `cannot write ${shownOutput}: ${(e as Error).message}`);
  }
}

function writeStdout(data: Buffer): Promise<void> {
  // Synchronous writes to fd 1: an error (a full disk, a closed pipe) arrives here as an
  // exception, never as an unhandled 'error' event on process.stdout.
  let at = 0;
  while (at < data.length) {
    try {
      at += writeSync(1, data, at, data.length - at);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
        continue;
      }
      if (code === 'EPIPE') break; // the reader went away: nothing more to say
      return Promise.reject(new DecodeRefusal('error', 'E_OUTPUT', `cannot write to stdout: ${(e as Error).message}`));
    }
  }
  return Promise.resolve();
}
