import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Client, PutObjectCommand, CreateBucketCommand } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { prepareCheck } from '../../src/check.js';
import type { InputEntry } from '../../src/inputs/walk.js';
import { expandListings } from '../../src/remote/listing.js';
import { checkMixed, expandShards, RemoteContext } from '../../src/remote/run.js';
import type { Result } from '../../src/result.js';
import { runCliAsync } from '../helpers/cli.js';
import { S3_TEST_ENV } from '../helpers/s3-env.js';

const sample = (n: string) => new Uint8Array(readFileSync(new URL(`../../samples/${n}`, import.meta.url)));

/** Only 127.0.0.1: the endpoint is s3rver's (see S3_TEST_ENV). */
const ENV = S3_TEST_ENV;

let dir: string;
let server: S3rver;
let endpoint: string;
const saved: Record<string, string | undefined> = {};
const KEYS = ['train/a.jpg', 'train/b.png', 'train/labels.json', 'train/sub/c.webp', 'val/d.gif', 'val/broken.png'];

beforeAll(async () => {
  for (const [k, v] of Object.entries(ENV)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  dir = mkdtempSync(join(tmpdir(), 'imgguard-s3rver-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir });
  const address = await server.run();
  endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1' });
  await client.send(new CreateBucketCommand({ Bucket: 'data' }));
  const bodies: Record<string, Uint8Array> = {
    'train/a.jpg': sample('photo.jpg'),
    'train/b.png': sample('scan-16bit.png'),
    'train/labels.json': new TextEncoder().encode('{}'),
    'train/sub/c.webp': sample('photo.webp'),
    'val/d.gif': sample('animated.gif'),
    'val/broken.png': sample('truncated.png'),
  };
  for (const k of KEYS) await client.send(new PutObjectCommand({ Bucket: 'data', Key: k, Body: bodies[k] }));
  // A tar shard as an object.
  const src = join(dir, 'shard-src');
  spawnSync('mkdir', ['-p', src]);
  spawnSync('cp', [new URL('../../samples/photo.jpg', import.meta.url).pathname, join(src, '0.jpg')]);
  spawnSync('sh', ['-c', `echo 3 > ${join(src, '0.cls')}`]);
  spawnSync('tar', ['-cf', join(dir, 'shard.tar'), '-C', src, '0.jpg', '0.cls']);
  await client.send(
    new PutObjectCommand({ Bucket: 'data', Key: 'shards/000.tar', Body: readFileSync(join(dir, 'shard.tar')) }),
  );
  client.destroy();
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const entry = (path: string): InputEntry => ({ path, explicit: true, rel: path });

async function run(paths: string[], options: ConstructorParameters<typeof RemoteContext>[1] = {}): Promise<Result[]> {
  const ctx = new RemoteContext(prepareCheck(), { s3: { endpoint }, ...options });
  const out: Result[] = [];
  const entries = expandShards(expandListings(paths.map(entry), ctx), ctx);
  for await (const r of checkMixed(entries, ctx, 8)) out.push(r);
  return out;
}

describe('s3:// inputs against s3rver', () => {
  it('checks one object by ranges, in one request', async () => {
    const [r] = await run(['s3://data/train/a.jpg']);
    expect(r).toMatchObject({ path: 's3://data/train/a.jpg', status: 'ok', format: 'jpeg', width: 320, requests: 1 });
    expect(r!.fileBytes).toBe(sample('photo.jpg').length);
  });

  it('walks a prefix like a folder: key order, every depth, --ext', async () => {
    const all = await run(['s3://data/train/']);
    expect(all.map((r) => r.path)).toEqual(KEYS.filter((k) => k.startsWith('train/')).map((k) => `s3://data/${k}`));
    const jpg = await run(['s3://data/'], { walk: { ext: ['jpg', 'webp'] } });
    // A .tar key is kept whatever --ext says: --ext picks among its members.
    expect(jpg.map((r) => r.path)).toEqual([
      's3://data/shards/000.tar!0.jpg',
      's3://data/train/a.jpg',
      's3://data/train/sub/c.webp',
    ]);
  });

  it('matches globs on keys', async () => {
    const r = await run(['s3://data/*/*.{png,gif}']);
    expect(r.map((x) => x.path)).toEqual(['s3://data/train/b.png', 's3://data/val/broken.png', 's3://data/val/d.gif']);
    expect(r.map((x) => x.status)).toEqual(['ok', 'corrupt', 'ok']);
  });

  it('--shard K/N splits a listing, each key in exactly one shard', async () => {
    const seen: string[] = [];
    for (const k of [1, 2, 3]) {
      for (const r of await run(['s3://data/'], { shard: { k, n: 3 } })) seen.push(r.path);
    }
    expect(seen.sort()).toEqual([...KEYS, 'shards/000.tar!0.jpg'].map((k) => `s3://data/${k}`).sort());
  });

  it('a missing key, a missing bucket and an empty prefix are error results', async () => {
    const r = await run(['s3://data/train/nope.jpg', 's3://nobucket/x.jpg', 's3://data/nothing/']);
    expect(r.map((x) => x.error?.code)).toEqual(['E_HTTP_404', 'E_HTTP_404', 'E_NOT_FOUND']);
    expect(r[0]!.error?.message).toContain('s3://data/train/nope.jpg');
  });

  it('an unknown access key is a 403 naming the object', async () => {
    // What s3rver checks: the access key ID must be one it knows (S3RVER). It does not verify
    // SigV4 signatures, so a wrong secret with a known key is let through; that case is shown
    // here as s3rver's behaviour, not imgguard's.
    process.env.AWS_ACCESS_KEY_ID = 'NOBODY';
    try {
      const [unknown] = await run(['s3://data/train/a.jpg']);
      expect(unknown!.status).toBe('error');
      expect(unknown!.error?.code).toBe('E_HTTP_403');
      expect(unknown!.error?.message).toContain('s3://data/train/a.jpg');
      expect(unknown!.error?.message).toContain('InvalidAccessKeyId');
      const listing = await run(['s3://data/train/']);
      expect(listing.map((r) => r.error?.code)).toEqual(['E_HTTP_403']);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = ENV.AWS_ACCESS_KEY_ID;
    }
    process.env.AWS_SECRET_ACCESS_KEY = 'wrong';
    try {
      const [r] = await run(['s3://data/train/a.jpg']);
      expect(r!.status).toBe('ok');
    } finally {
      process.env.AWS_SECRET_ACCESS_KEY = ENV.AWS_SECRET_ACCESS_KEY;
    }
  });

  it('anonymous access sends unsigned requests (s3rver lets them through)', async () => {
    // No credentials anywhere: a signed request would fail to find any.
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    try {
      const [r] = await run(['s3://data/train/a.jpg'], { s3: { endpoint, anonymous: true } });
      expect(r!.status).toBe('ok');
      const [signed] = await run(['s3://data/train/a.jpg']);
      expect(signed!.error?.code).toBe('E_CREDENTIALS');
      expect(signed!.error?.message).toContain('--s3-anonymous');
    } finally {
      process.env.AWS_ACCESS_KEY_ID = ENV.AWS_ACCESS_KEY_ID;
      process.env.AWS_SECRET_ACCESS_KEY = ENV.AWS_SECRET_ACCESS_KEY;
    }
  });

  it('reads a tar shard stored as an object', async () => {
    const r = await run(['s3://data/shards/000.tar']);
    expect(r.map((x) => `${x.path} ${x.status}`)).toEqual(['s3://data/shards/000.tar!0.jpg ok']);
  });

  it('imgguard check s3://bucket/prefix/ --s3-endpoint, and the endpoint from AWS_ENDPOINT_URL_S3', async () => {
    const env = { ...ENV };
    const a = await runCliAsync(['check', '--ndjson', '--s3-endpoint', endpoint, 's3://data/val/'], { env });
    expect(a.code).toBe(2);
    expect(
      a.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).path),
    ).toEqual(['s3://data/val/broken.png', 's3://data/val/d.gif']);
    const b = await runCliAsync(['check', '--summary', 's3://data/train/a.jpg'], {
      env: { ...env, AWS_ENDPOINT_URL_S3: endpoint },
    });
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/remote: +1 objects, 1 requests/);
  });

  it('a bad --s3-endpoint is a usage error', async () => {
    const r = await runCliAsync(['check', '--s3-endpoint', 'ftp://x', 's3://data/a.jpg'], { env: ENV });
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('--s3-endpoint');
  });
});
