// The remote benchmark (`npm run bench`, or `node bench/remote.mjs` alone): the mixed set served
// by bench/serve.mjs on 127.0.0.1 with 20 ms added to every response, read over URLs by
// imgguard, by probe-image-size, and by a floor making one `Range: bytes=0-4095` request per
// file, all at the same concurrency. Requests and bytes are counted by the server, per file.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ensureData } from './gen.mjs';
import { walk } from './walk.mjs';

const here = new URL('.', import.meta.url).pathname;
const root = join(here, '..');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
export const REMOTE_DELAY_MS = 20;
export const REMOTE_CONCURRENCY = 16;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Starts the server on `dir`; resolves to { base, stats(), stop() }. */
async function serve(dir) {
  const child = spawn(process.execPath, [join(here, 'serve.mjs'), dir, String(REMOTE_DELAY_MS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(Number(String(d).trim())));
    child.once('exit', (code) => reject(new Error(`bench/serve.mjs exited (${code})`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    stats: () =>
      new Promise((resolve, reject) => {
        get(`${base}/__stats`, { agent: false }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (d) => (body += d));
          res.on('end', () => resolve(JSON.parse(body)));
        }).on('error', reject);
      }),
    stop: () => child.kill(),
  };
}

/** Runs the contenders `runs` times each, interleaved; returns one row per contender. */
export async function remoteBench(runs = 3) {
  const { mixed } = await ensureData();
  const server = await serve(mixed);
  const scratch = mkdtempSync(join(tmpdir(), 'imgguard-remote-bench-'));
  try {
    const files = [...walk(mixed)];
    const list = join(scratch, 'urls.txt');
    writeFileSync(list, files.map((f) => `${server.base}/${relative(mixed, f)}\n`).join(''));
    const n = String(REMOTE_CONCURRENCY);
    const contenders = [
      {
        name: `imgguard \`check --files-from URLS --concurrency ${n}\``,
        args: [join(root, 'bin/imgguard.js'), 'check', '--files-from', list, '--ndjson', '--quiet', '--concurrency', n],
        recognised: (l) => /"status":"(ok|over_budget)"/.test(l),
      },
      {
        name: `probe-image-size 7 \`probe(url)\`, ${n} in flight`,
        args: [join(here, 'peer-probe-image-size-url.mjs'), list, n],
        recognised: (l) => !l.includes(' error '),
      },
      {
        name: `floor: one \`Range: bytes=0-4095\` GET per file, ${n} in flight`,
        args: [join(here, 'floor-range.mjs'), list, n],
        recognised: (l) => / 206 /.test(l),
      },
    ];
    const rssFile = join(scratch, 'rss');
    const measured = new Map(contenders.map((c) => [c, { secs: [], rss: [], requests: [], bytes: [], ok: 0 }]));
    await server.stats(); // reset
    for (let round = 0; round < runs; round++) {
      for (const c of contenders) {
        const argv = TIME
          ? [TIME, ['-f', '%M', '-o', rssFile, process.execPath, ...c.args]]
          : [process.execPath, c.args];
        const t0 = process.hrtime.bigint();
        const r = spawnSync(argv[0], argv[1], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
        const secs = Number(process.hrtime.bigint() - t0) / 1e9;
        if (r.status !== 0 && r.status !== 1 && r.status !== 2)
          throw new Error(`${c.name} failed (${r.status}): ${r.stderr}`);
        const m = measured.get(c);
        m.secs.push(secs);
        if (TIME) m.rss.push(Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024);
        const perFile = await server.stats();
        if (round === 0) {
          m.requests = perFile.map((s) => s.requests);
          m.bytes = perFile.map((s) => s.bytes);
          m.ok = String(r.stdout).split('\n').filter(Boolean).filter(c.recognised).length;
        }
        process.stderr.write(
          `  remote     ${c.name.padEnd(58)} ${(files.length / secs).toFixed(0).padStart(6)} files/s\n`,
        );
      }
    }
    const floor = measured.get(contenders[2]);
    return contenders.map((c) => {
      const m = measured.get(c);
      const requests = m.requests.reduce((a, b) => a + b, 0);
      return {
        name: c.name,
        files: files.length,
        rate: files.length / median(m.secs),
        // Paired per round with the floor's run, as the local rows are.
        vsFloor: median(m.secs.map((s, i) => s / floor.secs[i])),
        requestsPerFile: requests / files.length,
        medianRequests: median(m.requests),
        medianBytes: median(m.bytes),
        meanBytes: m.bytes.reduce((a, b) => a + b, 0) / files.length,
        rss: m.rss.length ? Math.max(...m.rss) : null,
        recognised: m.ok,
      };
    });
  } finally {
    server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The rows as a Markdown table. */
export function remoteTable(rows) {
  const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
  return [
    '| tool | files/s | × floor time | requests/file (mean, median) | bytes/file (median, mean) | peak RSS | recognised |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${Math.round(r.rate)} | ${r.vsFloor.toFixed(2)}× | ${r.requestsPerFile.toFixed(2)}, ${r.medianRequests} | ` +
        `${kib(r.medianBytes)}, ${kib(r.meanBytes)} | ${r.rss === null ? '-' : `${r.rss.toFixed(0)} MiB`} | ${r.recognised} / ${r.files} |`,
    ),
  ].join('\n');
}

/** The rows with what they measured, written into docs/performance.md between its remote markers. */
export function writeRemoteFigures(rows, runs) {
  const text = [
    `Measured ${new Date().toISOString().slice(0, 10)}, Node ${process.version}; **mixed** ${rows[0].files} files ` +
      `served by \`bench/serve.mjs\` on 127.0.0.1 with ${REMOTE_DELAY_MS} ms added to every response; whole-process ` +
      `wall time, median of ${runs} interleaved runs; "× floor time" is the median of each round's ratio to the ` +
      "floor's run in the same round; requests and bytes are counted by the server, per file.",
    '',
    remoteTable(rows),
  ].join('\n');
  process.stdout.write(`${text}\n`);
  if (process.env.BENCH_NO_WRITE) return;
  const page = join(root, 'docs', 'performance.md');
  const doc = readFileSync(page, 'utf8');
  const start = '<!-- bench-remote:start -->';
  const end = '<!-- bench-remote:end -->';
  if (!doc.includes(start) || !doc.includes(end)) return;
  writeFileSync(page, `${doc.slice(0, doc.indexOf(start) + start.length)}\n${text}\n${doc.slice(doc.indexOf(end))}`);
  process.stderr.write('bench: remote figures written into docs/performance.md\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  writeRemoteFigures(await remoteBench(runs), runs);
}
