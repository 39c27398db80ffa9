import { describe, expect, it } from 'vitest';
import { compileGlob, hasMagic, matchSegments } from '../../src/inputs/glob.js';

const matches = (pattern: string, path: string) => matchSegments(compileGlob(pattern).segments, path.split('/'), false);

describe('glob matcher', () => {
  it('finds the literal prefix to walk from', () => {
    expect(compileGlob('data/imgs/**/*.jpg').base).toBe('data/imgs');
    expect(compileGlob('*.jpg').base).toBe('');
    expect(compileGlob('/abs/*.png').base).toBe('/abs');
  });
  it('matches segments', () => {
    expect(matches('**/*.jpg', 'a.jpg')).toBe(true);
    expect(matches('**/*.jpg', 'x/y/a.jpg')).toBe(true);
    expect(matches('*.jpg', 'x/a.jpg')).toBe(false);
    expect(matches('a/**/b/*.png', 'a/b/c.png')).toBe(true);
    expect(matches('a/**/b/*.png', 'a/x/y/b/c.png')).toBe(true);
    expect(matches('a/**/b/*.png', 'a/x/y/c.png')).toBe(false);
    expect(matches('*.{jpg,jp{e,}g}', 'p.jpeg')).toBe(true);
    expect(matches('*.{jpg,png}', 'p.gif')).toBe(false);
    expect(matches('file[0-9].png', 'file7.png')).toBe(true);
    expect(matches('file[^0-9].png', 'file7.png')).toBe(false);
    expect(matches('a+b(1).png', 'a+b(1).png')).toBe(true);
    expect(matches('\\*.png', '*.png')).toBe(true);
    expect(matches('\\*.png', 'x.png')).toBe(false);
  });
  it('prunes directories that cannot hold a match', () => {
    // Segments are relative to the literal prefix `a`.
    const { segments } = compileGlob('a/*/c/*.png');
    expect(matchSegments(segments, ['x'], true)).toBe(true);
    expect(matchSegments(segments, ['x', 'c'], true)).toBe(true);
    expect(matchSegments(segments, ['x', 'd'], true)).toBe(false);
    expect(matchSegments(segments, ['x', 'c', 'y'], true)).toBe(false);
    expect(matchSegments(compileGlob('a/b*/**/*.png').segments, ['c'], true)).toBe(false);
  });
  it('tells patterns from plain names', () => {
    expect(hasMagic('a/b.png')).toBe(false);
    expect(hasMagic('a/*.png')).toBe(true);
    expect(hasMagic('a/\\*.png')).toBe(false);
  });
});
