#!/usr/bin/env node
// CommonJS (bin/package.json), like the bundle it runs: require() starts faster than Node's ES
// module loader. On Node >= 22.1, Node keeps the bundle's compiled code on disk between runs
// (its compile cache, in the temporary directory; NODE_DISABLE_COMPILE_CACHE=1 turns it off).
'use strict';
require('node:module').enableCompileCache?.();
const { main } = require('../dist/bundle/cli.js');
// main returns the exit code, or a promise of it for commands that decode; it never throws.
Promise.resolve(main(process.argv)).then((code) => {
  process.exitCode = code;
});
