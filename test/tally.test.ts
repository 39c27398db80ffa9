import { describe, expect, it } from 'vitest';
import type { Result } from '../src/result.js';
import { Tally } from '../src/tally.js';

const result = (status: Result['status']): Result => ({
  path: 'x',
  status,
  format: null,
  width: null,
  height: null,
  channels: null,
  bitsPerSample: null,
  frames: null,
  orientation: null,
  decodedBytes: null,
  decodedBytesAllFrames: null,
  budgetBytes: 1,
  headerBytes: 0,
  fileBytes: null,
  reason: null,
  error: null,
});

describe('Tally', () => {
  it('--fail-on picks the verdicts that make the exit code non-zero', () => {
    const t = (failOn?: Result['status'][]) => {
      const tally = new Tally(failOn ? new Set(failOn) : undefined);
      for (const s of ['ok', 'over_budget', 'unsupported'] as const) tally.add(result(s));
      return tally.exitCode();
    };
    expect(t()).toBe(2);
    expect(t(['over_budget'])).toBe(1);
    expect(t(['corrupt', 'error'])).toBe(0);
    expect(t(['unsupported'])).toBe(2);
  });
});
