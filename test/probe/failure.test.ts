import { describe, expect, it } from 'vitest';
import { fail, ProbeFailure } from '../../src/probe/failure.js';

describe('ProbeFailure', () => {
  it('an expected failure carries no stack frames (a verdict, not a bug)', () => {
    const f = fail('png', 'E_TRUNCATED', 'IHDR ends early');
    expect(f.stack).not.toMatch(/\n\s+at /);
    expect([f.code, f.status, f.format, f.message]).toEqual(['E_TRUNCATED', 'corrupt', 'png', 'PNG: IHDR ends early']);
  });

  it('an internal error keeps its stack, and the global limit is restored', () => {
    const before = Error.stackTraceLimit;
    const f = new ProbeFailure('E_INTERNAL', 'internal error (please report it): boom');
    expect(f.stack).toMatch(/\n\s+at /);
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('x').stack).toMatch(/\n\s+at /);
  });
});
