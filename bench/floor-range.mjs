// The remote floor: one `Range: bytes=0-4095` GET per URL of a list, N in flight over kept-alive
// connections, bodies read and dropped. Nothing is parsed: the least any ranged header read costs.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { lines, pool } from './walk.mjs';

const urls = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
const agent = new Agent({ keepAlive: true, maxSockets: Number(process.argv[3] ?? 16) });
const out = lines();
const get = (url) =>
  new Promise((resolve) => {
    const req = request(url, { agent, headers: { range: 'bytes=0-4095' } }, (res) => {
      let n = 0;
      res.on('data', (d) => (n += d.length));
      res.on('end', () => resolve(`${url} ${res.statusCode} ${n}`));
    });
    req.on('error', (e) => resolve(`${url} error ${e.message}`));
    req.end();
  });
await pool(urls, Number(process.argv[3] ?? 16), get, (l) => out.push(l));
out.end();
agent.destroy();
