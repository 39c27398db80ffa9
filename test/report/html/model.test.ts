import { describe, expect, it } from 'vitest';
import {
  binOf,
  frameBucket,
  MAX_LARGEST_OK,
  MAX_PROBLEM_ROWS,
  MAX_SCATTER,
  ReportModel,
} from '../../../src/report/html/model.js';
import type { Result, Status } from '../../../src/result.js';

function result(path: string, status: Status, decodedBytes: number | null, w = 10, h = 10): Result {
  return {
    path,
    status,
    format: 'png',
    width: w,
    height: h,
    channels: 3,
    bitsPerSample: 8,
    frames: 1,
    orientation: null,
    decodedBytes,
    decodedBytesAllFrames: decodedBytes,
    budgetBytes: 1000,
    headerBytes: 33,
    fileBytes: 100,
    reason: status === 'ok' ? null : `${status} because`,
    error: status === 'ok' || status === 'over_budget' ? null : { code: 'E_X', message: 'x' },
  };
}

describe('ReportModel', () => {
  it('counts verdicts, formats, frames and memory', () => {
    const m = new ReportModel();
    m.add(result('a', 'ok', 300));
    m.add(result('b', 'over_budget', 5000));
    m.add({ ...result('c', 'corrupt', null), format: null, frames: null });
    expect(m.files).toBe(3);
    expect(m.byStatus).toEqual({ ok: 1, over_budget: 1, corrupt: 1, unsupported: 0, error: 0 });
    expect(Object.fromEntries(m.byFormat)).toEqual({ png: 2, unknown: 1 });
    expect(Object.fromEntries(m.byFrames)).toEqual({ '1': 2, unknown: 1 });
    expect(m.decodedTotal).toBe(5300);
    expect(m.decodedMax).toBe(5000);
    expect(m.histogram.ok[binOf(300)]).toBe(1);
    expect(m.histogram.over_budget[binOf(5000)]).toBe(1);
    expect(m.problems.map((r) => r.p)).toEqual(['b', 'c']);
    expect(m.largest().map((r) => r.p)).toEqual(['a']);
  });

  it('keeps the largest ok files, largest first, and no more than the cap', () => {
    const m = new ReportModel();
    for (let i = 0; i < MAX_LARGEST_OK + 500; i++) m.add(result(`f${i}`, 'ok', (i * 7919) % 100_003));
    const largest = m.largest();
    expect(largest).toHaveLength(MAX_LARGEST_OK);
    const all = Array.from({ length: MAX_LARGEST_OK + 500 }, (_, i) => (i * 7919) % 100_003).sort((a, b) => b - a);
    expect(largest.map((r) => r.d)).toEqual(all.slice(0, MAX_LARGEST_OK));
  });

  it('samples at most MAX_SCATTER points, problems kept first', () => {
    const m = new ReportModel();
    for (let i = 0; i < 20_000; i++) m.add(result(`f${i}`, i % 10 === 0 ? 'over_budget' : 'ok', 10, 1 + i, 2));
    const points = m.scatter();
    expect(points.length).toBe(MAX_SCATTER);
    expect(points.filter((p) => p.s === 'over_budget')).toHaveLength(MAX_SCATTER / 2);
    // The sample spreads over the whole run, not only its beginning.
    expect(Math.max(...points.filter((p) => p.s === 'ok').map((p) => p.w))).toBeGreaterThan(10_000);
  });

  it('counts problems past the row cap without keeping them', () => {
    const m = new ReportModel();
    for (let i = 0; i < MAX_PROBLEM_ROWS + 3; i++) m.add(result(`p${i}`, 'corrupt', null, 0, 0));
    expect(m.problems).toHaveLength(MAX_PROBLEM_ROWS);
    expect(m.problemsLeftOut).toBe(3);
    expect(m.byStatus.corrupt).toBe(MAX_PROBLEM_ROWS + 3);
  });
});

describe('bins and buckets', () => {
  it('puts bytes in power-of-two bins', () => {
    expect(binOf(0)).toBe(0);
    expect(binOf(1)).toBe(0);
    expect(binOf(2)).toBe(1);
    expect(binOf(1023)).toBe(9);
    expect(binOf(1024)).toBe(10);
    expect(binOf(2 ** 70)).toBe(63);
  });
  it('groups frame counts', () => {
    expect([null, 1, 2, 9, 10, 99, 100].map(frameBucket)).toEqual([
      'unknown',
      '1',
      '2–9',
      '2–9',
      '10–99',
      '10–99',
      '100+',
    ]);
  });
});
