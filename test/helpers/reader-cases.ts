/**
 * The standard cases for a header reader: its samples read as stated, every truncation of each
 * ends in a header or a ProbeFailure (never another error, never a read past the file), hostile
 * headers fail cleanly, and the sniff claims no text and no other format's first bytes.
 */
import { expect, it } from 'vitest';
import { detect, readHeader, SNIFF_BYTES } from '../../src/probe/detect.js';
import { ProbeFailure } from '../../src/probe/failure.js';
import type { Format, Header } from '../../src/probe/header.js';
import { src } from './bytes.js';
import { NOT_THESE } from './pillow-formats.js';

export interface ReaderSample {
  name: string;
  bytes: Uint8Array;
  /** What the header must say (a subset of it). */
  expect: Partial<Header>;
}

export function readerCases(
  format: Format,
  samples: () => ReaderSample[],
  hostile: () => [string, Uint8Array, string][],
): void {
  it('each sample is detected and reads as stated', () => {
    for (const s of samples()) {
      expect(detect(s.bytes.subarray(0, SNIFF_BYTES))?.format, s.name).toBe(format);
      expect(readHeader(src(s.bytes)), s.name).toMatchObject({ format, ...s.expect });
    }
  });

  it('every truncation ends in a header or a ProbeFailure, reading nothing past the end', () => {
    for (const s of samples()) {
      for (let cut = 0; cut < Math.min(s.bytes.length, 1500); cut++) {
        const source = src(s.bytes.subarray(0, cut));
        try {
          const h = readHeader(source);
          expect(h.width > 0 && h.height > 0, `${s.name} cut at ${cut}`).toBe(true);
        } catch (e) {
          expect(e, `${s.name} cut at ${cut}`).toBeInstanceOf(ProbeFailure);
        }
        expect(source.bytesRead).toBeLessThanOrEqual(cut);
      }
    }
  });

  it('hostile headers fail with the code named', () => {
    for (const [what, bytes, code] of hostile()) {
      let got: string;
      try {
        const h = readHeader(src(bytes));
        got = `a header ${h.width}x${h.height}`;
      } catch (e) {
        if (!(e instanceof ProbeFailure)) throw e;
        got = e.code;
      }
      expect(got, what).toBe(code);
    }
  });

  it('text and other formats are not taken for it', () => {
    for (const [what, head] of NOT_THESE) expect(detect(head)?.format, what).not.toBe(format);
  });
}
