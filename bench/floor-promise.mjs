// The promise floor: the same work with fs.promises, 32 files in flight.
import { open } from 'node:fs/promises';
import { walk, pool, lines } from './walk.mjs';

const out = lines();
await pool(
  walk(process.argv[2]),
  32,
  async (p) => {
    const fh = await open(p, 'r');
    try {
      const { bytesRead } = await fh.read(Buffer.allocUnsafe(4096), 0, 4096, 0);
      return `${p} ${bytesRead}`;
    } finally {
      await fh.close();
    }
  },
  (line) => out.push(line),
);
out.end();
