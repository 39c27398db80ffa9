// The HTML report at dataset scale: builds the page for N results (synthetic ndjson, a quarter of
// them problems) with `imgguard merge --reporter html`, then opens it in Chromium and times the
// first render, a filter over every row and a page turn. Needs Chromium (IMGGUARD_CHROMIUM or
// /usr/bin/chromium). Usage: node bench/html-report.mjs [N=100000]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const N = Number(process.argv[2] ?? 100_000);
const root = join(new URL('.', import.meta.url).pathname, '..');
const dir = mkdtempSync(join(tmpdir(), 'imgguard-html-bench-'));
try {
  const lines = [];
  for (let i = 0; i < N; i++) {
    const bad = i % 4 === 0;
    const w = 100 + ((i * 7919) % 6000);
    const h = 80 + ((i * 104729) % 4000);
    lines.push(
      JSON.stringify({
        path: `shard-${String(i % 100).padStart(3, '0')}/img-${String(i).padStart(7, '0')}.jpg`,
        status: bad ? 'corrupt' : 'ok',
        format: 'jpeg',
        width: w,
        height: h,
        channels: 3,
        bitsPerSample: 8,
        frames: 1,
        orientation: null,
        decodedBytes: w * h * 3,
        decodedBytesAllFrames: null,
        budgetBytes: 2 ** 30,
        headerBytes: 620,
        fileBytes: 20_000 + i,
        reason: bad ? 'pixel data: premature end of JPEG file' : null,
        error: bad ? { code: 'E_PIXEL_DATA', message: 'premature end of JPEG file' } : null,
      }),
    );
  }
  const input = join(dir, 'results.ndjson');
  writeFileSync(input, `${lines.join('\n')}\n`);
  const out = join(dir, 'report.html');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%M',
      process.execPath,
      join(root, 'bin/imgguard.js'),
      'merge',
      input,
      '--reporter',
      'html',
      '--output',
      out,
    ],
    { encoding: 'utf8' },
  );
  const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const rssKiB = Number(r.stderr.trim().split('\n').pop());
  const browser = await chromium.launch({
    executablePath: process.env.IMGGUARD_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const t1 = Date.now();
  await page.goto(pathToFileURL(out).href);
  await page.waitForSelector('#files tbody tr');
  const loadMs = Date.now() - t1;
  const filterMs = await page.evaluate(`(() => {
    const f = document.getElementById('filter');
    const t = performance.now();
    f.value = 'img-00123';
    f.dispatchEvent(new Event('input'));
    return performance.now() - t;
  })()`);
  const pageMs = await page.evaluate(`(() => {
    const f = document.getElementById('filter');
    f.value = '';
    f.dispatchEvent(new Event('input'));
    const t = performance.now();
    document.getElementById('next').click();
    return performance.now() - t;
  })()`);
  await browser.close();
  const mib = (b) => (b / 1024 / 1024).toFixed(1);
  console.log(`results: ${N}`);
  console.log(
    `page: ${mib(statSync(out).size)} MiB, built in ${(buildMs / 1000).toFixed(2)} s, peak RSS ${mib(rssKiB * 1024)} MiB`,
  );
  console.log(
    `Chromium: first rows shown ${loadMs} ms after navigation; filter over all rows ${filterMs.toFixed(1)} ms;`,
  );
  console.log(`next page ${pageMs.toFixed(1)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
