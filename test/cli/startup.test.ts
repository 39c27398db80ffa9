/**
 * A header-only `check` must cost little more than starting Node: the executable runs the CLI
 * bundle (a few files instead of ~60 modules); sharp (the decoder) and zod are reachable only
 * through `import()` where decoding or validating happens, and built-ins that only some runs need
 * are not loaded.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BIN } from '../helpers/cli.js';

const BUNDLE = fileURLToPath(new URL('../../dist/bundle/', import.meta.url));
const SAMPLE = fileURLToPath(new URL('../../samples/photo.jpg', import.meta.url));

/** Static `import … from '…'` / `export … from '…'` specifiers of a built file (not `import()`). */
function staticImports(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  return [...code.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => (m[1] ?? m[2])!);
}

function reachable(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of staticImports(file)) {
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        expect(existsSync(target), `${file} imports ${spec}`).toBe(true);
        visit(target);
      } else if (!spec.startsWith('node:')) {
        packages.add(spec.split('/')[0]!.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
    }
  };
  visit(entry);
  return { files, packages };
}

describe('startup cost of the CLI', () => {
  const graph = reachable(BIN);
  const bundled = readdirSync(BUNDLE).map((f) => join(BUNDLE, f));

  it('the executable runs the bundle, and nothing outside it', () => {
    expect(graph.files.has(join(BUNDLE, 'cli.js'))).toBe(true);
    expect([...graph.files].filter((f) => f !== BIN && !f.startsWith(BUNDLE))).toEqual([]);
    expect(graph.files.size).toBeLessThan(10);
  });

  it('never imports sharp or zod statically: only chunks loaded by import() do', () => {
    expect(graph.packages.has('sharp')).toBe(false);
    expect(graph.packages.has('zod')).toBe(false);
    const lazy = bundled.filter((f) => !graph.files.has(f));
    expect(lazy.some((f) => readFileSync(f, 'utf8').includes('import("sharp")'))).toBe(true);
    expect(lazy.some((f) => staticImports(f).includes('zod'))).toBe(true);
  });

  it('files named relative to a bundled module exist (--version, --concurrency workers)', () => {
    const named = bundled.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/new URL\("([^"]+)", import\.meta\.url\)/g)].map((m) => resolve(dirname(f), m[1]!)));
    expect(named).toContain(join(BUNDLE, 'run-worker.js'));
    for (const f of named) expect(existsSync(f), f).toBe(true);
  });

  it('a plain check loads no built-in it does not use', () => {
    const hook = 'import { writeSync } from "node:fs"; process.on("exit", () => writeSync(2, "\\n" + JSON.stringify(process.moduleLoadList)));';
    const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, BIN, 'check', SAMPLE, '--ndjson'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const loaded = JSON.parse(r.stderr.trim().split('\n').pop()!) as string[];
    for (const name of ['worker_threads', 'zlib', 'child_process', 'net']) expect(loaded).not.toContain(`NativeModule ${name}`);
  });
});
