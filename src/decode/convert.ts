import { UserError } from '../user-error.js';
import {
  chmodSync,
  closeSync,
  constants,
  linkSync,
  mkdtempSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { closeDecoder, DecodeRefusal, decodeWithin, planDecode, type DecodePlan, type DecodeRequest } from './guard.js';
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

/** The private temp folder being written, removed on SIGINT/SIGTERM/SIGHUP or any failure. */
let pending: string | null = null;
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
function removeTemp(folder: string): void {
  try {
    rmSync(folder, { recursive: true, force: true });
  } catch {
    /* already gone */
  }
}
function onSignal(signal: NodeJS.Signals): void {
  if (pending) removeTemp(pending);
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
 * a private folder in the same folder, renamed (or hard-linked, without --force, so an output that appears
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

  // The temp file lives in a folder only this process can enter (mkdtemp: mode 0700), made in
  // OUT's real folder as the kernel resolves it (`lnk/../x.png` is beside lnk's target, not
  // beside lnk), under a short fixed-length name: the encoder reopens it by name, and nobody else
  // can put a link there. sharp writes to a string path: for an output named by bytes, its folder
  // is held open and reached through /proc/self/fd/N (Linux).
  let folder: string | null = null;
  let tmp: string | null = null;
  let dirFd: number | null = null;
  if (!toStdout) {
    try {
      let real: string;
      if (typeof output === 'string') real = realpathSync.native(dirname(output));
      else {
        const slash = output.lastIndexOf(0x2f);
        dirFd = openSync(slash < 0 ? '.' : slash === 0 ? '/' : output.subarray(0, slash), constants.O_RDONLY);
        real = `/proc/self/fd/${dirFd}`;
      }
      folder = mkdtempSync(join(real, '.imgguard-'));
    } catch (e) {
      if (dirFd !== null) closeSync(dirFd);
      throw new DecodeRefusal(
        'error',
        'E_OUTPUT',
        `cannot write in the folder of ${shownOutput}: ${(e as Error).message}`,
      );
    }
    tmp = join(folder, 'out');
    pending = folder;
    for (const s of SIGNALS) process.on(s, onSignal);
  }
  try {
    const info = await decodeWithin(plan, async (img) => {
      if (viaBuffer) {
        const piped = req.format === 'raw' ? img.raw() : img.toFormat(req.format as 'png');
        const { data, info } = await piped.toBuffer({ resolveWithObject: true });
        if (toStdout && req.rawHeader && req.format === 'raw') {
          const header: RawHeader = {
            width: info.width,
            height: info.height,
            channels: info.channels,
            bytesPerSample: data.length / (info.width * info.height * info.channels),
            bytes: data.length,
          };
          await writeStdout(Buffer.from(`${JSON.stringify(header)}\n`));
        }
        if (toStdout) await writeStdout(data);
        else writeFileSync(tmp!, data, { flag: 'wx' });
        return info;
      }
      return img
        .toFormat(req.format as 'png')
        .toFile(tmp!)
        .catch((e: unknown) => {
          if (/no space left|disk quota|read-only file system|input\/output error/i.test((e as Error).message))
            throw new DecodeRefusal('error', 'E_OUTPUT', `cannot write ${shownOutput}: ${(e as Error).message}`);
          throw e;
        });
    });
    if (tmp) commit(tmp, output, shownOutput, req.force === true);
    return { plan, width: info.width, height: info.height, bytes: info.size };
  } finally {
    closeDecoder(plan);
    if (folder) {
      removeTemp(folder);
      pending = null;
      for (const s of SIGNALS) process.off(s, onSignal);
    }
    if (dirFd !== null) closeSync(dirFd);
  }
}

/**
 * Moves the finished temp file into place; without `force`, never replaces a file. A replaced
 * file's permission bits carry over, as `cp` keeps them.
 */
function commit(tmp: string, output: string | Buffer, shownOutput: string, force: boolean): void {
  try {
    if (force) {
      let mode: number | null = null;
      try {
        mode = statSync(output).mode & 0o777;
      } catch {
        /* a new file */
      }
      if (mode !== null) chmodSync(tmp, mode);
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
