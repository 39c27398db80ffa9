// The remote benchmark's server: serves a folder over HTTP on 127.0.0.1 with Range support and a
// fixed delay before every response (a round trip to a nearby object store). It counts, per run,
// the requests and body bytes it sent for each file: GET /__stats returns them (and resets).
// Prints its port on the first line of stdout.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, normalize } from 'node:path';

const root = process.argv[2];
const delayMs = Number(process.argv[3] ?? 20);
let perFile = new Map();

const count = (path, bytes) => {
  const s = perFile.get(path) ?? { requests: 0, bytes: 0 };
  s.requests++;
  s.bytes += bytes;
  perFile.set(path, s);
};

const server = createServer((req, res) => {
  const path = decodeURIComponent(req.url.split('?')[0]);
  if (path === '/__stats') {
    const files = [...perFile.values()];
    perFile = new Map();
    res.end(JSON.stringify(files));
    return;
  }
  setTimeout(() => {
    const file = join(root, normalize(path));
    let size;
    try {
      size = statSync(file).size;
    } catch {
      count(path, 0);
      res.writeHead(404, { 'content-length': 0 }).end();
      return;
    }
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    let start = 0;
    let end = size - 1;
    if (m) {
      start = Number(m[1]);
      end = Math.min(m[2] ? Number(m[2]) : size - 1, size - 1);
      if (start >= size) {
        count(path, 0);
        res.writeHead(416, { 'content-range': `bytes */${size}`, 'content-length': 0 }).end();
        return;
      }
      res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': end - start + 1 });
    } else res.writeHead(200, { 'content-length': size, 'accept-ranges': 'bytes' });
    // Streamed with back-pressure: a client that hangs up early is charged only what was sent.
    let sent = 0;
    const stream = createReadStream(file, { start, end, highWaterMark: 16384 });
    stream.on('data', (d) => {
      sent += d.length;
    });
    stream.pipe(res);
    res.on('close', () => {
      stream.destroy();
      count(path, sent);
    });
  }, delayMs);
});
server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
