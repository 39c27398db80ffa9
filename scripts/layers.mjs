// `npm run lint`: fails on an import cycle in src/ or a module importing a layer above its own
// (the layers of ARCHITECTURE.md, bottom first). A top-level module not in LAYERS is named, not failed.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const LAYERS = [
  ['rules.ts', 'exit.ts', 'user-error.ts', 'require.ts'],
  ['probe'],
  ['estimate'],
  ['whole'],
  ['validate.ts', 'budget', 'inputs', 'remote/reader.ts', 'remote/http.ts', 'remote/probe.ts'],
  ['result.ts', 'check.ts', 'decode'],
  ['run.ts', 'run-worker.ts', 'tally.ts', 'remote', 'report'],
  ['cli'],
  ['index.ts'],
];
const src = fileURLToPath(new URL('../src/', import.meta.url));
/** The layer of a file: named itself (remote/reader.ts), else by its top-level file or directory. */
function layerOf(file) {
  const path = relative(src, file);
  const named = LAYERS.findIndex((l) => l.includes(path));
  return named >= 0 ? named : LAYERS.findIndex((l) => l.includes(path.split('/')[0]));
}

function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* files(path);
    else if (e.name.endsWith('.ts')) yield path;
  }
}

const imports = new Map();
for (const file of files(src)) {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)];
  imports.set(
    file,
    found.map((m) => normalize(join(dirname(file), m[1])).replace(/\.js$/, '.ts')),
  );
}

const problems = [];
const unknown = new Set();
for (const [file, targets] of imports) {
  for (const target of targets) {
    const [from, to] = [layerOf(file), layerOf(target)];
    if (from < 0 || to < 0) unknown.add(relative(src, from < 0 ? file : target).split('/')[0]);
    else if (to > from)
      problems.push(`src/${relative(src, file)} imports a layer above it: src/${relative(src, target)}`);
  }
}
// Cycles: depth-first search, reporting each back edge once.
const state = new Map();
const stack = [];
function visit(file) {
  state.set(file, 1);
  stack.push(file);
  for (const next of imports.get(file) ?? []) {
    if (state.get(next) === 1) {
      const cycle = [...stack.slice(stack.indexOf(next)), next].map((f) => `src/${relative(src, f)}`);
      problems.push(`import cycle: ${cycle.join(' -> ')}`);
    } else if (!state.has(next)) visit(next);
  }
  stack.pop();
  state.set(file, 2);
}
for (const file of imports.keys()) if (!state.has(file)) visit(file);

for (const name of unknown) process.stderr.write(`layers: src/${name} is in no layer of scripts/layers.mjs\n`);
if (problems.length > 0) {
  process.stderr.write(`${problems.join('\n')}\n`);
  process.exit(1);
}
