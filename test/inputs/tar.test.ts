import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSync, prepareCheck } from '../../src/check.js';
import { parsePax, parseTarHeader, tarMembers } from '../../src/inputs/tar.js';
import type { InputEntry } from '../../src/inputs/walk.js';
import { fileReader } from '../../src/remote/reader.js';
import { checkMixed, expandShards, RemoteContext } from '../../src/remote/run.js';
import type { Result } from '../../src/result.js';
import { runCliAsync } from '../helpers/cli.js';
import { startHttpServer, type TestServer } from '../helpers/http-server.js';

const SAMPLES = new URL('../../samples/', import.meta.url).pathname;
const LONG = `${'deep/'.repeat(30)}photo.webp`;
let dir: string;
let shard: string;
let server: TestServer;

/** A WebDataset-like shard made by GNU tar: images, labels, a big skipped member, a long name. */
function makeShard(format: 'gnu' | 'pax'): string {
  const src = join(dir, `src-${format}`);
  mkdirSync(join(src, 'deep/'.repeat(30)), { recursive: true });
  copyFileSync(join(SAMPLES, 'photo.jpg'), join(src, '000.jpg'));
  writeFileSync(join(src, '000.cls'), '7\n');
  writeFileSync(join(src, '000.json'), '{"caption":"a photo"}');
  copyFileSync(join(SAMPLES, 'scan-16bit.png'), join(src, '001.png'));
  writeFileSync(join(src, '001.bin'), new Uint8Array(2 * 1024 * 1024));
  copyFileSync(join(SAMPLES, 'truncated.png'), join(src, '002.png'));
  writeFileSync(join(src, '.hidden.jpg'), readFileSync(join(SAMPLES, 'photo.jpg')));
  copyFileSync(join(SAMPLES, 'photo.webp'), join(src, LONG));
  const out = join(dir, `shard-${format}.tar`);
  const names = ['000.jpg', '000.cls', '000.json', '001.png', '001.bin', '002.png', '.hidden.jpg', LONG];
  const r = spawnSync('tar', [`--format=${format}`, '-cf', out, '-C', src, ...names]);
  expect(r.status, String(r.stderr)).toBe(0);
  return out;
}

const entry = (path: string): InputEntry => ({ path, explicit: true, rel: path });

async function checkAll(paths: string[], ctx = new RemoteContext(prepareCheck())): Promise<Result[]> {
  const out: Result[] = [];
  for await (const r of checkMixed(expandShards(paths.map(entry), ctx), ctx, 8)) out.push(r);
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'imgguard-tar-'));
  shard = makeShard('gnu');
  server = await startHttpServer({ '/shard.tar': new Uint8Array(readFileSync(shard)) });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tar shards', () => {
  it('walks the members in archive order, long names included (GNU and pax)', async () => {
    for (const format of ['gnu', 'pax'] as const) {
      const names: string[] = [];
      const file = format === 'gnu' ? shard : makeShard('pax');
      for await (const m of tarMembers(fileReader(file, file), 16384)) names.push(m.name);
      expect(names, format).toEqual([
        '000.jpg',
        '000.cls',
        '000.json',
        '001.png',
        '001.bin',
        '002.png',
        '.hidden.jpg',
        LONG,
      ]);
    }
  });

  it('checks image members in place, named shard.tar!member, with the verdicts of the files themselves', async () => {
    const results = await checkAll([shard]);
    expect(results.map((r) => r.path)).toEqual([
      `${shard}!000.jpg`,
      `${shard}!001.png`,
      `${shard}!002.png`,
      `${shard}!${LONG}`,
    ]);
    const files = ['photo.jpg', 'scan-16bit.png', 'truncated.png', 'photo.webp'].map((n) =>
      checkSync(join(SAMPLES, n)),
    );
    results.forEach((r, i) => {
      const { path: _a, headerBytes: _b, ...got } = r;
      const { path: _c, headerBytes: _d, ...want } = files[i]!;
      expect(got).toEqual(want);
    });
  });

  it('reads a shard over HTTP by ranges: about one request per image, a small part of the shard', async () => {
    const url = server.url('/shard.tar');
    const results = await checkAll([url]);
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'corrupt', 'ok']);
    expect(results[0]!.path).toBe(`${url}!000.jpg`);
    const requests = server.hits.get('/shard.tar')!;
    expect(requests).toBeLessThanOrEqual(8);
    expect(results.reduce((n, r) => n + (r.requests ?? 0), 0)).toBeLessThanOrEqual(requests);
    const fetched = results.reduce((n, r) => n + r.headerBytes, 0);
    expect(fetched).toBeLessThan(readFileSync(shard).length / 10);
  });

  it('--ext picks the members instead of the image list, and --hidden shows dot names', async () => {
    const ctx = new RemoteContext(prepareCheck(), { walk: { ext: ['cls'], hidden: false } });
    expect((await checkAll([shard], ctx)).map((r) => r.path)).toEqual([`${shard}!000.cls`]);
    const hidden = new RemoteContext(prepareCheck(), { walk: { hidden: true } });
    expect((await checkAll([shard], hidden)).map((r) => r.path)).toContain(`${shard}!.hidden.jpg`);
  });

  it('a broken header ends the shard with an error naming it, after the members before it', async () => {
    const bytes = new Uint8Array(readFileSync(shard));
    // The third header (000.json) sits after 000.jpg (3869 bytes: 8 blocks) and 000.cls (1 block).
    const third = 512 + 8 * 512 + 512 + 512;
    expect(parseTarHeader(bytes.subarray(third, third + 512), third)?.name).toBe('000.json');
    bytes[third] = bytes[third]! ^ 0xff;
    const bad = join(dir, 'bad.tar');
    writeFileSync(bad, bytes);
    const results = await checkAll([bad]);
    expect(results.map((r) => r.path)).toEqual([`${bad}!000.jpg`, bad]);
    expect(results[1]!.error?.code).toBe('E_BAD_TAR');
    expect(results[1]!.error?.message).toContain('checksum');
  });

  it('a missing shard is one error result', async () => {
    const results = await checkAll([join(dir, 'nope.tar'), server.url('/nope.tar')]);
    expect(results.map((r) => r.error?.code)).toEqual(['E_NOT_FOUND', 'E_HTTP_404']);
  });

  it('parses pax records', () => {
    // The length counts its own digits: grow it until it does.
    const record = (kv: string) => {
      let n = kv.length + 2;
      while (String(n).length + kv.length + 2 !== n) n = String(n).length + kv.length + 2;
      return `${n} ${kv}\n`;
    };
    const data = Buffer.from(record('path=a/b.jpg') + record('size=12'));
    expect(parsePax(data, 0)).toEqual({ path: 'a/b.jpg', size: 12 });
    expect(() => parsePax(Buffer.from('99 path=x\n'), 0)).toThrow(/pax/);
  });

  it('imgguard check shard.tar, local and over HTTP', async () => {
    const local = await runCliAsync(['check', '--ndjson', shard]);
    expect(local.code).toBe(2); // 002.png is truncated
    expect(
      local.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).path)[0],
    ).toBe(`${shard}!000.jpg`);
    const remote = await runCliAsync(['check', '--summary', server.url('/shard.tar')]);
    expect(remote.stdout).toMatch(/4 files: 3 ok, 1 corrupt/);
  });
});
