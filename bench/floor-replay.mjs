// The floor of imgguard's own access pattern: the sync floor's walk, open and close, with exactly
// the reads and fstats imgguard makes on each file (recorded by record-reads.mjs into PLAN) and
// no parsing at all. What imgguard takes beyond this row is its own work, not its reads.
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { walk, lines } from './walk.mjs';

const [planFile, dir] = process.argv.slice(2);
const bytes = readFileSync(planFile);
const plan = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
// imgguard's open flags: O_NONBLOCK so that a FIFO never blocks, O_NOCTTY for terminals.
const FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;
// imgguard reads into one reused scratch buffer of this size.
const buf = Buffer.allocUnsafe(512 * 1024);
const out = lines();
let at = 1;
let files = 0;
for (const p of walk(dir)) {
  const fd = openSync(p, FLAGS);
  let n = 0;
  for (let calls = plan[at++]; calls > 0; calls--, at += 3) {
    if (plan[at] === 0) n += readSync(fd, buf, 0, plan[at + 1], plan[at + 2]);
    else fstatSync(fd);
  }
  closeSync(fd);
  out.push(`${p} ${n}`);
  files++;
}
out.end();
if (files !== plan[0] || at !== plan.length)
  throw new Error(`${planFile} was recorded for another file list (${plan[0]} files, walked ${files})`);
