import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePng } from '../helpers/bytes.js';
import { cli, writeTree } from '../helpers/tree.js';

/** The JSON a page carries in one of its data elements. */
function pageData(html: string, id: string): unknown {
  const m = new RegExp(`<script type="application/json" id="${id}">([^<]*)</script>`).exec(html);
  if (!m) throw new Error(`no ${id} in the page`);
  return JSON.parse(m[1]!);
}

describe('--reporter html', () => {
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'imgguard-html-'));
    const good = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c04020' } })
      .png()
      .toBuffer();
    writeTree(join(root, 'data'), {
      'good.png': good,
      // 60000 × 60000 RGBA: 14.4 GB decoded, from a file of a few dozen bytes.
      'bomb.png': makePng({ width: 60000, height: 60000 }),
      'text.jpg': 'just some text\n',
      '<script>alert(1)</script>.png': makePng({ width: 5, height: 5 }),
      'quote"and\'apos.png': makePng({ width: 6, height: 6 }),
      'new\nline.png': makePng({ width: 7, height: 7 }),
    });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes one self-contained page with the run counts', () => {
    const out = join(root, 'report.html');
    const r = cli(['check', 'data', '--reporter', 'html', '--output', out, '--budget', '1GB'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    // Nothing loads from elsewhere: no URLs but data: ones, and a policy that forbids the rest.
    expect(html).not.toMatch(/(?:src|href)\s*=\s*["']?(?!data:)[a-z]+:/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).toContain(`content="default-src 'none'; img-src data:;`);
    expect(html).toMatch(/data-count-of="files"[^>]*><span class="count">6</);
    expect(html).toMatch(/data-count-of="ok"[^>]*><span class="count">4</);
    expect(html).toMatch(/data-count-of="over_budget"[^>]*><span class="count">1</);
    expect(html).toMatch(/data-count-of="unsupported"[^>]*><span class="count">1</);
    // The temporary file is gone once the page is in place.
    expect(readdirSync(root).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('never decodes a bomb: it gets a placeholder with its dimensions', () => {
    const out = join(root, 'bomb.html');
    cli(['check', 'data/bomb.png', 'data/good.png', '--reporter', 'html', '--output', out], { cwd: root });
    const html = readFileSync(out, 'utf8');
    const rows = pageData(html, 'imgguard-rows') as { p: string }[];
    const thumbs = pageData(html, 'imgguard-thumbs') as {
      index: number[];
      list: ({ uri: string } | { text: string })[];
    };
    const at = (p: string) => thumbs.list[thumbs.index[rows.findIndex((r) => r.p === p)]!];
    expect(at('data/bomb.png')).toEqual({ text: '60000×60000: over budget, not decoded' });
    expect((at('data/good.png') as { uri: string }).uri).toMatch(/^data:image\/webp;base64,/);
  });

  it('shows names with markup, quotes and newlines as text, never as markup', () => {
    const out = join(root, 'names.html');
    cli(['check', 'data', '--reporter', 'html', '--output', out], { cwd: root });
    const html = readFileSync(out, 'utf8');
    expect(html).not.toContain('<script>alert(1)');
    expect(html.match(/<script/g)).toHaveLength(3);
    const paths = (pageData(html, 'imgguard-rows') as { p: string }[]).map((r) => r.p).sort();
    expect(paths).toContain('data/<script>alert(1)</script>.png');
    expect(paths).toContain('data/quote"and\'apos.png');
    expect(paths).toContain('data/new\nline.png');
  });

  it('leaves an existing file untouched when the run fails', () => {
    const out = join(root, 'keep.html');
    writeFileSync(out, 'before');
    const r = cli(['check', 'data', '--reporter', 'html', '--output', out, '--budget', '12zz'], { cwd: root });
    expect(r.code).toBe(64);
    expect(readFileSync(out, 'utf8')).toBe('before');
  });

  it('says in one line when the output cannot be written', () => {
    const r = cli(['check', 'data', '--reporter', 'html', '--output', join(root, 'no', 'such', 'dir', 'r.html')], {
      cwd: root,
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^imgguard: cannot write .*r\.html/);
  });

  it('makes one report from the shards of a run (merge)', () => {
    const shards = [1, 2].map((k) => {
      const file = join(root, `shard-${k}.ndjson`);
      const r = cli(['check', 'data', '--ndjson', '--shard', `${k}/2`], { cwd: root });
      writeFileSync(file, r.stdout);
      return file;
    });
    const out = join(root, 'merged.html');
    const r = cli(['merge', ...shards, '--reporter', 'html', '--output', out], { cwd: root });
    expect(r.code).toBe(2);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/data-count-of="files"[^>]*><span class="count">6</);
    expect(html).toContain('imgguard merge');
    expect(existsSync(out)).toBe(true);
  });
});
