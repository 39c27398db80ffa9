import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/** How the server misbehaves for one path (all off by default). */
export interface Fault {
  /** Added before every response. */
  latencyMs?: number;
  /** Answer 200 with the whole body whatever Range asks. */
  ignoreRange?: boolean;
  /** Send this many bytes of the body, then destroy the connection. */
  dropAfter?: number;
  /** Answer this status to the first `times` requests (then normally). */
  failFirst?: { status: number; times: number; retryAfter?: string };
  /** Answer a redirect to this location (relative or absolute). */
  redirect?: string;
  /** Send the headers, then nothing: a stalled body. */
  stallBody?: boolean;
  /** Send nothing at all. */
  stall?: boolean;
  /** Answer this status always. */
  status?: number;
  /** Send the body gzip-labelled. */
  contentEncoding?: string;
}

export interface TestServer {
  base: string;
  url(path: string): string;
  /** Requests seen per path. */
  hits: Map<string, number>;
  /** Range headers seen, in order. */
  ranges: { path: string; range: string | undefined }[];
  /** Connections opened so far (keep-alive reuse keeps it low). */
  connections: number;
  /** Most requests being answered at once. */
  maxInFlight: number;
  close(): Promise<void>;
}

/**
 * A real HTTP (or, given a key and certificate, HTTPS) server on 127.0.0.1 (an ephemeral port)
 * serving `files` with Range support, and the faults of `faults` per path.
 */
export async function startHttpServer(
  files: Record<string, Uint8Array>,
  faults: Record<string, Fault> = {},
  tls?: { key: string; cert: string },
): Promise<TestServer> {
  const hits = new Map<string, number>();
  const ranges: TestServer['ranges'] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    ranges.push({ path, range: req.headers.range });
    const fault = faults[path] ?? {};
    if (fault.stall) return;
    if (fault.failFirst && n <= fault.failFirst.times) {
      const headers: Record<string, string> = { 'content-length': '5' };
      if (fault.failFirst.retryAfter !== undefined) headers['retry-after'] = fault.failFirst.retryAfter;
      res.writeHead(fault.failFirst.status, headers).end('oops\n');
      return;
    }
    if (fault.status) {
      res.writeHead(fault.status, { 'content-length': '0' }).end();
      return;
    }
    if (fault.redirect) {
      res.writeHead(302, { location: fault.redirect, 'content-length': '0' }).end();
      return;
    }
    const body = files[path];
    if (!body) {
      res.writeHead(404, { 'content-length': '0' }).end();
      return;
    }
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const headers: Record<string, string | number> = { 'accept-ranges': 'bytes' };
    if (fault.contentEncoding) headers['content-encoding'] = fault.contentEncoding;
    let part = body;
    let status = 200;
    if (m && !fault.ignoreRange) {
      const start = Number(m[1]);
      const end = Math.min(m[2] ? Number(m[2]) : body.length - 1, body.length - 1);
      if (start >= body.length) {
        res.writeHead(416, { 'content-range': `bytes */${body.length}`, 'content-length': '0' }).end();
        return;
      }
      part = body.subarray(start, end + 1);
      status = 206;
      headers['content-range'] = `bytes ${start}-${end}/${body.length}`;
    }
    headers['content-length'] = part.length;
    res.writeHead(status, headers);
    if (fault.stallBody) {
      res.flushHeaders();
      return;
    }
    if (fault.dropAfter !== undefined) {
      res.write(part.subarray(0, fault.dropAfter), () => res.socket?.destroy());
      return;
    }
    res.end(part);
  };
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const fault = faults[decodeURIComponent((req.url ?? '/').split('?')[0]!)];
    if (fault?.latencyMs) setTimeout(() => handle(req, res), fault.latencyMs);
    else handle(req, res);
  };
  const server = tls ? createTlsServer(tls, listener) : createServer(listener);
  server.on(tls ? 'secureConnection' : 'connection', (s) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    base,
    url: (path) => base + path,
    hits,
    ranges,
    get connections() {
      return connections;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
