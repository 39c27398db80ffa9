import { describe, expect, it } from 'vitest';
import { parseSize } from '../../src/budget/size.js';
import { UserError } from '../../src/user-error.js';

describe('parseSize', () => {
  it.each([
    ['1048576', 1048576n],
    ['512MB', 512n * 1000n ** 2n],
    ['1.5GB', 1_500_000_000n],
    ['512MiB', 512n * 1024n ** 2n],
    ['2GiB', 2n * 1024n ** 3n],
    ['512M', 512n * 1024n ** 2n],
    ['2G', 2n * 1024n ** 3n],
    ['2g', 2n * 1024n ** 3n],
    ['100kb', 100_000n],
    ['0.5KiB', 512n],
    ['64B', 64n],
    [' 3 GB ', 3_000_000_000n],
    ['0', 0n],
    ['16EiB', undefined],
  ])('%s', (text, bytes) => {
    if (bytes === undefined) expect(() => parseSize(text)).toThrow(UserError);
    else expect(parseSize(text)).toBe(bytes);
  });
  it.each(['', 'GB', '-1', '1.2.3', '12XB', '1e9', 'NaN', '0x10', '5 M B'])(
    'rejects %j naming the accepted forms',
    (text) => {
      expect(() => parseSize(text)).toThrow(/expected .*512MB.*512MiB.*512M/);
    },
  );
});
