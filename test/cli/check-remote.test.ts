import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/cli.js';
import { startHttpServer, type TestServer } from '../helpers/http-server.js';

const sample = (n: string) => new Uint8Array(readFileSync(new URL(`../../samples/${n}`, import.meta.url)));
let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startHttpServer({ '/a.jpg': sample('photo.jpg'), '/b.png': sample('scan-16bit.png') });
  dir = mkdtempSync(join(tmpdir(), 'imgguard-remote-cli-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('imgguard check on URLs', () => {
  it('checks URLs given as arguments, in order, with requests per result', async () => {
    const r = await runCliAsync(['check', '--ndjson', server.url('/a.jpg'), 'samples/icon.svg', server.url('/b.png')]);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.path)).toEqual([server.url('/a.jpg'), 'samples/icon.svg', server.url('/b.png')]);
    expect(lines.map((l) => l.requests)).toEqual([1, undefined, 1]);
    expect(lines[2].width).toBeGreaterThan(0);
  });

  it('reads URLs from --files-from; one missing object is an error result, not the end of the run', async () => {
    const list = join(dir, 'list.txt');
    writeFileSync(list, `${server.url('/a.jpg')}\n${server.url('/gone.jpg')}\n${server.url('/b.png')}\n`);
    const r = await runCliAsync(['check', '--files-from', list, '--summary']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('HTTP 404');
    expect(r.stdout).toMatch(/3 files: 2 ok, 1 error/);
    expect(r.stdout).toMatch(/remote: +3 objects, 3 requests \(median 1 per object\)/);
  });

  it('accepts URLs with a query string (not a glob)', async () => {
    const r = await runCliAsync(['check', '--ndjson', `${server.url('/a.jpg')}?v=1&x=*`]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).status).toBe('ok');
  });

  it('--verify fetches an object whose estimate fits, decodes it, and keeps its name', async () => {
    const r = await runCliAsync(['check', '--ndjson', '--verify', server.url('/a.jpg')]);
    expect(r.code).toBe(0);
    const line = JSON.parse(r.stdout);
    expect(line).toMatchObject({ path: server.url('/a.jpg'), status: 'ok', verified: true });
    expect(line.requests).toBe(2);
  });

  it('inspect and convert fetch the object only when the estimate fits', async () => {
    const before = server.hits.get('/b.png') ?? 0;
    const refused = await runCliAsync(['inspect', '-b', '10KB', server.url('/b.png')]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('over_budget');
    // One ranged read for the header, nothing more.
    expect((server.hits.get('/b.png') ?? 0) - before).toBe(1);
    const inspected = await runCliAsync(['inspect', '--json', server.url('/b.png')]);
    expect(inspected.code).toBe(0);
    expect(JSON.parse(inspected.stdout)).toMatchObject({ path: server.url('/b.png'), status: 'ok' });
    const out = join(dir, 'out.png');
    const converted = await runCliAsync(['convert', server.url('/a.jpg'), out]);
    expect(converted.code).toBe(0);
    expect(readFileSync(out).subarray(1, 4).toString()).toBe('PNG');
    const notConverted = await runCliAsync(['convert', '-b', '10KB', server.url('/b.png'), join(dir, 'no.png')]);
    expect(notConverted.code).toBe(1);
    expect(notConverted.stderr).toContain('refused');
  });

  it('a list read with --concurrency: URLs first go remote; a URL after local paths is a clear error', async () => {
    const list = join(dir, 'mixed.txt');
    writeFileSync(list, `${server.url('/a.jpg')}\nsamples/icon.svg\n${server.url('/b.png')}\n`);
    const remoteFirst = await runCliAsync(['check', '--ndjson', '--concurrency', '4', '--files-from', list]);
    expect(remoteFirst.code).toBe(0);
    expect(remoteFirst.stdout.trim().split('\n')).toHaveLength(3);
    writeFileSync(list, `samples/icon.svg\n${server.url('/a.jpg')}\n`);
    const localFirst = await runCliAsync(['check', '--ndjson', '--concurrency', '2', '--files-from', list]);
    const lines = localFirst.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.status)).toEqual(['ok', 'error']);
    expect(lines[1].error.message).toContain('list it first');
  });
});
