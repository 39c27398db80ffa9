/**
 * Property-based robustness of every format reader through the public API (issue: hardened
 * against hostile input). For random and mutated headers of every format: a Header with sane
 * values or a ProbeFailure — never another exception; reads bounded by the caps; no hang.
 * Seeded, so a failure reproduces; sized to stay quick in `npm test`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { detect, readHeader, SNIFF_BYTES } from '../../src/probe/detect.js';
import { ProbeFailure, FAILURE_CODES } from '../../src/probe/failure.js';
import { bufferSource } from '../../src/probe/source.js';
import { estimate } from '../../src/estimate/size.js';
import { makeSeeds } from '../helpers/seeds.mjs';

const LIMITS = { maxBytes: 1 << 20, maxReads: 2048 };
let seeds: Map<string, Uint8Array>;
beforeAll(async () => {
  seeds = await makeSeeds();
});

/** Reads a header and checks every promise; returns what happened for the property. */
function probe(bytes: Uint8Array): 'header' | 'failure' {
  const src = bufferSource(bytes, LIMITS);
  const started = performance.now();
  let outcome: 'header' | 'failure';
  try {
    const h = readHeader(src);
    expect(Number.isSafeInteger(h.width) && h.width > 0).toBe(true);
    expect(Number.isSafeInteger(h.height) && h.height > 0).toBe(true);
    expect(h.width).toBeLessThanOrEqual(2 ** 32);
    expect(h.height).toBeLessThanOrEqual(2 ** 32);
    expect(Number.isSafeInteger(h.channels) && h.channels >= 1 && h.channels <= 65535).toBe(true);
    expect([8, 16, 32, 64]).toContain(h.bitsPerSample);
    expect(Number.isSafeInteger(h.frames) && h.frames >= 1).toBe(true);
    if (h.orientation !== undefined) expect(h.orientation >= 1 && h.orientation <= 8).toBe(true);
    expect(estimate(h).decodedBytes > 0n).toBe(true);
    outcome = 'header';
  } catch (e) {
    if (!(e instanceof ProbeFailure)) throw e;
    expect(e.code in FAILURE_CODES).toBe(true);
    expect(e.message.length).toBeGreaterThan(0);
    outcome = 'failure';
  }
  expect(src.bytesRead).toBeLessThanOrEqual(LIMITS.maxBytes);
  expect(performance.now() - started).toBeLessThan(2000);
  return outcome;
}

/** A mutation: overwrite, insert, delete or truncate at a position scaled to the seed. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('ones' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 16 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(seed: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = Uint8Array.from(seed);
  for (const m of ms) {
    const at = b.length ? m.at % b.length : 0;
    if (m.kind === 'set') b[at] = m.value;
    else if (m.kind === 'ones') b.fill(0xff, at, at + m.len);
    else if (m.kind === 'insert') b = Uint8Array.from([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)]);
    else if (m.kind === 'delete') b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + m.len)]);
    else b = b.subarray(0, at);
  }
  return b;
}

describe('every reader survives hostile bytes', () => {
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (b) => void probe(b)),
      { seed: 1, numRuns: 500 },
    );
  });

  it('random bytes behind every seed signature', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds.keys()),
        fc.integer({ min: 2, max: 40 }),
        fc.uint8Array({ maxLength: 256 }),
        (name, keep, tail) => void probe(Uint8Array.from([...seeds.get(name)!.subarray(0, keep), ...tail])),
      ),
      { seed: 2, numRuns: 1000 },
    );
  });

  it('mutated seeds of every format', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds.keys()),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        (name, ms) => void probe(mutate(seeds.get(name)!, ms)),
      ),
      { seed: 3, numRuns: 3000 },
    );
  });

  it('every seed whose format is detected reads as a header; each truncation ends cleanly', () => {
    let detected = 0;
    for (const [name, bytes] of seeds) {
      for (let cut = 0; cut < Math.min(bytes.length, 400); cut++) probe(bytes.subarray(0, cut));
      if (!detect(bytes.subarray(0, SNIFF_BYTES))) continue;
      detected++;
      expect(probe(bytes), name).toBe('header');
    }
    expect(detected).toBeGreaterThan(0);
  });
});

describe('regressions found by `npm run fuzz`', () => {
  const dir = new URL('../fuzz-found/', import.meta.url);
  const files = readdirSync(dir).filter((f) => !f.startsWith('.'));
  it.runIf(files.length > 0).each(files)('%s ends with a header or a failure', (f) => {
    probe(new Uint8Array(readFileSync(new URL(f, dir))));
  });
  it('the folder exists for the fuzzer to save into', () => {
    expect(readdirSync(dir)).toContain('.gitkeep');
  });
});
