// probe-image-size 7 on URLs: probe(url) (a plain GET, aborted once the size is known), N in flight.
import { readFileSync } from 'node:fs';
import probe from 'probe-image-size';
import { lines, pool } from './walk.mjs';

const urls = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
const out = lines();
await pool(
  urls,
  Number(process.argv[3] ?? 16),
  async (url) => {
    try {
      const s = await probe(url);
      return `${url} ${s.width}x${s.height}`;
    } catch (e) {
      return `${url} error ${e.message}`;
    }
  },
  (l) => out.push(l),
);
out.end();
