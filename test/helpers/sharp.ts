/** Images generated with sharp for tests, and sharp's own view of them (the truth rule). */
import sharp from 'sharp';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BYTES_OF_DEPTH: Record<string, number> = {
  uchar: 1,
  char: 1,
  ushort: 2,
  short: 2,
  uint: 4,
  int: 4,
  float: 4,
  complex: 8,
  double: 8,
  dpcomplex: 16,
};

export interface SharpTruth {
  width: number;
  height: number;
  channels: number;
  bitsPerSample: number;
  pages: number;
  /** max(loaded bytes, raw output bytes) for the first frame/page. */
  decodedBytes: number;
  orientation: number | undefined;
}

/** sharp's metadata and raw decode of `input`, reduced to what imgguard reports. */
export async function sharpTruth(input: string | Buffer): Promise<SharpTruth> {
  const m = await sharp(input).metadata();
  const bytes = BYTES_OF_DEPTH[m.depth as string]!;
  const height = m.pageHeight ?? m.height!;
  const loaded = m.width! * height * m.channels! * bytes;
  const { info } = await sharp(input)
    .raw({ depth: m.depth as never })
    .toBuffer({ resolveWithObject: true });
  return {
    width: m.width!,
    height,
    channels: m.channels!,
    bitsPerSample: bytes * 8,
    pages: m.pages ?? 1,
    decodedBytes: Math.max(loaded, info.size),
    orientation: m.orientation,
  };
}

export function tempDir(prefix = 'imgguard-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export { sharp };

/** sharp's metadata of hand-made bytes (no pixel limit), or null when it refuses them. */
export async function sharpMeta(
  bytes: Uint8Array,
): Promise<{ width: number; height: number; channels: number; pages: number } | null> {
  try {
    const m = await sharp(Buffer.from(bytes), { limitInputPixels: false }).metadata();
    return { width: m.width!, height: m.height!, channels: m.channels!, pages: m.pages ?? 1 };
  } catch {
    return null;
  }
}
