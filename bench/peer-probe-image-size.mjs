// probe-image-size 7: probe(a read stream) over the same walk, 32 in flight.
import { createReadStream } from 'node:fs';
import probe from 'probe-image-size';
import { walk, pool, lines } from './walk.mjs';

const out = lines();
await pool(
  walk(process.argv[2]),
  32,
  async (p) => {
    const stream = createReadStream(p);
    try {
      const s = await probe(stream);
      return `${p} ${s.width}x${s.height}`;
    } catch (e) {
      return `${p} error ${e.message}`;
    } finally {
      stream.destroy();
    }
  },
  (l) => out.push(l),
);
out.end();
