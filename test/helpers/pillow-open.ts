/**
 * Pillow's own view of image bytes, for the readers of formats only Pillow opens: what
 * `Image.open` reports (mode, size, n_frames), or the error it raises. Runs Debian's Pillow
 * (`/usr/bin/python3`, python3-pil, installed by .ci/run) once for a batch of files, and a current
 * Pillow too when `IMGGUARD_PILLOW_CURRENT` names its python.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PillowOpen {
  mode: string;
  width: number;
  height: number;
  frames: number;
}

const SCRIPT = `
import json, sys, warnings
from PIL import Image
warnings.simplefilter("ignore")
Image.MAX_IMAGE_PIXELS = None
out = []
for path in sys.argv[1:]:
    try:
        with Image.open(path) as im:
            out.append([im.mode, im.size[0], im.size[1], getattr(im, "n_frames", 1), im.format])
    except Exception as e:
        out.append(type(e).__name__ + ": " + str(e))
print(json.dumps(out))
`;

export const PILLOW_9 = '/usr/bin/python3';
export const PILLOW_CURRENT = process.env.IMGGUARD_PILLOW_CURRENT ?? '';
/** A Pillow 11.x python, when `IMGGUARD_PILLOW_11` names one (11.3 was measured). */
export const PILLOW_11 = process.env.IMGGUARD_PILLOW_11 ?? '';

/** Whether `python` imports PIL. */
export function hasPillow(python: string): boolean {
  if (!python || !existsSync(python)) return false;
  return spawnSync(python, ['-c', 'import PIL'], { stdio: 'ignore' }).status === 0;
}

/** Pillow's `Image.open` result for each file, or the error text it raised. */
export function pillowOpen(python: string, files: Uint8Array[]): (PillowOpen | string)[] {
  const dir = mkdtempSync(join(tmpdir(), 'imgguard-pillow-'));
  try {
    const paths = files.map((bytes, i) => {
      const path = join(dir, `f${i}`);
      writeFileSync(path, bytes);
      return path;
    });
    const run = spawnSync(python, ['-c', SCRIPT, ...paths], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (run.status !== 0) throw new Error(`pillow helper failed: ${run.stderr}`);
    const rows = JSON.parse(run.stdout) as ([string, number, number, number] | string)[];
    return rows.map((r) => (typeof r === 'string' ? r : { mode: r[0], width: r[1], height: r[2], frames: r[3] }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a Python snippet with Pillow that writes image files into the directory argv[1]; returns them by name. */
export function pillowMake(python: string, code: string, names: string[]): Map<string, Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'imgguard-pillow-'));
  try {
    const run = spawnSync(
      python,
      ['-c', `import sys, os\nfrom PIL import Image\nos.chdir(sys.argv[1])\n${code}`, dir],
      {
        encoding: 'utf8',
      },
    );
    if (run.status !== 0) throw new Error(`pillow writer failed: ${run.stderr}`);
    const out = new Map<string, Uint8Array>();
    for (const n of names) out.set(n, new Uint8Array(readFileSync(join(dir, n))));
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
