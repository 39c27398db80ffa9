#!/usr/bin/env node
// CommonJS, like the bundle it runs: require() starts faster than Node's ES module loader.
// Node >= 22.1 keeps compiled code on disk between runs; Node 20 has no such API.
require('node:module').enableCompileCache?.();
// main returns the exit code, or a promise of it for commands that decode; it never throws.
Promise.resolve(require('../dist/bundle/cli.js').main(process.argv)).then((code) => { process.exitCode = code; });
