// Bundles the CLI: `npm run build` runs this after tsc, on tsc's output in dist/.
//
// Node loads ~60 small ES modules much slower than one file, and its ES module loader costs ~10 ms
// more at start-up than require(), so bin/imgguard.js runs dist/bundle/cli.js, ONE CommonJS file
// (dist/bundle/index.js is the library for require(); dist/*.js stays the ES module library).
// - Everything of ours is inside, once: the decode modules and result.js too (their `import()`
//   becomes a lazy initialiser in the same file), so an error class has one identity and
//   `instanceof` holds across the CLI.
// - sharp and zod stay external and load only where they are used, through lazyRequire or a
//   `require` run by the initialiser of a module reached by `import()`. `check` loads neither.
// - dist/bundle/package.json says "commonjs": the package is "type": "module", and the bundle keeps
//   the .js names that the source computes (`new URL('./run-worker.js', import.meta.url)`).
// - `import.meta.url` becomes the bundle's own URL. The bundle sits two levels below the package
//   root as dist/cli/main.js does, and the --concurrency worker is its own entry next to it, so
//   `../../package.json` (--version) and `./run-worker.js` name the same files as in dist/.
// - Not minified: no measurable gain in start-up, and stack traces keep their names.
import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
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
      a.kind === 'require-call' && /[\\/]node_modules[\\/]commander[\\/]/.test(a.importer)
        ? { path: a.path, namespace: 'lazy' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, (a) => ({
      contents: `let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require(${JSON.stringify(a.path)}))[k] });`,
    }));
  },
};

const outdir = fileURLToPath(new URL('../dist/bundle/', import.meta.url));
rmSync(outdir, { recursive: true, force: true }); // nothing left from an earlier build
mkdirSync(outdir, { recursive: true });
writeFileSync(`${outdir}package.json`, '{ "type": "commonjs" }\n');

await build({
  absWorkingDir: fileURLToPath(new URL('..', import.meta.url)),
  // index: the library for require('imgguard') (package.json "exports"); import gets dist/index.js.
  entryPoints: { cli: 'dist/cli/main.js', index: 'dist/index.js', 'run-worker': 'dist/run-worker.js' },
  outdir,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['sharp', 'zod', '@aws-sdk/client-s3'],
  // CommonJS has no import.meta: each file gets its own URL once, for every module inside it.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [lazyChildProcess],
  logLevel: 'warning',
});
