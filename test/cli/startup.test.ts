/**
 * A header-only `check` must cost little more than starting Node: sharp (the decoder) must not
 * be reachable through static imports from the executable, only through `import()` where
 * decoding happens.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BIN } from '../helpers/cli.js';

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
        if (existsSync(target)) visit(target);
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
  it('follows the executable into the built library', () => {
    expect([...graph.files].some((f) => f.endsWith('dist/check.js'))).toBe(true);
  });
  it('never imports sharp statically', () => {
    expect(graph.packages.has('sharp')).toBe(false);
  });
});
