import { describe, expect, it } from 'vitest';
import {
  compileGlob,
  expandBraces,
  globWalks,
  hasMagic,
  matchAny,
  matchSegments,
  MAX_EXPANSIONS,
  splitPatterns,
} from '../../src/inputs/glob.js';
import { UserError } from '../../src/user-error.js';

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

  it('keeps the base of a single pattern as before, or caps it with maxBase', () => {
    expect(compileGlob('data/imgs/**/*.jpg', 1).base).toBe('data');
    expect(matchSegments(compileGlob('data/imgs/**/*.jpg', 1).segments, ['imgs', 'x', 'a.jpg'], false)).toBe(true);
    expect(matchSegments(compileGlob('data/imgs/**/*.jpg', 1).segments, ['other', 'a.jpg'], false)).toBe(false);
    expect(compileGlob('/abs/x/*.png', 1).base).toBe('/');
    expect(compileGlob('a/*.png', 0).base).toBe('');
  });
});

describe('brace expansion (braces containing /)', () => {
  it('leaves patterns without a brace that contains / untouched', () => {
    expect(expandBraces('data/**/*.{jpg,png}')).toEqual(['data/**/*.{jpg,png}']);
    expect(expandBraces('{src,test}/*.png')).toEqual(['{src,test}/*.png']);
    expect(expandBraces('plain/name.png')).toEqual(['plain/name.png']);
  });
  it('expands left to right, first alternative first, like a shell', () => {
    expect(expandBraces('data/{train/a,val}/*.jpg')).toEqual(['data/train/a/*.jpg', 'data/val/*.jpg']);
    expect(expandBraces('{a/x,b}/{c/y,d}.png')).toEqual(['a/x/c/y.png', 'a/x/d.png', 'b/c/y.png', 'b/d.png']);
  });
  it('expands nested braces, keeping the inner ones without / for the matcher', () => {
    expect(expandBraces('{a/{x,y},b/{c/d,e}}/*.png')).toEqual(['a/{x,y}/*.png', 'b/c/d/*.png', 'b/e/*.png']);
    expect(expandBraces('{a/b,}c')).toEqual(['a/bc', 'c']);
  });
  it('skips escapes and classes, and takes an unclosed { literally', () => {
    expect(expandBraces('{a\\,b/c,d}')).toEqual(['a\\,b/c', 'd']);
    expect(expandBraces('{[,}]/x,y}')).toEqual(['[,}]/x', 'y']);
    expect(expandBraces('x{a/b')).toEqual(['x{a/b']);
    expect(expandBraces('\\{a/b,c}')).toEqual(['\\{a/b,c}']);
  });
  it('refuses a brace bomb without building it', () => {
    const bomb = '{a/b,c}'.repeat(30);
    const t0 = Date.now();
    expect(() => expandBraces(bomb)).toThrow(UserError);
    expect(() => expandBraces(bomb)).toThrow(`expands to more than ${MAX_EXPANSIONS} patterns`);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(expandBraces('{a/b,c}'.repeat(10))).toHaveLength(1024);
    expect(() => expandBraces(`{${Array.from({ length: 1100 }, (_, i) => `d${i}/x`).join(',')}}`)).toThrow(UserError);
    expect(() => expandBraces('{a/'.repeat(40) + '}'.repeat(40))).toThrow(/nests braces/);
  });
});

describe('globWalks', () => {
  it("is one walk from the pattern's literal prefix when there is nothing to expand", () => {
    const [w, ...rest] = globWalks('data/**/*.png');
    expect(rest).toEqual([]);
    expect(w!.base).toBe('data');
    expect(w!.patterns).toEqual([compileGlob('data/**/*.png').segments]);
  });
  it('walks the alternatives together from the directory they share', () => {
    const walks = globWalks('data/{train/a,val}/*.jpg');
    expect(walks.map((w) => w.base)).toEqual(['data']);
    const m = (path: string) => matchAny(walks[0]!.patterns, path.split('/'), false);
    expect(m('train/a/1.jpg')).toBe(true);
    expect(m('val/2.jpg')).toBe(true);
    expect(m('train/b/3.jpg')).toBe(false);
    expect(matchAny(walks[0]!.patterns, ['train'], true)).toBe(true);
    expect(matchAny(walks[0]!.patterns, ['test'], true)).toBe(false);
    expect(globWalks('{src/a,test}/*.png').map((w) => w.base)).toEqual(['']);
    expect(globWalks('/m/{a/x,b}/*.png').map((w) => w.base)).toEqual(['/m']);
  });
  it('walks separately what one walk cannot reach: absolute beside relative, ., .. and hidden names', () => {
    expect(globWalks('{/abs/a,rel}/*.png').map((w) => w.base)).toEqual(['/abs/a', 'rel']);
    expect(globWalks('{../shared/x,.,src}/*.png').map((w) => w.base)).toEqual(['../shared/x', '.', 'src']);
    expect(globWalks('{.github/img,docs}/*.png').map((w) => w.base)).toEqual(['.github/img', 'docs']);
    // Same anchor: one walk again.
    expect(globWalks('{../a/x,../b}/*.png').map((w) => w.base)).toEqual(['..']);
  });
  it('drops repeated alternatives', () => {
    expect(globWalks('{a/x,a/x}/*.png')[0]!.patterns).toHaveLength(1);
  });
});

describe('splitPatterns', () => {
  it('splits at commas outside braces, classes and escapes', () => {
    expect(splitPatterns('*.tmp, thumbs ,*.{bak,old}')).toEqual(['*.tmp', 'thumbs', '*.{bak,old}']);
    expect(splitPatterns('a\\,b,[,]x')).toEqual(['a\\,b', '[,]x']);
    expect(splitPatterns('')).toEqual([]);
    expect(splitPatterns(',,')).toEqual([]);
  });
});
