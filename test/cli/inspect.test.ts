import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InspectSchema } from '../../src/decode/inspect.js';
import { cli } from '../helpers/decode-cli.js';
import { sharp, tempDir } from '../helpers/sharp.js';

const { dir, cleanup } = tempDir();
afterAll(cleanup);

describe('inspect', () => {
  it('--json matches the schema; header facts, estimate and stats agree with sharp', async () => {
    const path = join(dir, 'half.png');
    await sharp({ create: { width: 64, height: 32, channels: 4, background: { r: 200, g: 10, b: 30, alpha: 0.5 } } })
      .png()
      .withMetadata({ orientation: 8 })
      .toFile(path);
    const r = cli(['inspect', path, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const report = InspectSchema.parse(JSON.parse(r.stdout));
    const meta = await sharp(path).metadata();
    const stats = await sharp(path).stats();
    expect(report.status).toBe('ok');
    expect(report.header).toMatchObject({
      format: 'png',
      width: meta.width,
      height: meta.height,
      channels: meta.channels,
      orientation: 8,
      orientedWidth: 32,
      orientedHeight: 64,
    });
    expect(report.estimate!.decodedBytes).toBe(64 * 32 * 4);
    expect(report.estimate!.peakBytes).toBeGreaterThanOrEqual(report.estimate!.decodedBytes);
    expect(report.estimate!.arithmetic[0]).toContain('64 × 32 × 4 bands × 1 byte');
    expect(report.metadata!.exifBytes).toBe(meta.exif!.length);
    expect(report.stats!.isOpaque).toBe(false);
    expect(report.stats!.channels.map((c) => c.mean)).toEqual(stats.channels.map((c) => c.mean));
    expect(report.stats!.dominant).toEqual(stats.dominant);
  });

  it('over budget: header facts and the estimate, no stats, exit 1', async () => {
    const path = join(dir, 'big.png');
    await sharp({ create: { width: 300, height: 300, channels: 3, background: '#123' } })
      .png()
      .toFile(path);
    const r = cli(['inspect', path, '--json', '--budget', '100kB'], { noSharp: true });
    expect(r.status).toBe(1);
    const report = InspectSchema.parse(JSON.parse(r.stdout));
    expect(report.status).toBe('over_budget');
    expect(report.estimate!.fits).toBe(false);
    expect(report.estimate!.fitScale).toBeNull();
    expect(report.stats).toBeNull();
    expect(report.metadata).toBeNull();
  });

  it('an unreadable header: corrupt, exit 2, still schema-valid', () => {
    const path = join(dir, 'bad.png');
    writeFileSync(path, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
    const r = cli(['inspect', path, '--json']);
    expect(r.status).toBe(2);
    const report = InspectSchema.parse(JSON.parse(r.stdout));
    expect(report.status).toBe('corrupt');
    expect(report.header).toBeNull();
  });

  it('the readable report shows the arithmetic and the statistics', async () => {
    const path = join(dir, 'plain.png');
    await sharp({ create: { width: 10, height: 10, channels: 3, background: '#808080' } })
      .png()
      .toFile(path);
    const r = cli(['inspect', path]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('10 × 10 × 3 bands × 1 byte = 300');
    expect(r.stdout).toMatch(/opaque\s+yes/);
    expect(r.stdout).toMatch(/band 0: min 128 max 128/);
  });
});
