// `node bench/record-reads.mjs DIR PLAN`: checks DIR with imgguard's library (dist/, so build
// first) and writes down every file-system call its header reads make, for floor-replay.mjs:
// which reads (length, position) and fstats each file got, in the walk's order. Recorded by
// wrapping node:fs and re-syncing its ES module exports, so the library runs unchanged.
import fs, { writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const [dir, planFile] = process.argv.slice(2);
if (!dir || !planFile) {
  process.stderr.write('usage: node bench/record-reads.mjs DIR PLAN\n');
  process.exit(64);
}

const READ = 0;
const FSTAT = 1;
/** Per file, in walk order: [read count + fstat count, then (kind, length, position) per call]. */
const plan = [];
let ops = null;
let calls = 0;
const { openSync, readSync, fstatSync, closeSync } = fs;
fs.openSync = (...args) => {
  ops = [];
  return openSync(...args);
};
fs.readSync = (fd, buffer, offset, length, position) => {
  ops?.push(READ, length, position);
  return readSync(fd, buffer, offset, length, position);
};
fs.fstatSync = (...args) => {
  ops?.push(FSTAT, 0, 0);
  return fstatSync(...args);
};
fs.closeSync = (fd) => {
  if (ops) {
    plan.push(ops.length / 3, ...ops);
    calls += ops.length / 3;
  }
  ops = null;
  return closeSync(fd);
};
syncBuiltinESMExports();

const { checkEntries, walkInputs } = await import('../dist/index.js');
let files = 0;
for (const result of checkEntries(walkInputs([dir]))) {
  if (result.status === 'error') throw new Error(`${result.path}: ${result.reason}`);
  files++;
}
// One number per slot, as doubles in this machine's byte order: the replay, on the same machine,
// reads them with no parsing at all.
writeFileSync(planFile, new Float64Array([files, ...plan]));
process.stderr.write(`recorded ${files} files, ${calls} reads and fstats, into ${planFile}\n`);
