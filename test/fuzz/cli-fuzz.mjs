#!/usr/bin/env node
// Mutation fuzzing of the real CLI: `npm run fuzz -- --iterations N [--seed S] [--batch B]`.
//
// Each round writes a batch of mutants of seed images of every format into a temporary folder,
// 1. reads every mutant through the library in this process, timing each header read, and
// 2. runs the built CLI (`check DIR --ndjson`) over the folder with a timeout,
// then checks the promises: an exit code in 0/1/2, no signal, one valid line per file, reads
// within the caps. 3. SVG text mutants (references, nesting, quotes, escapes spliced in) go
// through `check --verify --timeout`, one process each under a wall-clock limit
// (`--svg-cases N` per round). A mutant that crashes, hangs or reads slowly is saved under test/fuzz-found/
// as a regression fixture (the property test and the CLI test run over that folder).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSeeds } from '../helpers/seeds.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const found = join(root, 'test/fuzz-found');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const iterations = opt('iterations', 10000);
const batch = opt('batch', 2500);
let state = opt('seed', 20261123) >>> 0;
const SLOW_MS = 100;
/** SVG text mutants per round decoded through `check --verify`, each in its own process. */
const svgCases = opt('svg-cases', 20);
/** The decode limit given to each, and the wall-clock limit on its whole process. */
const SVG_TIMEOUT_S = 5;
const SVG_CASE_LIMIT_MS = 60_000;

// xorshift32: reproducible from --seed.
const rand = () => {
  state ^= state << 13;
  state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return state / 2 ** 32;
};
const int = (n) => Math.floor(rand() * n);

/** Markup an attacker would splice into an SVG: references, nesting, quotes, escapes. */
const SVG_PIECES = [
  '<use href="#a"/>',
  '<g id="a">',
  '</g>',
  '<g id="b"><use href="#a"/><use href="#a"/><use href="#a"/><use href="#a"/></g>',
  '<use href="#b"/>',
  '<image href="red.png" width="9" height="9"/>',
  '<image x=">" href="../red.png"/>',
  '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="secret.txt" parse="text"/>',
  'X&#73;nclude',
  '<style>rect{fill:u\\72l(red.png)}</style>',
  '@\\69mport "x.css";',
  'url(',
  'url(#a)',
  '<a href=',
  '<include ',
  '"',
  "'",
  '>',
  '<!--',
  '<![CDATA[',
  '<!DOCTYPE svg [<!ENTITY e "<use href=\'#b\'/>">]>',
  '&e;',
  'file:///etc/passwd',
];

/** An SVG text mutant: pieces spliced in, some repeated many times. */
function mutateSvg(seed) {
  let text = Buffer.from(seed).toString('latin1');
  const rounds = 1 + int(6);
  for (let r = 0; r < rounds; r++) {
    const at = int(text.length + 1);
    const piece = SVG_PIECES[int(SVG_PIECES.length)];
    const times = int(4) === 0 ? 1 + int(20000) : 1;
    text = text.slice(0, at) + piece.repeat(times) + text.slice(at);
  }
  return Buffer.from(text, 'latin1');
}

function mutate(seed) {
  let b = Buffer.from(seed);
  const rounds = 1 + int(6);
  for (let r = 0; r < rounds; r++) {
    const at = b.length ? int(b.length) : 0;
    switch (int(7)) {
      case 0:
        b[at] = int(256);
        break;
      case 1:
        b[at] ^= 1 << int(8);
        break;
      case 2:
        b.fill(0xff, at, Math.min(b.length, at + 1 + int(8)));
        break;
      case 3:
        b.fill(0x00, at, Math.min(b.length, at + 1 + int(8)));
        break;
      case 4:
        b = Buffer.concat([
          b.subarray(0, at),
          Buffer.from(Array.from({ length: 1 + int(16) }, () => int(256))),
          b.subarray(at),
        ]);
        break;
      case 5:
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + int(32))]);
        break;
      default:
        b = b.subarray(0, at);
    }
  }
  return b;
}

const { readHeader } = await import(join(root, 'dist/probe/detect.js'));
const { bufferSource } = await import(join(root, 'dist/probe/source.js'));
const { ProbeFailure } = await import(join(root, 'dist/probe/failure.js'));
const seeds = [...(await makeSeeds()).entries()];
/** An image beside each SVG mutant, which it must never draw. */
const neighbourPng = seeds.find(([name]) => name.endsWith('.png'))?.[1] ?? Buffer.alloc(0);
const totals = {
  mutants: 0,
  crashes: 0,
  hangs: 0,
  slow: 0,
  maxHeaderBytes: 0,
  maxRssKiB: 0,
  maxReadMs: 0,
  cliRuns: 0,
  svgCases: 0,
};

function save(bytes, ext, why) {
  mkdirSync(found, { recursive: true });
  const name = `${why}-${createHash('sha1').update(bytes).digest('hex').slice(0, 12)}.${ext}`;
  writeFileSync(join(found, name), bytes);
  console.error(`saved test/fuzz-found/${name}`);
}

// The CLI in-process, so its peak RSS can be read at exit.
const runner = `import(${JSON.stringify(join(root, 'dist/cli/main.js'))}).then((m) => {
  Promise.resolve(m.main(['node', 'imgguard', ...process.argv.slice(1)])).then((c) => { process.exitCode = c; });
  process.on('exit', () => process.stderr.write('MAXRSS ' + process.resourceUsage().maxRSS + '\\n'));
});`;

for (let done = 0; done < iterations; done += batch) {
  const n = Math.min(batch, iterations - done);
  const dir = mkdtempSync(join(tmpdir(), 'imgguard-fuzz-'));
  const files = [];
  for (let i = 0; i < n; i++) {
    const [name, seed] = seeds[int(seeds.length)];
    const ext = name.split('.').pop();
    const bytes = mutate(seed);
    const file = join(dir, `m${String(done + i).padStart(7, '0')}.${ext}`);
    writeFileSync(file, bytes);
    files.push(file);
    // 1. in process: a Header or a ProbeFailure, quickly.
    const t = performance.now();
    try {
      readHeader(bufferSource(bytes));
    } catch (e) {
      if (!(e instanceof ProbeFailure)) {
        totals.crashes++;
        console.error(`crash in process on ${name}: ${e?.stack ?? e}`);
        save(bytes, ext, 'crash');
      }
    }
    let ms = performance.now() - t;
    // A pause of the machine or the garbage collector is not a slow reader: time it again.
    for (let again = 0; again < 3 && ms > SLOW_MS; again++) {
      const t2 = performance.now();
      try {
        readHeader(bufferSource(bytes));
      } catch {
        /* judged above */
      }
      ms = Math.min(ms, performance.now() - t2);
    }
    totals.maxReadMs = Math.max(totals.maxReadMs, ms);
    if (ms > SLOW_MS) {
      totals.slow++;
      save(bytes, ext, 'slow');
    }
  }
  // 2. the real CLI over the batch.
  const r = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', runner, 'check', dir, '--ndjson', '--budget', '1GB', '--quiet'],
    { encoding: 'utf8', timeout: 120000, maxBuffer: 1 << 30 },
  );
  totals.cliRuns++;
  const rss = /MAXRSS (\d+)/.exec(r.stderr ?? '');
  if (rss) totals.maxRssKiB = Math.max(totals.maxRssKiB, Number(rss[1]));
  const lines = (r.stdout ?? '')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return null;
      }
    });
  const seen = new Set(lines.filter(Boolean).map((l) => l.path));
  for (const l of lines) if (l) totals.maxHeaderBytes = Math.max(totals.maxHeaderBytes, l.headerBytes ?? 0);
  const internal = lines.filter((l) => l?.error?.code === 'E_INTERNAL');
  if (r.status === 64) throw new Error(`the fuzz runner called the CLI wrongly: ${r.stderr}`);
  const bad =
    r.signal ||
    r.error ||
    ![0, 1, 2].includes(r.status) ||
    lines.includes(null) ||
    files.some((f) => !seen.has(f)) ||
    internal.length;
  if (bad) {
    if (r.signal === 'SIGTERM' || r.error?.code === 'ETIMEDOUT') totals.hangs++;
    else totals.crashes++;
    console.error(
      `CLI batch failed: status ${r.status} signal ${r.signal} ${r.error ?? ''} ${internal.length} internal errors`,
    );
    for (const l of internal) save(readFileSync(l.path), l.path.split('.').pop(), 'internal');
    for (const f of files.filter((f) => !seen.has(f)).slice(0, 20))
      copyFileSync(f, join(found, `missing-${f.split('/').pop()}`));
  }
  // 3. SVG text mutants through --verify, one process each, each within a time limit: a decode
  // must end (E_TIMEOUT at the latest) and never read the red.png and secret.txt beside it.
  const svgSeeds = seeds.filter(([name]) => name.endsWith('.svg'));
  const svgDir = mkdtempSync(join(tmpdir(), 'imgguard-fuzz-svg-'));
  writeFileSync(join(svgDir, 'secret.txt'), 'secret');
  writeFileSync(join(svgDir, 'red.png'), neighbourPng);
  for (let k = 0; k < svgCases && svgSeeds.length; k++) {
    const bytes = mutateSvg(svgSeeds[int(svgSeeds.length)][1]);
    const file = join(svgDir, `s${String(done + k).padStart(7, '0')}.svg`);
    writeFileSync(file, bytes);
    const v = spawnSync(
      process.execPath,
      [join(root, 'bin/imgguard.js'), 'check', file, '--verify', '--ndjson', '-q', '--timeout', String(SVG_TIMEOUT_S)],
      { encoding: 'utf8', timeout: SVG_CASE_LIMIT_MS, maxBuffer: 1 << 26 },
    );
    totals.svgCases++;
    let line = null;
    try {
      line = JSON.parse(v.stdout);
    } catch {
      /* judged below */
    }
    if (v.signal || v.error || ![0, 1, 2].includes(v.status) || !line || line.error?.code === 'E_INTERNAL') {
      if (v.signal === 'SIGTERM' || v.error?.code === 'ETIMEDOUT') totals.hangs++;
      else totals.crashes++;
      console.error(
        `SVG case failed: status ${v.status} signal ${v.signal} ${v.error ?? ''} ${v.stderr.slice(0, 200)}`,
      );
      save(bytes, 'svg', 'svg-verify');
    }
    rmSync(file, { force: true });
  }
  rmSync(svgDir, { recursive: true, force: true });
  totals.mutants += n;
  rmSync(dir, { recursive: true, force: true });
  console.error(
    `${totals.mutants}/${iterations} mutants; crashes ${totals.crashes}, hangs ${totals.hangs}, slow ${totals.slow}`,
  );
}
console.log(JSON.stringify(totals));
process.exitCode = totals.crashes || totals.hangs ? 1 : 0;
