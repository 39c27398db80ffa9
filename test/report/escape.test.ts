import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { humanName } from '../../src/report/escape.js';
import { sharp, tempDir } from '../helpers/sharp.js';
import { cli } from '../helpers/tree.js';

/** Everything a terminal or a CI runner would act on. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('humanName', () => {
  it.each([
    ['a\nb', 'a\\x0ab'],
    ['\x1b[31mred', '\\x1b[31mred'],
    ['del\x7f', 'del\\x7f'],
    ['c1\u0085\u009b', 'c1\\x85\\x9b'],
    ['gpj.\u202eexe', 'gpj.\\u{202e}exe'],
    ['\u2066iso\u2069', '\\u{2066}iso\\u{2069}'],
    ['lone \ud800 surrogate', 'lone \\u{d800} surrogate'],
  ])('escapes %j', (raw, shown) => expect(humanName(raw)).toBe(shown));
  it('keeps everything else, emoji and accents included', () => {
    for (const s of ['plain.png', 'été 😀.jpg', 'a\\b', '日本.png']) expect(humanName(s)).toBe(s);
  });
});

/** A name that would be GitHub workflow commands, terminal colours and a reversed extension. */
const EVIL = 'a\n::add-mask::x\n\x1b[31m\u202egnp\u0085.png';

describe('names with control characters, in every command and reporter', () => {
  let dir: string;
  let cleanup: () => void;
  let good: string;
  let bad: string;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('imgguard-esc-'));
    good = join(dir, EVIL);
    writeFileSync(
      good,
      await sharp({ create: { width: 3, height: 2, channels: 3, background: '#123' } })
        .png()
        .toBuffer(),
    );
    bad = join(dir, `${EVIL}.junk.png`);
    writeFileSync(bad, 'not an image');
  });
  afterAll(() => cleanup());
  const clean = (text: string, what: string) => {
    expect(text, what).not.toMatch(UNSAFE);
    for (const line of text.split('\n')) expect(line.startsWith('::add-mask::'), what).toBe(false);
  };
  it.each(['human', 'github', 'junit', 'html'])(
    'check --reporter %s',
    (reporter) => {
      const summary = join(dir, `..`, `summary-${process.pid}-${reporter}.md`);
      const r = cli(['check', dir, '--reporter', reporter, '--summary'], { env: { GITHUB_STEP_SUMMARY: summary } });
      expect(r.code).toBe(2);
      clean(r.stdout, 'stdout');
      clean(r.stderr, 'stderr');
      // (The HTML page holds the names in JSON, where the backslashes are escaped once more.)
      expect(r.stdout + r.stderr).toContain(reporter === 'html' ? '\\\\x1b[31m' : '\\x1b[31m\\u{202e}gnp\\x85');
      if (reporter === 'github') clean(readFileSync(summary, 'utf8'), 'job summary');
    },
    120_000,
  );
  it('inspect', () => {
    for (const file of [good, bad]) {
      const r = cli(['inspect', file]);
      clean(r.stdout, 'stdout');
      clean(r.stderr, 'stderr');
      expect(r.stdout).toContain('a\\x0a::add-mask::x\\x0a');
    }
  }, 120_000);
  it('convert, done and refused', () => {
    const done = cli(['convert', good, join(dir, `${EVIL}.out.png`)]);
    expect(done.code).toBe(0);
    const refused = cli(['convert', bad, join(dir, 'x.png')]);
    expect(refused.code).toBe(2);
    const exists = cli(['convert', good, join(dir, `${EVIL}.out.png`)]);
    expect(exists.code).toBe(64);
    for (const r of [done, refused, exists]) {
      clean(r.stdout, 'stdout');
      clean(r.stderr, 'stderr');
      expect(r.stderr).toMatch(/a\\(?:x0a|n)::add-mask::x/); // shown, escaped
    }
  }, 120_000);
  it('merge', () => {
    const results = join(dir, '..', `results-${process.pid}.ndjson`);
    writeFileSync(results, cli(['check', dir, '--ndjson', '-q']).stdout.repeat(2));
    for (const reporter of ['human', 'github', 'junit', 'html']) {
      const r = cli(['merge', results, '--reporter', reporter]);
      clean(r.stdout, `merge ${reporter} stdout`);
      clean(r.stderr, `merge ${reporter} stderr`);
    }
  }, 120_000);
});
