import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareCheck } from '../../src/check.js';
import type { InputEntry } from '../../src/inputs/walk.js';
import { checkMixed, RemoteContext } from '../../src/remote/run.js';
import { startHttpServer, type TestServer } from '../helpers/http-server.js';

const photo = new Uint8Array(readFileSync(new URL('../../samples/photo.jpg', import.meta.url)));
const N = 40;
let server: TestServer;

beforeAll(async () => {
  const files: Record<string, Uint8Array> = {};
  const faults: Record<string, { latencyMs: number }> = {};
  for (let i = 0; i < N; i++) {
    files[`/${i}.jpg`] = photo;
    // Later objects answer sooner: order must come from the input, not from the network.
    faults[`/${i}.jpg`] = { latencyMs: 5 + ((N - i) % 7) * 10 };
  }
  server = await startHttpServer(files, faults);
});
afterAll(() => server.close());

const entry = (path: string): InputEntry => ({ path, explicit: true, rel: path });

describe('checkMixed', () => {
  it('keeps input order with many reads in flight, mixing local and remote entries', async () => {
    const entries = [entry('samples/icon.svg')];
    for (let i = 0; i < N; i++) entries.push(entry(server.url(`/${i}.jpg`)));
    entries.push(entry(server.url('/missing.jpg')), entry('samples/photo.webp'));
    const out: string[] = [];
    for await (const r of checkMixed(entries, new RemoteContext(prepareCheck()), 8)) out.push(`${r.path} ${r.status}`);
    expect(out).toEqual([
      'samples/icon.svg ok',
      ...Array.from({ length: N }, (_, i) => `${server.url(`/${i}.jpg`)} ok`),
      `${server.url('/missing.jpg')} error`,
      'samples/photo.webp ok',
    ]);
    expect(server.maxInFlight).toBeGreaterThan(1);
    expect(server.maxInFlight).toBeLessThanOrEqual(8);
  });

  it('pulls at most the window of entries ahead of the result it waits for', async () => {
    let pulled = 0;
    let seen = 0;
    let ahead = 0;
    function* entries(): Generator<InputEntry> {
      for (let i = 0; i < N; i++) {
        pulled++;
        yield entry(server.url(`/${i}.jpg`));
      }
    }
    for await (const _ of checkMixed(entries(), new RemoteContext(prepareCheck()), 4)) {
      seen++;
      ahead = Math.max(ahead, pulled - seen);
    }
    expect(seen).toBe(N);
    expect(ahead).toBeLessThanOrEqual(4);
  });
});
