import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../src/budget/schema.js';
import { makePng } from '../helpers/bytes.js';
import { BIN } from '../helpers/cli.js';
import { tempDir } from '../helpers/sharp.js';

const ROOT = resolve(import.meta.dirname, '../..');
const { dir, cleanup } = tempDir('imgguard-cli-budget-');
afterAll(cleanup);

function run(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, IMGGUARD_BUDGET: '', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function project(name: string, config?: Record<string, unknown> | string): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  if (config !== undefined)
    writeFileSync(join(d, 'imgguard.config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  writeFileSync(join(d, 'wide.png'), makePng({ width: 4000, height: 10 }));
  return d;
}

describe('imgguard.schema.json', () => {
  it('the shipped file equals the schema generated from zod (regenerate: npm run schema)', () => {
    const shipped = JSON.parse(readFileSync(join(ROOT, 'imgguard.schema.json'), 'utf8'));
    expect(shipped).toEqual(configJsonSchema());
    expect(Object.keys(shipped.properties)).toContain('maxPixels');
  });
});

describe('the CLI and the config file', () => {
  it('an invalid config is one line on stderr and exit 64', () => {
    const d = project('invalid', { maxWidth: 'wide' });
    const r = run(['check', 'wide.png'], d);
    expect(r.code).toBe(64);
    expect(r.stderr).toBe(
      `imgguard: ${join(d, 'imgguard.config.json')}: maxWidth: expected a whole number of pixels >= 1, found "wide"\n`,
    );
    expect(r.stdout).toBe('');
  });

  it('config limits apply to check; a flag overrides them', () => {
    const d = project('limits', { maxWidth: 1000 });
    const r = run(['check', 'wide.png', '--ndjson'], d);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout.trim());
    expect(result).toMatchObject({ status: 'over_budget', limits: ['--max-width'], decoder: 'sharp' });
    expect(run(['check', 'wide.png', '--max-width', '5000'], d).code).toBe(0);
  });

  it('--decoder on the command line is named in the results', () => {
    const d = project('decoder');
    const result = JSON.parse(run(['check', 'wide.png', '--ndjson', '--decoder', 'numpy'], d).stdout.trim());
    expect(result).toMatchObject({ decoder: 'numpy', pillowMode: 'RGB', decodedBytes: 4000 * 10 * 3 });
  });

  it('bad limit flags exit 64', () => {
    const d = project('badflag');
    const r = run(['check', 'wide.png', '--max-frames', 'ten'], d);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('--max-frames "ten"');
  });

  it('imgguard budget prints each value and its source', () => {
    const d = project('budget', { budget: '3GiB', decoder: 'pillow', maxFrames: 50 });
    const r = run(['budget', '--max-width', '800'], d);
    expect(r.code).toBe(0);
    const cfg = join(d, 'imgguard.config.json');
    expect(r.stdout).toMatch(
      new RegExp(
        `^budget +3\\.22 GB \\(3221225472 bytes\\) +from config ${cfg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
        'm',
      ),
    );
    expect(r.stdout).toMatch(/^max-width +800 +from --max-width$/m);
    expect(r.stdout).toMatch(/^decoder +pillow +from config /m);
    expect(r.stdout).toMatch(/^max-height +none +from default$/m);
    const env = JSON.parse(run(['budget', '--json'], d, { IMGGUARD_BUDGET: '100MB' }).stdout);
    expect(env.budget).toMatchObject({ value: 100_000_000, source: 'IMGGUARD_BUDGET' });
    expect(env.maxFrames).toEqual({ value: 50, source: `config ${cfg}` });
    expect(env.config).toBe(cfg);
  });

  it('imgguard budget --budget auto explains where the memory figure came from', () => {
    const d = project('auto');
    const j = JSON.parse(run(['budget', '--budget', 'auto:10%', '--json'], d).stdout);
    expect(j.budget.source).toBe('--budget');
    expect(j.budget.percent).toBe(10);
    expect(['cgroup v2', 'cgroup v1', 'MemAvailable', 'os.freemem()']).toContain(j.budget.availableSource);
    expect(j.budget.value).toBe(Math.floor(j.budget.availableBytes / 10));
  });
});

describe('zod stays out of a plain check', () => {
  /** Runs check in-process in a child and reports whether zod was loaded (as CommonJS or ESM). */
  function zodLoaded(cwd: string): { code: number; zod: boolean } {
    const hooks = join(dir, 'hooks.mjs');
    writeFileSync(
      hooks,
      `export async function resolve(s, c, next) { const r = await next(s, c); if ` +
        `(r.url.includes('/node_modules/zod/')) console.error('ZOD-ESM'); return r; }\n`,
    );
    const script = join(dir, 'probe-zod.mjs');
    writeFileSync(
      script,
      [
        `import { register, createRequire } from 'node:module';`,
        `register(${JSON.stringify(`file://${hooks}`)});`,
        `const { main } = await import(${JSON.stringify(`file://${join(ROOT, 'dist/bundle/cli.js')}`)});`,
        `const code = main(['node', 'imgguard', 'check', '-q', 'wide.png']);`,
        `const cjs = Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('/node_modules/zod/'));`,
        `console.error(JSON.stringify({ code, cjs }));`,
      ].join('\n'),
    );
    const r = spawnSync(process.execPath, [script], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, IMGGUARD_BUDGET: '' },
    });
    const line = r.stderr
      .trim()
      .split('\n')
      .find((l) => l.startsWith('{'))!;
    const { code, cjs } = JSON.parse(line) as { code: number; cjs: boolean };
    return { code, zod: cjs || r.stderr.includes('ZOD-ESM') };
  }

  it('no config file: zod is never loaded', () => {
    const d = project('nozod');
    const found = spawnSync(
      process.execPath,
      [
        '-e',
        `import(${JSON.stringify(`file://${join(ROOT, 'dist/budget/config.js')}`)}).then((m) => ` +
          `console.log(m.findConfig(process.cwd()) === null))`,
      ],
      { cwd: d, encoding: 'utf8' },
    );
    if (found.stdout.trim() !== 'true') return; // a config above the temp dir: the premise does not hold here
    expect(zodLoaded(d)).toEqual({ code: 0, zod: false });
  });

  it('with a config file: zod is loaded to validate it', () => {
    const d = project('withzod', { budget: '2GB' });
    expect(zodLoaded(d)).toEqual({ code: 0, zod: true });
  });
});
