import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSync, prepareCheck } from '../../src/check.js';
import { HttpClient } from '../../src/remote/http.js';
import { checkRemote, RemoteContext } from '../../src/remote/run.js';
import { startHttpServer, type TestServer } from '../helpers/http-server.js';

const SAMPLES = new URL('../../samples/', import.meta.url);
const samples = Object.fromEntries(
  readdirSync(SAMPLES).map((n) => [`/samples/${n}`, new Uint8Array(readFileSync(new URL(n, SAMPLES)))]),
);
const photo = samples['/samples/photo.jpg']!;
const big = samples['/samples/scan-16bit.png']!;

/** photo.jpg with a 60 KB APP1 segment after SOI: its frame header lies past the first window. */
function jpegWithBigExif(): Uint8Array {
  const app1 = new Uint8Array(60000);
  app1.set([0xff, 0xe1, (59998 >> 8) & 255, 59998 & 255]);
  app1.set(Buffer.from('Exif\0\0'), 4);
  const out = new Uint8Array(2 + app1.length + photo.length - 2);
  out.set(photo.subarray(0, 2));
  out.set(app1, 2);
  out.set(photo.subarray(2), 2 + app1.length);
  return out;
}

// Short timeouts and backoff: every fault is met within a test's time.
const FAST = { connectTimeoutMs: 2000, idleTimeoutMs: 400, retryBaseMs: 5, retries: 2 };

let server: TestServer;
const ctx = () => new RemoteContext(prepareCheck(), { fetch: FAST });

beforeAll(async () => {
  server = await startHttpServer(
    { ...samples, '/big-exif.jpg': jpegWithBigExif(), '/empty.jpg': new Uint8Array(0), '/slow.jpg': photo },
    {
      '/ignore-range.png': {},
      '/slow.jpg': { latencyMs: 50 },
      '/drop.png': { dropAfter: 100 },
      '/flaky.jpg': { failFirst: { status: 500, times: 1 } },
      '/busy.jpg': { failFirst: { status: 429, times: 2, retryAfter: '0' } },
      '/down.jpg': { failFirst: { status: 503, times: 100 } },
      '/loop.jpg': { redirect: '/loop.jpg' },
      '/moved.jpg': { redirect: '/samples/photo.jpg' },
      '/to-file.jpg': { redirect: 'file:///etc/passwd' },
      '/forbidden.jpg': { status: 403 },
      '/stall.jpg': { stall: true },
      '/stall-body.png': { stallBody: true },
      '/gzip.jpg': { contentEncoding: 'gzip' },
    },
  );
});
afterAll(() => server.close());

describe('remote objects over HTTP', () => {
  it('gives every sample the verdict a local check gives, in one request each', async () => {
    const c = ctx();
    for (const name of Object.keys(samples)) {
      const remote = await checkRemote(server.url(name), c);
      const local = checkSync(new URL(name.slice('/samples/'.length), SAMPLES).pathname);
      const { path: _p, headerBytes: _h, requests, ...rest } = remote;
      const { path: _q, headerBytes: _i, ...expected } = local;
      expect(rest, name).toEqual(expected);
      expect(requests, name).toBe(1);
      expect(remote.headerBytes, name).toBeLessThanOrEqual(16 * 1024);
      expect(remote.fileBytes, name).toBe(samples[name]!.length);
    }
    c.close();
  });

  it('fetches more when the header goes past the first window, and says so', async () => {
    const r = await checkRemote(server.url('/big-exif.jpg'), ctx());
    expect(r.status).toBe('ok');
    expect([r.width, r.height]).toEqual([checkSync('samples/photo.jpg').width, checkSync('samples/photo.jpg').height]);
    expect(r.requests).toBe(2);
    expect(r.fileBytes).toBe(jpegWithBigExif().length);
    const ranges = server.ranges.filter((x) => x.path === '/big-exif.jpg').map((x) => x.range);
    // The reader skips the APP1 segment: the second request starts where the frame header is.
    expect(ranges).toEqual(['bytes=0-16383', `bytes=60002-${jpegWithBigExif().length - 1}`]);
  });

  it('reuses kept-alive connections', async () => {
    const before = server.connections;
    const c = ctx();
    // A partial answer (the PNG is larger than the first window) keeps its connection too.
    for (let i = 0; i < 10; i++)
      await checkRemote(server.url(i % 2 ? '/samples/photo.jpg' : '/samples/scan-16bit.png'), c);
    c.close();
    expect(server.connections - before).toBe(1);
  });

  it('cuts off the body of a server that ignores Range', async () => {
    // Trailing bytes after the image do not change its header.
    const huge = new Uint8Array(big.length + 8 * 1024 * 1024);
    huge.set(big);
    const s = await startHttpServer({ '/big.png': huge }, { '/big.png': { ignoreRange: true } });
    try {
      const r = await checkRemote(s.url('/big.png'), ctx());
      expect(r.status).toBe('ok');
      expect(r.fileBytes).toBe(huge.length);
      // The first window and what came with it in the same socket reads; never the whole body.
      expect(r.headerBytes).toBeLessThan(512 * 1024);
    } finally {
      await s.close();
    }
  });

  it('reads an empty object as empty', async () => {
    const r = await checkRemote(server.url('/empty.jpg'), ctx());
    expect(r.error?.code).toBe('E_EMPTY');
    expect(r.fileBytes).toBe(0);
  });

  it('waits out latency', async () => {
    const r = await checkRemote(server.url('/slow.jpg'), ctx());
    expect(r.status).toBe('ok');
    expect(r.requests).toBe(1);
  });

  it('retries after a connection dropped inside the body, then fails with E_NETWORK', async () => {
    const s = await startHttpServer({ '/drop.png': big }, { '/drop.png': { dropAfter: 100 } });
    try {
      const r = await checkRemote(s.url('/drop.png'), ctx());
      expect(r.status).toBe('error');
      expect(r.error?.code).toBe('E_NETWORK');
      expect(r.error?.message).toContain('/drop.png');
      expect(r.requests).toBe(1 + FAST.retries);
    } finally {
      await s.close();
    }
  });

  it('retries a 500 and succeeds on the next try', async () => {
    const s = await startHttpServer(
      { '/flaky.jpg': photo },
      { '/flaky.jpg': { failFirst: { status: 500, times: 1 } } },
    );
    try {
      const r = await checkRemote(s.url('/flaky.jpg'), ctx());
      expect(r.status).toBe('ok');
      expect(r.requests).toBe(2);
    } finally {
      await s.close();
    }
  });

  it('retries a 429 (honouring Retry-After) and succeeds', async () => {
    const s = await startHttpServer(
      { '/busy.jpg': photo },
      { '/busy.jpg': { failFirst: { status: 429, times: 2, retryAfter: '0' } } },
    );
    try {
      const r = await checkRemote(s.url('/busy.jpg'), ctx());
      expect(r.status).toBe('ok');
      expect(r.requests).toBe(3);
    } finally {
      await s.close();
    }
  });

  it('gives up on a server that keeps failing, with its status as the code', async () => {
    const r = await checkRemote(server.url('/down.jpg'), ctx());
    expect(r.status).toBe('error');
    expect(r.error?.code).toBe('E_HTTP_503');
    expect(r.requests).toBe(1 + FAST.retries);
  });

  it('names 404 and 403 by their status, without retrying', async () => {
    const missing = await checkRemote(server.url('/nothing-here.jpg'), ctx());
    expect(missing.error?.code).toBe('E_HTTP_404');
    expect(missing.error?.message).toContain('/nothing-here.jpg');
    expect(missing.requests).toBe(1);
    const forbidden = await checkRemote(server.url('/forbidden.jpg'), ctx());
    expect(forbidden.error?.code).toBe('E_HTTP_403');
    expect(forbidden.requests).toBe(1);
  });

  it('follows a redirect, and stops a redirect loop', async () => {
    const moved = await checkRemote(server.url('/moved.jpg'), ctx());
    expect(moved.status).toBe('ok');
    expect(moved.requests).toBe(2);
    const loop = await checkRemote(server.url('/loop.jpg'), ctx());
    expect(loop.error?.code).toBe('E_TOO_MANY_REDIRECTS');
    expect(loop.requests).toBe(6);
  });

  it('never follows a redirect to another scheme', async () => {
    const r = await checkRemote(server.url('/to-file.jpg'), ctx());
    expect(r.error?.code).toBe('E_BAD_REDIRECT');
    expect(r.error?.message).toContain('file:');
  });

  it('times out a server that answers nothing, and one that stalls inside the body', async () => {
    for (const path of ['/stall.jpg', '/stall-body.png']) {
      const s = await startHttpServer(
        { '/stall-body.png': big },
        { [path]: path === '/stall.jpg' ? { stall: true } : { stallBody: true } },
      );
      try {
        const t0 = Date.now();
        const r = await checkRemote(s.url(path), ctx());
        expect(r.error?.code, path).toBe('E_TIMEOUT');
        expect(Date.now() - t0).toBeLessThan(5000);
      } finally {
        await s.close();
      }
    }
  });

  it('times out a connection that is never accepted', async () => {
    // A listening socket with a full backlog is hard to make portably; an unroutable port is
    // refused at once instead: E_NETWORK, with no retry.
    const r = await checkRemote('http://127.0.0.1:1/x.jpg', ctx());
    expect(r.error?.code).toBe('E_NETWORK');
    expect(r.requests).toBe(1);
  });

  it('refuses a compressed body it did not ask for', async () => {
    const s = await startHttpServer({ '/gzip.jpg': photo }, { '/gzip.jpg': { contentEncoding: 'gzip' } });
    try {
      const r = await checkRemote(s.url('/gzip.jpg'), ctx());
      expect(r.error?.code).toBe('E_BAD_RESPONSE');
    } finally {
      await s.close();
    }
  });

  it('never fetches more than the byte cap', async () => {
    const c = new RemoteContext(prepareCheck({ limits: { maxBytes: 17000, maxReads: 4096 } }), { fetch: FAST });
    const r = await checkRemote(server.url('/big-exif.jpg'), c);
    expect(r.status).toBe('corrupt');
    expect(r.error?.code).toBe('E_HEADER_TOO_LARGE');
    expect(r.headerBytes).toBeLessThanOrEqual(17000);
  });

  it('closes its connections', async () => {
    const client = new HttpClient(FAST);
    const reader = client.object(server.url('/samples/photo.jpg'), 1 << 20);
    const c = await reader.read(0, 10);
    expect(c.bytes.length).toBe(10);
    expect(c.total).toBe(photo.length);
    client.close();
  });
});
