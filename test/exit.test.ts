import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit.js';

describe('EXIT', () => {
  it('keeps the documented exit codes', () => {
    expect(EXIT).toEqual({ ok: 0, overBudget: 1, failed: 2, usage: 64 });
  });
});
