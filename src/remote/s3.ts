import type { S3Client } from '@aws-sdk/client-s3';
import { ProbeFailure } from '../probe/failure.js';
import { lazyRequire } from '../require.js';
import type { FetchSettings } from './http.js';
import type { Chunk, RangeReader } from './reader.js';

type S3Module = typeof import('@aws-sdk/client-s3');

/** Where S3 requests go and how they are signed (docs/remote.md). */
export interface S3Settings {
  /** An S3-compatible endpoint; default AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL, then AWS. */
  endpoint?: string | undefined;
  /** Send requests unsigned (public buckets), without looking for credentials. */
  anonymous?: boolean | undefined;
}

/** `s3://bucket/key`: its bucket and key ('' or ending in `/` for a prefix to list). */
export function parseS3Url(url: string): { bucket: string; key: string } | null {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/is.exec(url);
  return m ? { bucket: m[1]!, key: m[2]! } : null;
}

/** Keys listed per request (S3's own maximum). */
const PAGE = 1000;

/**
 * S3 through the official client (`@aws-sdk/client-s3`), loaded only when an `s3://` input is met.
 * Credentials and region come from the standard chain (environment, shared files, profile,
 * instance roles); the client's own retries (with backoff) apply.
 */
export class S3Access {
  private client: S3Client | null = null;
  private sdk: S3Module | null = null;

  constructor(
    private readonly settings: S3Settings,
    private readonly fetch: FetchSettings,
  ) {}

  private open(): { client: S3Client; sdk: S3Module } {
    if (this.client === null || this.sdk === null) {
      const sdk = lazyRequire('@aws-sdk/client-s3') as S3Module;
      const env = process.env;
      const endpoint = this.settings.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
      const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (endpoint ? 'us-east-1' : undefined);
      this.client = new sdk.S3Client({
        ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
        ...(region ? { region } : {}),
        maxAttempts: this.fetch.retries + 1,
        requestHandler: {
          connectionTimeout: this.fetch.connectTimeoutMs,
          requestTimeout: this.fetch.idleTimeoutMs,
        },
        ...(this.settings.anonymous
          ? {
              // Unsigned requests: no credential lookup at all.
              credentials: { accessKeyId: '', secretAccessKey: '' },
              signer: { sign: async (request) => request },
            }
          : {}),
      });
      this.sdk = sdk;
    }
    return { client: this.client, sdk: this.sdk };
  }

  object(bucket: string, key: string, name: string): RangeReader {
    return {
      name,
      read: async (start, length): Promise<Chunk> => {
        const { client, sdk } = this.open();
        let out: Awaited<ReturnType<S3Client['send']>> & {
          Body?: AsyncIterable<Uint8Array> & { destroy?: () => void };
          ContentRange?: string;
          ContentLength?: number;
          $metadata: { attempts?: number };
        };
        try {
          out = (await client.send(
            new sdk.GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${start + length - 1}` }),
          )) as typeof out;
        } catch (e) {
          const requests = (e as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
          if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 416)
            return { start, bytes: new Uint8Array(0), total: start, eof: true, requests, wireBytes: 0 };
          throw s3Failure(e, name, requests);
        }
        const into = new Uint8Array(length);
        let got = 0;
        let wire = 0;
        const body = out.Body;
        if (body) {
          try {
            for await (const part of body) {
              wire += part.length;
              const n = Math.min(part.length, length - got);
              into.set(part.subarray(0, n), got);
              got += n;
              if (got === length) break;
            }
          } catch (e) {
            throw s3Failure(e, name, out.$metadata.attempts ?? 1);
          } finally {
            body.destroy?.();
          }
        }
        const m = /\/(\d+)$/.exec(out.ContentRange ?? '');
        const total = m ? Number(m[1]) : out.ContentRange === undefined ? (out.ContentLength ?? null) : null;
        const bytes = into.subarray(0, got);
        return {
          start,
          bytes,
          total,
          eof: total !== null && start + got >= total,
          requests: out.$metadata.attempts ?? 1,
          wireBytes: wire,
        };
      },
    };
  }

  /**
   * The keys under `prefix` in key order (S3 lists in UTF-8 byte order), one page of 1000 in
   * memory at a time.
   */
  async *list(bucket: string, prefix: string, name: string): AsyncGenerator<string> {
    const { client, sdk } = this.open();
    let token: string | undefined;
    do {
      let page: { Contents?: { Key?: string }[]; NextContinuationToken?: string; IsTruncated?: boolean };
      try {
        page = await client.send(
          new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: PAGE, ContinuationToken: token }),
        );
      } catch (e) {
        throw s3Failure(e, name, 1);
      }
      for (const o of page.Contents ?? []) if (o.Key !== undefined && !o.Key.endsWith('/')) yield o.Key;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  close(): void {
    this.client?.destroy();
    this.client = null;
  }
}

/** An S3 error as a result: its HTTP status as the code, or what kept the request from being made. */
function s3Failure(e: unknown, name: string, requests: number): ProbeFailure {
  const err = e as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  let f: ProbeFailure;
  if (status !== undefined && status >= 300)
    f = new ProbeFailure(`E_HTTP_${status}`, `S3 ${status} ${err.name ?? ''} for ${name}: ${err.message ?? ''}`.trim());
  else if (err.name === 'CredentialsProviderError')
    f = new ProbeFailure(
      'E_CREDENTIALS',
      `no AWS credentials found for ${name} (a public bucket: add --s3-anonymous): ${err.message ?? ''}`,
    );
  else if (err.name === 'TimeoutError' || err.code === 'ETIMEDOUT' || /timed? ?out/i.test(err.message ?? ''))
    f = new ProbeFailure('E_TIMEOUT', `S3 request for ${name} timed out: ${err.message ?? ''}`);
  else
    f = new ProbeFailure('E_NETWORK', `S3 request for ${name} failed: ${err.name ?? ''} ${err.message ?? ''}`.trim());
  f.requests = requests;
  return f;
}
