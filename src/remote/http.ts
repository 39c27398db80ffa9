import type { Agent, ClientRequest, IncomingMessage } from 'node:http';
import { ProbeFailure } from '../probe/failure.js';
import { lazyRequire } from '../require.js';
import type { Chunk, RangeReader } from './reader.js';

/** How patient and persistent remote reads are. Defaults in FETCH_DEFAULTS (docs/remote.md). */
export interface FetchSettings {
  /** Longest wait for a TCP (and TLS) connection. */
  connectTimeoutMs: number;
  /** Longest silence from a server while waiting for a response or inside its body. */
  idleTimeoutMs: number;
  /** Retries after a 5xx, a 429 or a dropped connection (the first try not counted). */
  retries: number;
  /** First retry's delay; each further one doubles it, with jitter. */
  retryBaseMs: number;
  /** Longest wait a server's Retry-After may ask for. */
  maxRetryAfterMs: number;
  /** Redirects followed per read. */
  maxRedirects: number;
  /** Connections kept open per host. */
  maxSockets: number;
}

export const FETCH_DEFAULTS: FetchSettings = {
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 30_000,
  retries: 3,
  retryBaseMs: 250,
  maxRetryAfterMs: 10_000,
  maxRedirects: 5,
  maxSockets: 64,
};

/** A redirect or a body larger than this is not read; the connection is dropped instead. */
const DRAIN_LIMIT = 16 * 1024;
const USER_AGENT = 'imgguard (header probe; https://www.npmjs.com/package/imgguard)';

type Attempt =
  | { kind: 'chunk'; chunk: Chunk }
  | { kind: 'redirect'; location: string }
  | { kind: 'retry'; failure: ProbeFailure; afterMs: number | null };

/**
 * HTTP(S) ranged reads with kept-alive connections, shared by every object of a run. Node's
 * http modules load only when the first remote object is read.
 */
export class HttpClient {
  readonly settings: FetchSettings;
  private agents: { http: Agent; https: Agent } | null = null;

  constructor(settings: Partial<FetchSettings> = {}) {
    this.settings = { ...FETCH_DEFAULTS, ...settings };
  }

  /** `skipCap`: most bytes dropped before the wanted ones when a server ignores Range. */
  object(url: string, skipCap: number): RangeReader {
    return new HttpObject(this, url, skipCap);
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agents?.http.destroy();
    this.agents?.https.destroy();
    this.agents = null;
  }

  /** One request for `length` bytes at `start` (no retry, no redirect). */
  attempt(url: URL, start: number, length: number, skipCap: number): Promise<Attempt> {
    const protocol = url.protocol === 'https:' ? 'https' : 'http';
    const mod = lazyRequire(`node:${protocol}`) as typeof import('node:https');
    if (this.agents === null) {
      const options = { keepAlive: true, maxSockets: this.settings.maxSockets, scheduling: 'lifo' as const };
      this.agents = {
        http: new (lazyRequire('node:http') as typeof import('node:http')).Agent(options),
        https: new (lazyRequire('node:https') as typeof import('node:https')).Agent(options),
      };
    }
    const s = this.settings;
    return new Promise<Attempt>((resolve) => {
      let settled = false;
      let connectTimer: NodeJS.Timeout | undefined;
      const settle = (a: Attempt): void => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        resolve(a);
      };
      const fail = (code: ConstructorParameters<typeof ProbeFailure>[0], message: string) =>
        settle({ kind: 'retry', failure: new ProbeFailure(code, `${message} (${url.href})`), afterMs: -1 });
      const req: ClientRequest = mod.request(url, {
        agent: this.agents![protocol],
        headers: {
          range: `bytes=${start}-${start + length - 1}`,
          'accept-encoding': 'identity',
          'user-agent': USER_AGENT,
        },
      });
      req.on('socket', (socket) => {
        if (!socket.connecting) return;
        connectTimer = setTimeout(() => {
          fail('E_TIMEOUT', `no connection within ${s.connectTimeoutMs / 1000} s`);
          req.destroy();
        }, s.connectTimeoutMs);
        socket.once('connect', () => clearTimeout(connectTimer));
      });
      req.setTimeout(s.idleTimeoutMs, () => {
        fail('E_TIMEOUT', `the server sent nothing for ${s.idleTimeoutMs / 1000} s`);
        req.destroy();
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (settled) return;
        const code = e.code ?? '';
        if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') {
          settle({
            kind: 'retry',
            failure: new ProbeFailure('E_NETWORK', `the connection was reset (${url.href})`),
            afterMs: null,
          });
        } else fail('E_NETWORK', `cannot reach the server: ${e.message}`);
      });
      req.on('response', (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        const drop = () => {
          const length = Number(res.headers['content-length']);
          if (Number.isFinite(length) && length <= DRAIN_LIMIT) res.resume();
          else res.destroy();
        };
        if (status >= 300 && status < 400 && status !== 304 && res.headers.location) {
          drop();
          settle({ kind: 'redirect', location: res.headers.location });
          return;
        }
        if (status === 429 || status >= 500) {
          drop();
          const after = retryAfterMs(res.headers['retry-after']);
          settle({ kind: 'retry', failure: httpFailure(status, res.statusMessage, url), afterMs: after });
          return;
        }
        if (status === 416) {
          // Nothing at `start`: the object ends before it (an empty object asked for its first bytes).
          drop();
          const total = contentRangeTotal(res.headers['content-range']);
          const chunk = { start, bytes: new Uint8Array(0), total, eof: true, requests: 0, wireBytes: 0 };
          settle({ kind: 'chunk', chunk });
          return;
        }
        if (status !== 200 && status !== 206) {
          drop();
          settle({ kind: 'retry', failure: httpFailure(status, res.statusMessage, url), afterMs: -1 });
          return;
        }
        const encoding = res.headers['content-encoding'];
        if (encoding && encoding !== 'identity') {
          res.destroy();
          fail('E_BAD_RESPONSE', `the server compressed the body (${encoding}) though asked not to`);
          return;
        }
        let total: number | null;
        let skip: number;
        if (status === 206) {
          const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.headers['content-range'] ?? '');
          if (!range || Number(range[1]) !== start) {
            res.destroy();
            fail('E_BAD_RESPONSE', `a partial response for other bytes than asked (${res.headers['content-range']})`);
            return;
          }
          total = range[3] === '*' ? null : Number(range[3]);
          skip = 0;
        } else {
          // Range ignored: the whole body comes. Bytes before `start` are counted and dropped; the
          // connection is cut once the wanted ones have arrived.
          const length = Number(res.headers['content-length']);
          total = res.headers['content-length'] !== undefined && Number.isSafeInteger(length) ? length : null;
          skip = start;
          if (skip > skipCap) {
            res.destroy();
            settle({
              kind: 'retry',
              failure: new ProbeFailure(
                'E_HEADER_TOO_LARGE',
                `the server ignores Range requests, and the header needs bytes at offset ${start}, past the read cap`,
              ),
              afterMs: -1,
            });
            return;
          }
        }
        const bodyLength = Number(res.headers['content-length']);
        const into = new Uint8Array(length);
        let got = 0;
        let wire = 0;
        let done = false;
        const finish = (eof: boolean) => {
          done = true;
          const bytes = into.subarray(0, got);
          settle({ kind: 'chunk', chunk: { start, bytes, total, eof, requests: 0, wireBytes: wire } });
        };
        res.on('data', (data: Buffer) => {
          if (done) return;
          wire += data.length;
          let part: Uint8Array = data;
          if (skip > 0) {
            const n = Math.min(skip, part.length);
            skip -= n;
            part = part.subarray(n);
          }
          const n = Math.min(part.length, length - got);
          into.set(part.subarray(0, n), got);
          got += n;
          if (got === length) {
            // All asked for. A body longer than that (a whole body, or a partial one larger than
            // asked) is not read, nor its connection kept; one of the asked length ends by itself
            // and its connection goes back to the pool.
            if ((status === 200 || bodyLength !== length) && !res.complete) res.destroy();
            finish(total !== null && start + got >= total);
          }
        });
        res.on('end', () => {
          if (done) return;
          if (total === null && status === 200) total = start + got;
          finish(true);
        });
        res.on('close', () => {
          if (!done && !res.complete)
            settle({
              kind: 'retry',
              failure: new ProbeFailure('E_NETWORK', `the connection dropped inside the body (${url.href})`),
              afterMs: null,
            });
        });
        res.on('error', () => {});
      });
      req.end();
    });
  }
}

class HttpObject implements RangeReader {
  /** Where reads go: the URL given, or where it last redirected to. */
  private url: URL | null = null;

  constructor(
    private readonly client: HttpClient,
    readonly name: string,
    private readonly skipCap: number,
  ) {}

  async read(start: number, length: number): Promise<Chunk> {
    const s = this.client.settings;
    let url = this.url;
    if (url === null) {
      try {
        url = new URL(this.name);
      } catch {
        throw new ProbeFailure('E_NOT_FOUND', 'not a valid URL');
      }
    }
    let requests = 0;
    let wire = 0;
    let redirects = 0;
    let retries = 0;
    for (;;) {
      requests++;
      const a = await this.client.attempt(url, start, length, this.skipCap);
      if (a.kind === 'chunk') {
        this.url = url;
        wire += a.chunk.wireBytes;
        return { ...a.chunk, requests, wireBytes: wire };
      }
      if (a.kind === 'redirect') {
        if (++redirects > s.maxRedirects)
          throw counted(
            new ProbeFailure('E_TOO_MANY_REDIRECTS', `more than ${s.maxRedirects} redirects (last: ${url.href})`),
            requests,
          );
        let next: URL;
        try {
          next = new URL(a.location, url);
        } catch {
          throw counted(
            new ProbeFailure('E_BAD_REDIRECT', `a redirect to an invalid URL (from ${url.href})`),
            requests,
          );
        }
        // Only to http: or https:, and never from https: down to http:.
        if (next.protocol !== url.protocol && !(url.protocol === 'http:' && next.protocol === 'https:'))
          throw counted(
            new ProbeFailure('E_BAD_REDIRECT', `a redirect from ${url.protocol} to ${next.protocol} is not followed`),
            requests,
          );
        url = next;
        continue;
      }
      // afterMs -1: a failure no retry can mend.
      if (a.afterMs === -1 || retries >= s.retries) throw counted(a.failure, requests);
      const backoff = s.retryBaseMs * 2 ** retries * (0.5 + Math.random() / 2);
      retries++;
      await new Promise((r) => setTimeout(r, a.afterMs !== null ? Math.min(a.afterMs, s.maxRetryAfterMs) : backoff));
    }
  }
}

function counted(f: ProbeFailure, requests: number): ProbeFailure {
  f.requests = requests;
  return f;
}

function httpFailure(status: number, text: string | undefined, url: URL): ProbeFailure {
  return new ProbeFailure(`E_HTTP_${status}`, `HTTP ${status}${text ? ` ${text}` : ''} for ${url.href}`);
}

/** The total of a Content-Range (`bytes 0-99/1234`, or a 416 answer's star form), or null. */
function contentRangeTotal(header: string | undefined): number | null {
  const m = /\/(\d+)$/.exec(header ?? '');
  return m ? Number(m[1]) : null;
}

/** Retry-After in seconds (a date is not honoured: clocks differ), or null. */
function retryAfterMs(header: string | undefined): number | null {
  if (header === undefined || !/^\d+$/.test(header.trim())) return null;
  return Number(header) * 1000;
}
