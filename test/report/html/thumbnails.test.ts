import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharpLoads } from '../../../src/decode/sharp.js';
import type { Row } from '../../../src/report/html/model.js';
import { makeThumbnails, THUMBNAIL_LIMITS } from '../../../src/report/html/thumbnails.js';
import { makePng } from '../../helpers/bytes.js';

const dir = mkdtempSync(join(tmpdir(), 'imgguard-thumbs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const row = (p: string, s: Row['s'], w: number | null = null, h: number | null = null): Row => ({
  p,
  s,
  f: 'png',
  w,
  h,
  d: null,
  b: null,
  r: null,
  c: null,
  n: 1,
});

describe('makeThumbnails', () => {
  it('never hands a file to the decoder when even a thumbnail would not fit the budget', async () => {
    // A PNG decodes whole (no shrink-on-load), so 30000 × 30000 needs gigabytes whatever the size asked.
    const bomb = join(dir, 'bomb.png');
    writeFileSync(bomb, makePng({ width: 30000, height: 30000 }));
    const thumbs = await makeThumbnails([row(bomb, 'ok')], 1024n * 1024n);
    expect(thumbs.byPath.get(bomb)).toEqual({ text: 'no preview fits the budget' });
    expect(sharpLoads()).toBe(0);
  });

  it('uses placeholders for verdicts that are never decoded, with the dimensions', async () => {
    const thumbs = await makeThumbnails(
      [row('a', 'over_budget', 9000, 8000), row('b', 'unsupported'), row('c', 'error')],
      1n << 30n,
    );
    expect([...thumbs.byPath.values()]).toEqual([
      { text: '9000×8000: over budget, not decoded' },
      { text: 'not decodable here' },
      { text: 'could not be read' },
    ]);
  });

  it('states its caps, and keeps a failed decode to a placeholder', async () => {
    const thumbs = await makeThumbnails([row(join(dir, 'missing.png'), 'corrupt')], 1n << 30n);
    expect(thumbs.byPath.get(join(dir, 'missing.png'))).toEqual({ text: 'corrupt: no preview' });
    expect(thumbs.caps).toContain(`at most ${THUMBNAIL_LIMITS.count} images`);
  });
});
