import { describe, expect, it } from 'vitest';
import { UserError } from '../src/user-error.js';
import { oneOf, parsePixels, positiveInt, wholeNumberIn } from '../src/validate.js';

/** The UserError `fn` throws. */
function thrown(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected a UserError');
}

describe('validate', () => {
  it('oneOf takes a listed word and names the accepted ones otherwise', () => {
    expect(oneOf('--frames', 'all', ['first', 'all'])).toBe('all');
    expect(thrown(() => oneOf('--frames', 'some', ['first', 'all'])).message).toBe(
      'invalid --frames "some": expected one of first, all',
    );
  });

  it('positiveInt, wholeNumberIn and parsePixels refuse what is out of range, with exit code 64', () => {
    expect(positiveInt('--max-width', ' 12 ')).toBe(12);
    expect(thrown(() => positiveInt('--max-width', '0')).exitCode).toBe(64);
    expect(wholeNumberIn('--concurrency', '4', { min: 1, max: 8 })).toBe(4);
    for (const bad of ['', '0', '9', '2.5', 'x'])
      expect(thrown(() => wholeNumberIn('--concurrency', bad, { min: 1, max: 8 })).message).toBe(
        `--concurrency must be a whole number from 1 to 8, got ${JSON.stringify(bad)}`,
      );
    expect(parsePixels('--max-pixels', '100MP')).toBe(100_000_000);
    expect(thrown(() => parsePixels('--max-pixels', 'many')).message).toContain('expected a pixel count >= 1');
  });
});
