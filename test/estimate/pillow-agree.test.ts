/**
 * The pillow profile against the real Pillow: Debian's 9.4 (/usr/bin/python3) and a current
 * release (12.3, installed once into a venv under node_modules/.cache; skipped with a message when
 * pip cannot). For files Pillow writes itself and hand-made ones of every variant the readers know:
 * Image.open's mode, size and n_frames, and the bytes of `im.im` after load(), equal what
 * `--decoder pillow@<that release>` reports; the default `pillow` is never below any release.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSync } from '../../src/check.js';
import { currentPillow, type Pillow, pillowFixtures, pillowTruth, systemPillow } from '../helpers/pillow.js';
import { handMade } from '../helpers/pillow-handmade.js';

const dir = mkdtempSync(join(tmpdir(), 'imgguard-pillow-agree-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Where a reader outside these formats names another mode of the same size (the estimate is
 * exact, the name is not): a GIF with a grey palette opens as L, not P; TIFF modes Pillow keeps
 * that libvips widens. Listed so that any other disagreement fails.
 */
const MODE_NAME_ONLY = new Set(['1.gif', 'L.gif', '1.tif', 'F.tif', 'I.tif']);
/** Files a Pillow writes and cannot read back (a decoding bug, not a header's): left out for it. */
const UNREADABLE_OWN = new Map([['1-rle.tga', '9.4.0']]);

const system = systemPillow();
const files: string[] = [];

beforeAll(() => {
  for (const [name, bytes] of handMade()) {
    writeFileSync(join(dir, name), bytes);
    files.push(name);
  }
}, 300_000);

function agreement(pillow: Pillow): { exact: number; opened: number; failures: string[] } {
  const truth = pillowTruth(
    pillow,
    files.map((f) => join(dir, f)),
  );
  let exact = 0;
  let opened = 0;
  const failures: string[] = [];
  truth.forEach((t, i) => {
    const name = files[i]!;
    const ours = checkSync(t.path, { decoder: pillow.profile, frames: 'first' });
    const any = checkSync(t.path, { decoder: 'pillow' });
    if (t.error !== undefined && UNREADABLE_OWN.get(name) === pillow.version) return;
    if (t.error !== undefined) {
      // Pillow refuses it: so must the profile for that release (or find it corrupt).
      if (ours.status === 'ok' || ours.status === 'over_budget')
        failures.push(`${name}: Pillow ${pillow.version} refuses it (${t.error}) but it is ${ours.status}`);
      else exact++;
      return;
    }
    opened++;
    const mine = {
      size: [ours.width, ours.height],
      frames: ours.frames,
      bytes: ours.decodedBytes,
      mode: ours.pillowMode,
    };
    const real = { size: t.size, frames: t.frames, bytes: t.bytes ?? null, mode: t.mode };
    if (MODE_NAME_ONLY.has(name)) mine.mode = real.mode;
    if (JSON.stringify(mine) === JSON.stringify(real)) exact++;
    else
      failures.push(
        `${name}: Pillow ${pillow.version} ${JSON.stringify(real)}, ${pillow.profile} ${JSON.stringify(mine)}`,
      );
    if ((any.decodedBytes ?? -1) < t.bytes!)
      failures.push(
        `${name}: the default pillow profile (${any.decodedBytes}) is below Pillow ${pillow.version} (${t.bytes})`,
      );
  });
  return { exact, opened, failures };
}

describe('the pillow profile agrees with the real Pillow', () => {
  it.runIf(system !== null)(
    'Pillow 9.4 (Debian python3-pil): every file, exactly',
    () => {
      for (const name of pillowFixtures(system!, dir)) files.push(name);
      const { exact, opened, failures } = agreement(system!);
      console.log(`Pillow ${system!.version}: ${exact}/${files.length} exact (${opened} opened by Pillow)`);
      expect(failures).toEqual([]);
      expect(opened).toBeGreaterThan(80);
    },
    300_000,
  );

  it.runIf(system !== null)(
    'the current Pillow (12.3, in a venv): every file, exactly',
    (ctx) => {
      const { pillow, why } = currentPillow();
      if (pillow === null) {
        console.warn(`skipped: no current Pillow (${why})`);
        ctx.skip();
        return;
      }
      for (const name of pillowFixtures(pillow, dir)) if (!files.includes(name)) files.push(name);
      const { exact, opened, failures } = agreement(pillow);
      console.log(`Pillow ${pillow.version}: ${exact}/${files.length} exact (${opened} opened by Pillow)`);
      expect(failures).toEqual([]);
      expect(opened).toBeGreaterThan(80);
    },
    600_000,
  );
});
