import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { makePng } from './helpers/bytes.js';
import { tempDir } from './helpers/sharp.js';

const ROOT = resolve(import.meta.dirname, '..');
const { dir, cleanup } = tempDir('imgguard-api-');
afterAll(cleanup);

/** The names in the first column of the table under `## <heading>` in docs/api.md. */
function documented(heading: string): string[] {
  const doc = readFileSync(join(ROOT, 'docs/api.md'), 'utf8');
  const section = doc.split(`\n## ${heading}\n`)[1]!.split('\n## ')[0]!;
  return [...section.matchAll(/^\|\s*`(\w+)`\s*\|/gm)].map((m) => m[1]!).sort();
}

describe('the public API is what docs/api.md says', () => {
  it('the values exported equal the documented ones', () => {
    expect(Object.keys(api).sort()).toEqual(documented('Functions and values'));
  });

  it('the types exported equal the documented ones', () => {
    const index = readFileSync(join(ROOT, 'src/index.ts'), 'utf8');
    const types = [...index.matchAll(/^export type \{([^}]*)\}/gm)].flatMap((m) =>
      m[1]!.split(',').map((n) => n.trim()),
    );
    expect(types.filter(Boolean).sort()).toEqual(documented('Types'));
  });

  it("check accepts a budget as the CLI takes it: 'auto', 'auto:P%', '512MB'", async () => {
    const path = join(dir, 'a.png');
    writeFileSync(path, makePng({ width: 100, height: 100 }));
    const auto = await api.check(path, { budget: 'auto' });
    expect(auto.status).toBe('ok');
    expect(auto.budgetBytes).toBeGreaterThan(0);
    expect((await api.check(path, { budget: '512MB' })).budgetBytes).toBe(512e6);
    expect(api.checkSync(path, { budget: '1KB' }).status).toBe('over_budget');
    expect(() => api.checkSync(path, { budget: 'lots' })).toThrow(api.UserError);
    // Worker threads run the built library (npm test builds first): the budget they judge by is the run's.
    const built = (await import(join(ROOT, 'dist/index.js'))) as typeof api;
    const [one] = [...built.checkEntries(built.walkInputs([path]), { budget: 'auto:50%', concurrency: 2 })];
    expect(one!.status).toBe('ok');
    expect(one!.budgetBytes).toBeGreaterThan(0);
  });

  it("require('imgguard') gives the same API to CommonJS", () => {
    const r = spawnSync(
      process.execPath,
      ['-e', "const m = require('imgguard'); console.log(JSON.stringify(Object.keys(m).sort()))"],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(Object.keys(api).sort());
  });
});
