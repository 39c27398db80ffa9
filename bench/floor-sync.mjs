// The synchronous floor: walk, openSync, readSync 4 KiB, closeSync; nothing else.
import { closeSync, openSync, readSync } from 'node:fs';
import { walk, lines } from './walk.mjs';

const out = lines();
const buf = Buffer.allocUnsafe(4096);
for (const p of walk(process.argv[2])) {
  const fd = openSync(p, 'r');
  const n = readSync(fd, buf, 0, 4096, 0);
  closeSync(fd);
  out.push(`${p} ${n}`);
}
out.end();
