import { UserError } from '../user-error.js';

/**
 * Parses a byte size as users write it: `512MB`, `1.5GB` (powers of 1000), `512MiB`, `2GiB`
 * (powers of 1024), bare `512M`, `2G` (powers of 1024, as ulimit and sort -S read them), `512K`,
 * or plain bytes. Case-insensitive; a `B` alone means bytes.
 */
export const SIZE_FORMS =
  'a byte count (1048576), decimal units (512MB, 1.5GB, 2TB), binary units (512MiB, 2GiB) or bare binary suffixes ' +
  '(512M, 2G)';

const UNITS: Record<string, bigint> = {
  '': 1n,
  b: 1n,
  kb: 1000n,
  mb: 1000n ** 2n,
  gb: 1000n ** 3n,
  tb: 1000n ** 4n,
  pb: 1000n ** 5n,
  kib: 1024n,
  mib: 1024n ** 2n,
  gib: 1024n ** 3n,
  tib: 1024n ** 4n,
  pib: 1024n ** 5n,
  k: 1024n,
  m: 1024n ** 2n,
  g: 1024n ** 3n,
  t: 1024n ** 4n,
  p: 1024n ** 5n,
};

/** The size in bytes, rounded down to a whole byte. Throws a UserError. */
export function parseSize(text: string): bigint {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new UserError(`invalid size ${JSON.stringify(text)}: expected ${SIZE_FORMS}`);
  const [whole, frac = ''] = m[1]!.split('.');
  // Exact decimal arithmetic: 1.5GB is 1500000000, not a float near it.
  const scale = 10n ** BigInt(frac.length);
  const bytes = ((BigInt(whole || '0') * scale + BigInt(frac || '0')) * unit) / scale;
  return bytes;
}
