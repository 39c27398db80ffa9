/**
 * Shared checks for the readers of formats only Pillow opens: agreement with Pillow's
 * `Image.open` on each sample, a clean failure at every truncation, and sniffs that stay quiet on
 * text and on other formats' first bytes.
 */
import { describe, expect, it } from 'vitest';
import { detect, SNIFF_BYTES } from '../../src/probe/detect.js';
import { ProbeFailure } from '../../src/probe/failure.js';
import type { Header } from '../../src/probe/header.js';
import { src, text } from './bytes.js';
import {
  hasPillow,
  PILLOW_9,
  PILLOW_11,
  PILLOW_CURRENT,
  type PillowOpen,
  pillowMake,
  pillowOpen,
} from './pillow-open.js';

export interface PillowSample {
  name: string;
  bytes: Uint8Array;
  /** What current Pillow (12.3) reports, measured once by hand; checked live too when one is configured. */
  current: PillowOpen;
}

/** The first bytes of other formats and of text files, which no Pillow-only sniff may claim. */
export const NOT_THESE: [string, Uint8Array][] = [
  ['plain text', new Uint8Array(text('Hello, this is a plain text file.\nSecond line of text here, long enough.\n'))],
  ['C source', new Uint8Array(text('#define BUFFER_SIZE 4096\n#define WIDTH 3\nint main(void) { return 0; }\n'))],
  ['JSON', new Uint8Array(text('{"width": 100, "height": 200, "frames": [1, 2, 3], "mode": "RGB", "x": 1}\n'))],
  ['zeros', new Uint8Array(64)],
  ['ones', new Uint8Array(64).fill(0xff)],
  [
    'PNG',
    new Uint8Array([
      0x89,
      0x50,
      0x4e,
      0x47,
      0x0d,
      0x0a,
      0x1a,
      0x0a,
      0,
      0,
      0,
      13,
      ...text('IHDR'),
      ...new Array(48).fill(1),
    ]),
  ],
  ['JPEG', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, ...text('JFIF'), 0, 1, 1, ...new Array(50).fill(0)])],
  ['gzip', new Uint8Array([0x1f, 0x8b, 8, 0, ...new Array(60).fill(0)])],
  ['ZIP', new Uint8Array([...text('PK'), 3, 4, 20, 0, ...new Array(58).fill(0)])],
  ['ELF', new Uint8Array([0x7f, ...text('ELF'), 2, 1, 1, ...new Array(57).fill(0)])],
  ['MP4', new Uint8Array([0, 0, 0, 0x18, ...text('ftypmp42'), ...new Array(52).fill(0)])],
];

/** The mode a Pillow release (major x 100 + minor) opens the file in, by the header's history. */
export function modeAt(h: Header, release: number): string | undefined {
  let mode = h.pillowModeSince?.[0]?.[1] ?? h.pillowMode;
  for (const [since, m] of h.pillowModeSince ?? []) if (since <= release) mode = m;
  return mode;
}

function pillowView(h: Header): { mode: string | undefined; width: number; height: number; frames: number } {
  return { mode: h.pillowMode, width: h.width, height: h.height, frames: h.frames };
}

/** The standard checks for one reader over its samples (valid files) and its hostile cases. */
export function describePillowFormat(
  name: string,
  opts: {
    /** The format name the reader reports, which detection must pick for each sample. */
    format: string;
    sniff: (head: Uint8Array) => boolean;
    read: (s: ReturnType<typeof src>) => Header;
    samples: () => PillowSample[];
    /** Python that writes files with Pillow into the working directory, and their names. */
    written?: { code: string; names: string[] };
  },
): void {
  describe(`${name}: agrees with Pillow`, () => {
    it('each sample reads as Pillow 12.3 reports it (measured) and is detected by its sniff', () => {
      for (const s of opts.samples()) {
        expect(opts.sniff(s.bytes.subarray(0, SNIFF_BYTES)), s.name).toBe(true);
        expect(detect(s.bytes.subarray(0, SNIFF_BYTES))?.format, s.name).toBe(opts.format);
        const h = opts.read(src(s.bytes));
        expect(h.format, s.name).toBe(opts.format);
        expect(pillowView(h), s.name).toEqual(s.current);
      }
    });

    it.runIf(hasPillow(PILLOW_9))('each sample reads as Pillow 9.4 opens it', () => {
      const samples = opts.samples();
      const truth = pillowOpen(
        PILLOW_9,
        samples.map((s) => s.bytes),
      );
      samples.forEach((s, i) => {
        const h = opts.read(src(s.bytes));
        const view = { ...pillowView(h), mode: modeAt(h, 904) };
        expect(view, `${s.name}: ${JSON.stringify(truth[i])}`).toEqual(truth[i]);
      });
    });

    it.runIf(opts.written !== undefined && hasPillow(PILLOW_9))('files Pillow 9.4 writes read as it opens them', () => {
      const files = pillowMake(PILLOW_9, opts.written!.code, opts.written!.names);
      const truth = pillowOpen(PILLOW_9, [...files.values()]);
      [...files].forEach(([n, bytes], i) => {
        const h = opts.read(src(bytes));
        expect({ ...pillowView(h), mode: modeAt(h, 904) }, n).toEqual(truth[i]);
      });
    });

    it.runIf(hasPillow(PILLOW_CURRENT))('each sample reads as the configured current Pillow opens it', () => {
      const samples = opts.samples();
      const truth = pillowOpen(
        PILLOW_CURRENT,
        samples.map((s) => s.bytes),
      );
      samples.forEach((s, i) => {
        expect(pillowView(opts.read(src(s.bytes))), s.name).toEqual(truth[i]);
      });
    });
  });

  describe(`${name}: bad input`, () => {
    it('every truncation ends in a header or a ProbeFailure, never another error', () => {
      for (const s of opts.samples()) {
        for (let cut = 0; cut < Math.min(s.bytes.length, 1200); cut++) {
          try {
            opts.read(src(s.bytes.subarray(0, cut)));
          } catch (e) {
            expect(e, `${s.name} cut at ${cut}`).toBeInstanceOf(ProbeFailure);
          }
        }
      }
    });

    it('the sniff claims no text file and no other format', () => {
      for (const [what, head] of NOT_THESE) expect(opts.sniff(head), what).toBe(false);
    });
  });
}

/** A file whose mode differs between Pillow releases: each measured release's mode, or null where it refuses. */
export interface ReleaseCase {
  name: string;
  bytes: Uint8Array;
  /** Pillow 9.4, 11.3 and 12.3, in that order (measured by hand; checked live where configured). */
  modes: [string | null, string | null, string | null];
}

/**
 * The header's mode history gives each measured release's mode, and the release where it opens
 * the file; checked against Debian's Pillow 9.4 always, 11.x and current when configured.
 */
export function describeReleases(
  name: string,
  read: (s: ReturnType<typeof src>) => Header,
  cases: ReleaseCase[],
): void {
  const releases: [number, string][] = [
    [904, PILLOW_9],
    [1103, PILLOW_11],
    [1203, PILLOW_CURRENT],
  ];
  describe(`${name}: where Pillow releases differ`, () => {
    for (const c of cases) {
      it(`${c.name}: ${c.modes.join(' / ')} in 9.4 / 11.3 / 12.3`, () => {
        const h = read(src(c.bytes));
        releases.forEach(([release], i) => {
          const opens = h.pillowSince === undefined || h.pillowSince <= release;
          expect(opens ? modeAt(h, release) : null, `${release}`).toBe(c.modes[i]);
        });
      });
    }
    releases.forEach(([release, python], i) => {
      it.runIf(hasPillow(python))(`agrees with the installed Pillow ${release}`, () => {
        const truth = pillowOpen(
          python,
          cases.map((c) => c.bytes),
        );
        cases.forEach((c, j) => {
          const t = truth[j]!;
          expect(typeof t === 'string' ? null : t.mode, `${c.name}: ${JSON.stringify(t)}`).toBe(c.modes[i]);
        });
      });
    });
  });
}
