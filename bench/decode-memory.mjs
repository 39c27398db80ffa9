#!/usr/bin/env node
/**
 * Peak memory of guarded decodes against the peakBytes estimate.
 *
 *   npm run build && node bench/decode-memory.mjs [--quick] [--json]
 *
 * Generates images with sharp under bench/data/decode-memory/ (git-ignored), then decodes each
 * in a fresh child process through imgguard's decode path (dist/decode/guard.js) to a raw
 * buffer, the most memory a decode can take (pixels plus the output buffer), and reports
 * peak RSS above the process's RSS after sharp was loaded and warmed up (the VmHWM high-water
 * mark), next to the estimate. ratio = measured / estimate; allowance = measured - estimate.
 * Where this branch has no header reader for a format yet, the header is taken from sharp's
 * metadata (marked "meta") so the peak model can still be measured.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(root, 'bench', 'data', 'decode-memory');
const MiB = 1024 * 1024;

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4]);
} else {
  await parent();
}

async function parent() {
  const quick = process.argv.includes('--quick');
  const json = process.argv.includes('--json');
  const { default: sharp } = await import('sharp');
  mkdirSync(dataDir, { recursive: true });
  const sizes = quick
    ? [[2000, 1500]]
    : [
        [1000, 1000],
        [3000, 2000],
        [6000, 4000],
      ];
  const kinds = [
    ['png', (s) => s.png({ compressionLevel: 1 })],
    ['png-interlaced', (s) => s.png({ compressionLevel: 1, progressive: true })],
    ['png16-rgba', (s) => s.ensureAlpha().toColourspace('rgb16').png({ compressionLevel: 1 })],
    ['jpeg', (s) => s.jpeg({ quality: 85 })],
    ['jpeg-progressive', (s) => s.jpeg({ quality: 85, progressive: true })],
    ['webp', (s) => s.webp({ quality: 80, effort: 0 })],
    ['tiff', (s) => s.tiff({ compression: 'lzw' })],
    ['gif', (s) => s.gif()],
    ['avif', (s) => s.avif({ effort: 0 })],
  ];
  const cases = [];
  for (const [w, h] of sizes) {
    for (const [kind, encode] of kinds) {
      const ext = kind.startsWith('png') ? 'png' : kind.startsWith('jpeg') ? 'jpg' : kind;
      const file = join(dataDir, `${kind}-${w}x${h}.${ext}`);
      if (!existsSync(file)) {
        // Smooth noise: realistic entropy without making encoders crawl.
        const base = sharp({
          create: { width: w, height: h, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 30 } },
        });
        await encode(sharp(await base.blur(2).raw().toBuffer(), { raw: { width: w, height: h, channels: 3 } })).toFile(
          file,
        );
      }
      cases.push({ kind, w, h, file, mode: 'full' });
    }
  }
  // SVG: a vector drawing, rendered at its declared size.
  for (const [w, h] of sizes) {
    const file = join(dataDir, `svg-${w}x${h}.svg`);
    if (!existsSync(file)) {
      writeFileSync(
        file,
        `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 80 60">` +
          '<rect width="80" height="60" fill="#3a6"/><circle cx="40" cy="30" r="20" fill="#a36"/></svg>\n',
      );
    }
    cases.push({ kind: 'svg', w, h, file, mode: 'full' });
  }
  // --fit: the largest JPEG shrink-on-load that fits a budget of a quarter of the full peak.
  const [fw, fh] = sizes[sizes.length - 1];
  cases.push({ kind: 'jpeg --fit', w: fw, h: fh, file: join(dataDir, `jpeg-${fw}x${fh}.jpg`), mode: 'fit' });
  cases.push({ kind: 'webp --fit', w: fw, h: fh, file: join(dataDir, `webp-${fw}x${fh}.webp`), mode: 'fit' });

  const rows = [];
  for (const c of cases) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', c.file, c.mode], {
      encoding: 'utf8',
    });
    if (r.status !== 0) {
      rows.push({ ...c, error: (r.stderr || r.stdout).trim().split('\n').pop() });
      continue;
    }
    rows.push({ ...c, ...JSON.parse(r.stdout) });
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const fmt = (n) => (n / MiB).toFixed(1).padStart(7);
  console.log(
    `${'image'.padEnd(30)} ${'header'.padEnd(6)} ${'decoded'.padStart(7)} ${'peak est'.padStart(8)} ${'measured'.padStart(8)} ${'ratio'.padStart(6)} ${'allow.'.padStart(7)}  (MiB)`,
  );
  for (const r of rows) {
    const name = `${r.kind} ${r.w}x${r.h}`.padEnd(30);
    if (r.error) {
      console.log(`${name} error: ${r.error}`);
      continue;
    }
    console.log(
      `${name} ${r.headerFrom.padEnd(6)} ${fmt(r.decodedBytes)} ${fmt(r.peakBytes).padStart(8)} ${fmt(r.measuredBytes).padStart(8)} ${(r.measuredBytes / r.peakBytes).toFixed(2).padStart(6)} ${fmt(r.measuredBytes - r.peakBytes)}`,
    );
  }
  const ok = rows.filter((r) => !r.error);
  const worst = Math.max(...ok.map((r) => r.measuredBytes / r.peakBytes));
  const allowance = Math.max(0, ...ok.map((r) => r.measuredBytes - r.peakBytes));
  console.log(
    `\nworst ratio measured/estimate ${worst.toFixed(2)}; largest excess over the estimate ${(allowance / MiB).toFixed(1)} MiB`,
  );
}

/**
 * This process's RSS high-water mark. Linux: VmHWM, which belongs to this process image (the
 * rusage maxRSS is not: it carries the parent's high-water mark over fork and exec).
 */
function peakRss() {
  try {
    const m = /VmHWM:\s*(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

async function child(file, mode) {
  const guard = await import(join(root, 'dist', 'decode', 'guard.js'));
  const fit = await import(join(root, 'dist', 'decode', 'fit.js'));
  const { loadSharp } = await import(join(root, 'dist', 'decode', 'sharp.js'));
  const sharp = await loadSharp();
  // Warm up: load sharp, start libvips' threads, decode something tiny.
  await sharp({ create: { width: 16, height: 16, channels: 3, background: '#000' } })
    .png()
    .toBuffer()
    .then((b) => sharp(b).raw().toBuffer());
  const base = peakRss();

  let plan;
  let headerFrom = 'reader';
  const huge = 1n << 50n;
  try {
    const full = guard.planDecode(file, { budget: huge, autoOrient: false });
    const budget = mode === 'fit' ? full.peak.peakBytes / 4n : huge;
    plan = guard.planDecode(file, { budget, fit: mode === 'fit', autoOrient: false });
  } catch (e) {
    if (e.code !== 'E_NOT_IMAGE') throw e;
    // No reader for this format on this branch yet: the header from sharp's metadata.
    headerFrom = 'meta';
    const m = await sharp(file).metadata();
    const bytes = { uchar: 1, ushort: 2, float: 4 }[m.depth] ?? 1;
    const header = {
      format: m.format === 'heif' ? 'heif' : m.format,
      width: m.width,
      height: m.height,
      channels: m.channels,
      bitsPerSample: bytes * 8,
      frames: 1,
    };
    const hints = m.format === 'jpeg' ? { progressive: m.isProgressive === true } : {};
    const budget = mode === 'fit' ? fit.peakOf(header, hints).peakBytes / 4n : huge;
    const fp = fit.fitPlan(header, hints, budget);
    if (!fp) throw new Error('no fit');
    plan = {
      path: file,
      header,
      hints,
      autoOrient: false,
      load: fp,
      peak: fp.peak,
      limitInputPixels: m.width * m.height,
      resize: fp.shrink > 1 ? { width: fp.targetWidth, height: fp.targetHeight } : null,
    };
  }
  const img = await guard.openDecoder(plan);
  const { info } = await img.raw().toBuffer({ resolveWithObject: true });
  const measured = peakRss() - base;
  process.stdout.write(
    `${JSON.stringify({
      headerFrom,
      width: info.width,
      height: info.height,
      shrink: plan.load.shrink,
      decodedBytes: Number(plan.peak.decodedBytes),
      peakBytes: Number(plan.peak.peakBytes),
      measuredBytes: measured,
    })}\n`,
  );
}
