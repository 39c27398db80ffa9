import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import prettyBytes from 'pretty-bytes';
import { readWaiting } from '../probe/pipe.js';
import { EXIT } from '../exit.js';
import { UserError } from '../user-error.js';

/** Standard input holds more than the budget: one line, exit 2 (the input, not a flag, is at fault). */
class StdinTooLarge extends UserError {
  override readonly exitCode = EXIT.failed;
}

/**
 * Standard input as a file, for `inspect -` and `convert - OUT`: a pipe cannot be read twice, and
 * a decode reads its input after the header check, so the bytes are read once into memory, at most
 * `budget` of them (the budget bounds every decode's memory, so it bounds this too), then written
 * to a private temporary file that `use` opens and that is removed after it, on every path.
 * More than `budget` bytes: a UserError saying so (save the input to a file and name that).
 */
export async function withStdinFile<T>(budget: bigint, use: (path: string) => Promise<T>): Promise<T> {
  const cap = budget > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(budget);
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.allocUnsafe(1 << 16);
  for (let n = readWaiting(0, chunk); n > 0; n = readWaiting(0, chunk)) {
    total += n;
    if (total > cap)
      throw new StdinTooLarge(
        `standard input is larger than the budget (${prettyBytes(cap)}): a pipe cannot be read twice, so it is ` +
          'held in memory only up to the budget; save it to a file and name that',
      );
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  const dir = mkdtempSync(join(tmpdir(), 'imgguard-stdin-'));
  try {
    const path = join(dir, 'stdin');
    writeFileSync(path, Buffer.concat(chunks, total), { mode: 0o600 });
    chunks.length = 0;
    return await use(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
