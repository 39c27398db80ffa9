/** SeenPaths: each path counted once, through the table's growth, whatever the path. */
import { describe, expect, it } from 'vitest';
import { SeenPaths } from '../../src/inputs/seen.js';

describe('SeenPaths', () => {
  it('adds a path once: a second add of the same path says it was there', () => {
    const s = new SeenPaths();
    expect(s.add('a/b.png')).toBe(true);
    expect(s.add('a/b.png')).toBe(false);
    expect(s.add('a/b.PNG')).toBe(true);
    expect(s.add('')).toBe(true);
    expect(s.add('')).toBe(false);
    expect(s.size).toBe(3);
  });

  it('keeps every path through many growths, and tells 200,000 near-identical paths apart', () => {
    const s = new SeenPaths();
    const n = 200_000;
    for (let i = 0; i < n; i++) expect(s.add(`data/train/img-${i}.jpg`)).toBe(true);
    expect(s.size).toBe(n);
    let again = 0;
    for (let i = 0; i < n; i += 7) if (!s.add(`data/train/img-${i}.jpg`)) again++;
    expect(again).toBe(Math.ceil(n / 7));
    expect(s.size).toBe(n);
  });

  it('takes any UTF-16 content: names that differ only past the BMP or by a lone surrogate', () => {
    const s = new SeenPaths();
    for (const p of ['x/\u{1F600}.png', 'x/\u{1F601}.png', 'x/\uD800.png', 'x/\uDC00.png', 'x/\uFFFD.png', 'x\n.png']) {
      expect(s.add(p)).toBe(true);
    }
    expect(s.add('x/\u{1F600}.png')).toBe(false);
    expect(s.size).toBe(6);
  });
});
