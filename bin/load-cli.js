'use strict';
// Loads the CLI bundle, dist/bundle/cli.js. Compiling its ~370 KB of JavaScript is a good part of
// what imgguard adds to Node's own start-up, so the build also saves V8's code cache for it
// (the bytecode of every function a check over samples/ runs), and a run compiles from that.
// Node >= 22.1 keeps such a cache on disk by itself (module.enableCompileCache); Node 20 has no
// API for it, so the bundle is compiled here with vm.Script and the cache the build wrote.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const BUNDLE = path.join(__dirname, '../dist/bundle/cli.js');
const CACHE = path.join(__dirname, '../dist/bundle/cli.js.cache');
const importModuleDynamically = vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;

/** The CLI module's exports ({ main }). */
function loadCli() {
  if (Module.enableCompileCache) {
    Module.enableCompileCache();
    return require(BUNDLE);
  }
  const cachedData = importModuleDynamically ? readCache() : undefined;
  return cachedData ? compile(cachedData).exports : require(BUNDLE);
}

/** Compiles and runs the bundle as Node's CommonJS loader would, with a code cache if given. */
function compile(cachedData) {
  const script = new vm.Script(Module.wrap(fs.readFileSync(BUNDLE, 'utf8')), {
    filename: BUNDLE,
    cachedData,
    importModuleDynamically,
  });
  const module = { exports: {}, filename: BUNDLE };
  script
    .runInThisContext()
    .call(module.exports, module.exports, Module.createRequire(BUNDLE), module, BUNDLE, path.dirname(BUNDLE));
  return { exports: module.exports, script };
}

/**
 * The cache, if it was made from the bundle as it is now. V8 itself refuses a cache from another
 * V8 version, other flags or a source of another length; the build gives the cache the bundle's
 * modification time, so an edited bundle (same length, new time) is not run with stale bytecode.
 */
function readCache() {
  try {
    if (Math.abs(fs.statSync(BUNDLE).mtimeMs - fs.statSync(CACHE).mtimeMs) >= 1) return undefined;
    return fs.readFileSync(CACHE);
  } catch {
    return undefined;
  }
}

/** Build time (in a fresh process): runs `check --ndjson --quiet <dir>`, then saves the cache. */
function writeCodeCache(dir) {
  const { exports, script } = compile(undefined);
  exports.main(['node', 'imgguard', 'check', '--ndjson', '--quiet', dir]);
  const tmp = `${CACHE}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, script.createCachedData());
  const { atime, mtimeMs } = fs.statSync(BUNDLE);
  fs.utimesSync(tmp, atime, mtimeMs / 1000);
  fs.renameSync(tmp, CACHE);
}

module.exports = { loadCli, writeCodeCache };
