import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/cli.js';
import { S3_TEST_ENV } from '../helpers/s3-env.js';
import { startHttpServer, type TestServer } from '../helpers/http-server.js';

/**
 * The README's remote examples, run as written (from the README's own text) against servers on
 * 127.0.0.1: an HTTPS server with a certificate made here, s3rver, and a tar shard made here.
 */
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const SAMPLES = new URL('../../samples/', import.meta.url).pathname;

/** The commands of the code block after the "Datasets where they live" heading. */
function examples(): string[] {
  const section = README.slice(README.indexOf('### Datasets where they live'));
  const block = section.slice(section.indexOf('```sh') + 5, section.indexOf('```', section.indexOf('```sh') + 5));
  return block
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter(Boolean);
}

const ENV = S3_TEST_ENV;

let dir: string;
let https: TestServer;
let s3: S3rver;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'imgguard-readme-remote-'));
  // A certificate for 127.0.0.1, trusted by the CLI through NODE_EXTRA_CA_CERTS.
  const made = spawnSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
  ]);
  expect(made.status, `openssl: ${made.stderr}`).toBe(0);
  const sample = (n: string) => new Uint8Array(readFileSync(join(SAMPLES, n)));
  https = await startHttpServer(
    { '/cat.jpg': sample('photo.jpg'), '/dog.webp': sample('photo.webp') },
    {},
    { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') },
  );
  writeFileSync(join(dir, 'urls.txt'), `${https.url('/cat.jpg')}\n${https.url('/dog.webp')}\n`);

  s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: join(dir, 's3') });
  const { port } = await s3.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  await client.send(new CreateBucketCommand({ Bucket: 'my-bucket' }));
  for (const [key, file] of [
    ['train/0001.jpg', 'photo.jpg'],
    ['train/0002.png', 'scan-16bit.png'],
    ['train/0002.json', 'icon.svg'],
  ])
    await client.send(new PutObjectCommand({ Bucket: 'my-bucket', Key: key, Body: sample(file!) }));
  client.destroy();

  const src = join(dir, 'shard-src');
  mkdirSync(src);
  copyFileSync(join(SAMPLES, 'photo.jpg'), join(src, '000.jpg'));
  writeFileSync(join(src, '000.cls'), '3\n');
  copyFileSync(join(SAMPLES, 'logo-palette.png'), join(src, '001.png'));
  const tar = spawnSync('tar', ['-cf', join(dir, 'shard-000.tar'), '-C', src, '000.jpg', '000.cls', '001.png']);
  expect(tar.status).toBe(0);
  env = { ...ENV, AWS_ENDPOINT_URL: endpoint, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') };
});

afterAll(async () => {
  await https?.close();
  await s3?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the README remote examples', () => {
  it('are three: an https:// list, an s3:// prefix and a tar shard', () => {
    const cmds = examples();
    expect(cmds).toHaveLength(3);
    expect(cmds[0]).toMatch(/^imgguard check --files-from urls\.txt/);
    expect(cmds[1]).toMatch(/^imgguard check s3:\/\/my-bucket\/train\//);
    expect(cmds[2]).toMatch(/^imgguard check shard-000\.tar/);
  });

  it('run as written', async () => {
    const [list, prefix, shard] = examples().map((c) => c.split(/\s+/).slice(1));
    const a = await runCliAsync(list!, { env, cwd: dir });
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(a.stdout).toContain(https.url('/cat.jpg'));
    expect(a.stdout).toMatch(/2 files: 2 ok/);
    expect(a.stdout).toMatch(/remote: +2 objects, 2 requests/);

    const b = await runCliAsync(prefix!, { env, cwd: dir });
    expect(b.code).toBe(0);
    expect(b.stdout).toContain('s3://my-bucket/train/0001.jpg');
    expect(b.stdout).toContain('s3://my-bucket/train/0002.png');
    expect(b.stdout).not.toContain('0002.json');

    const c = await runCliAsync(shard!, { env, cwd: dir });
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('shard-000.tar!000.jpg');
    expect(c.stdout).toContain('shard-000.tar!001.png');
    expect(c.stdout).not.toContain('000.cls');
  });
});
