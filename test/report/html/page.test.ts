/**
 * The HTML report in a real browser: Debian's Chromium, driven by playwright-core, loads the page
 * from a file: URL with every other request blocked.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../helpers/tree.js';

const CHROMIUM = process.env.IMGGUARD_CHROMIUM ?? '/usr/bin/chromium';
const SAMPLES = new URL('../../../samples/', import.meta.url);
const ARTIFACTS = new URL('../../../test-artifacts/', import.meta.url);
// CI installs Chromium (.ci/run), so there the test must run; elsewhere it may be missing.
const haveBrowser = existsSync(CHROMIUM) || process.env.CI === 'true';

const MARKUP_NAME = '<img src=x onerror="window.pwned=1">.png';

describe.skipIf(!haveBrowser)('the HTML report in Chromium', () => {
  let root: string;
  let browser: Browser;
  let counts: Record<string, number>;
  const blocked: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'imgguard-page-'));
    const data = join(root, 'data');
    mkdirSync(data);
    for (const name of readdirSync(SAMPLES)) copyFileSync(new URL(name, SAMPLES), join(data, name));
    copyFileSync(new URL('logo-palette.png', SAMPLES), join(data, MARKUP_NAME));
    copyFileSync(new URL('logo-palette.png', SAMPLES), join(data, 'quote"and\'apos.png'));
    writeFileSync(join(data, 'new\nline.jpg'), 'not a jpeg');
    writeFileSync(Buffer.from(join(data, 'caf\xe9.gif'), 'latin1'), 'GIF89a');
    const run = cli(['check', 'data', '--ndjson'], { cwd: root });
    counts = { files: 0, ok: 0, over_budget: 0, corrupt: 0, unsupported: 0, error: 0 };
    for (const line of run.stdout.trim().split('\n')) {
      counts.files!++;
      counts[(JSON.parse(line) as { status: string }).status]!++;
    }
    const r = cli(['check', 'data', '--reporter', 'html', '--output', 'report.html'], { cwd: root });
    expect(r.stderr).toBe('');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(root, { recursive: true, force: true });
  });

  async function open(file: string, width = 1200): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    // The network is blocked: only the page's own file: URL may load.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(pathToFileURL(join(root, file)).href);
    return { page, errors };
  }

  const rowCount = (page: Page) => page.locator('#files tbody tr').count();

  it('renders without errors or requests, and shows the run counts', async () => {
    const { page, errors } = await open('report.html');
    for (const [key, n] of Object.entries(counts)) {
      expect(await page.locator(`[data-count-of="${key}"] .count`).textContent(), key).toBe(String(n));
    }
    expect(await rowCount(page)).toBe(counts.files);
    expect(await page.locator('#shown').textContent()).toBe(`${counts.files} of ${counts.files} rows`);
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: new URL('html-report.png', ARTIFACTS).pathname, fullPage: true });
    await page.context().close();
  });

  it('filters, narrows by verdict and sorts the table', async () => {
    const { page } = await open('report.html');
    await page.fill('#filter', 'bomb');
    expect(await rowCount(page)).toBe(1);
    expect(await page.locator('#files tbody td.path').first().textContent()).toBe('data/bomb.gif');
    await page.fill('#filter', '');
    await page.selectOption('#verdict', 'problems');
    expect(await rowCount(page)).toBe(counts.files! - counts.ok!);
    await page.selectOption('#verdict', 'ok');
    expect(await rowCount(page)).toBe(counts.ok);
    await page.selectOption('#verdict', '');
    await page.click('button[data-sort="d"]');
    expect(await page.locator('#files tbody td.path').first().textContent()).toBe('data/bomb.gif');
    expect(await page.locator('th[aria-sort]').getAttribute('aria-sort')).toBe('descending');
    await page.context().close();
  });

  it('shows hostile names as text, never as markup', async () => {
    const { page, errors } = await open('report.html');
    const paths = await page.locator('#files tbody td.path').allTextContents();
    expect(paths).toContain(`data/${MARKUP_NAME}`);
    expect(paths).toContain('data/quote"and\'apos.png');
    expect(paths).toContain('data/new\nline.jpg');
    expect(paths.some((p) => p.startsWith('data/caf') && p.endsWith('.gif'))).toBe(true);
    expect(await page.evaluate('typeof window.pwned')).toBe('undefined');
    expect(await page.locator('#files tbody img[src="x"]').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('fits a narrow window without sideways scrolling of the page', async () => {
    const { page } = await open('report.html', 360);
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(360);
    await page.context().close();
  });

  it('pages through 20,000 rows and filters them', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const bad = i % 4 === 0;
      lines.push(
        JSON.stringify({
          path: `set/img-${String(i).padStart(5, '0')}.jpg`,
          status: bad ? 'corrupt' : 'ok',
          format: 'jpeg',
          width: 100 + (i % 3000),
          height: 80 + (i % 2000),
          channels: 3,
          bitsPerSample: 8,
          frames: 1,
          orientation: null,
          decodedBytes: (100 + (i % 3000)) * (80 + (i % 2000)) * 3,
          decodedBytesAllFrames: null,
          budgetBytes: 1 << 30,
          headerBytes: 600,
          fileBytes: 5000 + i,
          reason: bad ? 'pixel data: premature end' : null,
          error: bad ? { code: 'E_TRUNCATED', message: 'premature end' } : null,
        }),
      );
    }
    writeFileSync(join(root, 'big.ndjson'), `${lines.join('\n')}\n`);
    const r = cli(['merge', 'big.ndjson', '--reporter', 'html', '--output', 'big.html'], { cwd: root });
    expect(r.code).toBe(2);
    const { page, errors } = await open('big.html');
    expect(await page.locator('[data-count-of="files"] .count').textContent()).toBe('20000');
    expect(await rowCount(page)).toBe(100);
    await page.fill('#filter', 'img-1999');
    expect(await rowCount(page)).toBeGreaterThan(0);
    expect(await page.locator('#shown').textContent()).toMatch(/^\d+ of 6000 rows$/);
    await page.fill('#filter', '');
    await page.click('#next');
    expect(await page.locator('#page').textContent()).toBe('page 2 of 60');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);
});
