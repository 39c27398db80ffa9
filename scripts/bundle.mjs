// Bundles the CLI: `npm run build` runs this after tsc, on tsc's output in dist/.
//
// Node loads ~60 small ES modules much slower than a few larger files, so bin/imgguard.js runs
// dist/bundle/cli.js; dist/*.js stays the library (`import 'imgguard'`).
// - sharp and zod stay external and load only where they are used: the decode modules and
//   result.js are reached by `import()`, which becomes a chunk of its own, and zod otherwise
//   through lazyRequire. `check` loads neither.
// - The bundle sits two levels below the package root as dist/cli/main.js does, its chunks next
//   to its entries, so `new URL('../../package.json', import.meta.url)` (--version) and
//   `new URL('./run-worker.js', import.meta.url)` (the --concurrency workers) find their files.
// - Not minified: no measurable gain in start-up, and stack traces keep their names.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * commander requires node:child_process when it loads (~5 ms: net, dgram and more), only to spawn
 * executable subcommands, which imgguard does not have. Its require gets a stand-in that loads the
 * module on first property read.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (a) =>
      a.kind === 'require-call' && /[\\/]node_modules[\\/]commander[\\/]/.test(a.importer) ? { path: a.path, namespace: 'lazy' } : undefined);
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, (a) => ({
      contents: `let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require(${JSON.stringify(a.path)}))[k] });`,
    }));
  },
};

const outdir = new URL('../dist/bundle/', import.meta.url);
rmSync(outdir, { recursive: true, force: true }); // no chunks left from an earlier build

await build({
  absWorkingDir: fileURLToPath(new URL('..', import.meta.url)),
  entryPoints: { cli: 'dist/cli/main.js', 'run-worker': 'dist/run-worker.js' },
  outdir: fileURLToPath(outdir),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['sharp', 'zod'],
  // commander is CommonJS and calls require(), which ES modules lack.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [lazyChildProcess],
  logLevel: 'warning',
});
