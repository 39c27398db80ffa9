/**
 * A header-only `check` must cost little more than starting Node: the executable (CommonJS)
 * loads ONE CommonJS bundle of the CLI, with no ES module loader and no ~60 modules; sharp (the
 * decoder) and zod are loaded only where
 * decoding or validating happens, and built-ins that only some runs need are not loaded.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BIN } from '../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUNDLE = join(ROOT, 'dist/bundle/');
const CLI = join(BUNDLE, 'cli.js');
const WORKER = join(BUNDLE, 'run-worker.js');
const SAMPLE = join(ROOT, 'samples/photo.jpg');

/** The `require("…")` specifiers of a file, wherever they are. */
const requires = (code: string): string[] => [...code.matchAll(/\brequire\((['"])([^'"]+)\1\)/g)].map((m) => m[2]!);

describe('startup cost of the CLI', () => {
  const bin = readFileSync(BIN, 'utf8');
  const cli = readFileSync(CLI, 'utf8');
  const worker = readFileSync(WORKER, 'utf8');

  it('npm links the executable, which loads the bundle and nothing else of ours', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(resolve(ROOT, pkg.bin.imgguard!)).toBe(BIN);
    const ours = requires(bin).filter((s) => !s.startsWith('node:'));
    expect(ours.map((s) => resolve(dirname(BIN), s))).toEqual([CLI]);
  });

  it('the bundle is one CommonJS file for the CLI and one for the workers, each self-contained', () => {
    expect(readdirSync(BUNDLE).sort()).toEqual(['cli.js', 'index.js', 'package.json', 'run-worker.js']);
    expect(JSON.parse(readFileSync(join(BUNDLE, 'package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
    for (const code of [cli, worker]) {
      // Nothing of ours is loaded from outside (a second copy would break instanceof), and no
      // package but sharp and zod.
      expect(requires(code).filter((s) => !s.startsWith('node:') && s !== 'zod')).toEqual([]);
      // No import() either: packages load through require, and everything of ours is inside.
      expect(code).not.toMatch(/\bimport\(['"]/);
    }
  });

  it('requires sharp and zod only inside functions run by the commands that need them', () => {
    // Unminified esbuild output: top-level statements start at column 0, bodies are indented.
    const topLevel = cli.split('\n').filter((l) => /^\S/.test(l));
    expect(topLevel.filter((l) => /(require|Require)\((['"])(sharp|zod)\2\)/.test(l))).toEqual([]);
    expect(cli).toMatch(/^\s+const sharp = lazyRequire\("sharp"\);$/m); // when a decode passed the budget
    expect(requires(cli)).toContain('zod'); // zod in the initialisers of result.js and decode/inspect.js
    expect(requires(cli)).not.toContain('sharp');
  });

  it('files named relative to the bundle exist (--version, --concurrency workers)', () => {
    const named = [...cli.matchAll(/new URL\("([^"]+)", __importMetaUrl\)/g)].map((m) => resolve(BUNDLE, m[1]!));
    expect(named).toContain(join(ROOT, 'package.json'));
    expect(named).toContain(WORKER);
    for (const f of named) expect(existsSync(f), f).toBe(true);
    // No other path is computed from the bundle's place: outside comments, __dirname never occurs
    // and __filename only where the banner makes __importMetaUrl of it.
    for (const code of [cli, worker]) {
      const lines = code.split('\n').filter((l) => !/^\s*(\*|\/\/)/.test(l));
      expect(lines.filter((l) => /\b__(dirname|filename)\b/.test(l))).toEqual([lines[0]]);
      expect(lines[0]).toMatch(/^const __importMetaUrl = .*\(__filename\)/);
    }
  });

  it('a plain check loads the bin and the bundle only, and no built-in it does not use', () => {
    const hook = [
      'import { writeSync } from "node:fs"; import { createRequire } from "node:module";',
      'const cache = createRequire(process.cwd() + "/").cache;',
      'process.on("exit", () => writeSync(2, "\\n" + JSON.stringify({ builtins: process.moduleLoadList, files: ' +
        'Object.keys(cache) })));',
    ].join('\n');
    const r = spawnSync(
      process.execPath,
      ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, BIN, 'check', SAMPLE, '--ndjson'],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    const { builtins, files } = JSON.parse(r.stderr.trim().split('\n').pop()!) as {
      builtins: string[];
      files: string[];
    };
    expect(files.sort()).toEqual([BIN, CLI].sort());
    for (const name of ['worker_threads', 'zlib', 'child_process', 'net'])
      expect(builtins).not.toContain(`NativeModule ${name}`);
  });
});
