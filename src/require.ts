import { createRequire } from 'node:module';

/**
 * Synchronous `require` for what only some runs need, loaded where it is used rather than at
 * start-up: zod, and Node built-ins such as worker_threads (`--concurrency`) or zlib (`.svgz`).
 * An ESM import of a built-in compiles it in every run (and builds its namespace, reading every
 * export); a plain `check` should pay only for what it uses.
 */
export const lazyRequire = createRequire(import.meta.url);
