import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit.js';
import { UserError } from '../src/user-error.js';

describe('UserError', () => {
  it('carries the usage exit code and its one-line message', () => {
    const e = new UserError('invalid --frames "x": expected one of first, all');
    expect(e).toBeInstanceOf(Error);
    expect(e.exitCode).toBe(EXIT.usage);
    expect(e.name).toBe('UserError');
    expect(e.message).not.toContain('\n');
  });
});
