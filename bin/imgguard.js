#!/usr/bin/env node
// CommonJS (bin/package.json), like the bundle it runs: require() starts faster than Node's ES
// module loader.
'use strict';
const { loadCli } = require('./load-cli.js');
// main returns the exit code, or a promise of it for commands that decode; it never throws.
Promise.resolve(loadCli().main(process.argv)).then((code) => {
  process.exitCode = code;
});
