import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configJsonSchema, EXPECTED } from '../src/budget/schema.js';
import { REPORTERS } from '../src/cli/reporting.js';
import { DECODERS } from '../src/estimate/profiles.js';
import { STATUSES as RESULT_STATUSES } from '../src/result.js';
import {
  CONCURRENCY,
  DEFAULT_BUDGET,
  DEFAULT_BUDGET_TEXT,
  FAILING_STATUSES,
  REPORTER_NAMES,
  STATUSES,
} from '../src/rules.js';
import { parseSize } from '../src/budget/size.js';
import { resolveSettings } from '../src/budget/settings.js';
import { Tally } from '../src/tally.js';
import { makePng } from './helpers/bytes.js';
import { BIN } from './helpers/cli.js';
import { tempDir } from './helpers/sharp.js';

const { dir, cleanup } = tempDir('imgguard-rules-');
afterAll(cleanup);
writeFileSync(join(dir, 'a.png'), makePng({ width: 8, height: 8 }));

function run(args: string[], config?: Record<string, unknown>) {
  if (config) writeFileSync(join(dir, 'imgguard.config.json'), JSON.stringify(config));
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, IMGGUARD_BUDGET: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('one home for each rule', () => {
  it('statuses: the result schema, the failing list and the tally use the same verdicts', () => {
    expect(RESULT_STATUSES).toBe(STATUSES);
    expect(FAILING_STATUSES).toEqual(STATUSES.filter((s) => s !== 'ok'));
    expect(Object.keys(new Tally().byStatus)).toEqual([...STATUSES]);
    expect([...new Tally().failOn]).toEqual([...FAILING_STATUSES]);
  });

  it('reporter names: every name has a reporter, and the config accepts exactly those', () => {
    expect(Object.keys(REPORTERS).sort()).toEqual([...REPORTER_NAMES].sort());
    const schema = configJsonSchema() as { properties: Record<string, { enum?: string[] }> };
    expect(schema.properties.reporter!.enum).toEqual([...REPORTER_NAMES]);
    const decoder = schema.properties.decoder as { pattern?: string };
    for (const name of DECODERS) expect(new RegExp(decoder.pattern!).test(name)).toBe(true);
  });

  it('the default budget is one value, written one way', () => {
    expect(parseSize(DEFAULT_BUDGET_TEXT)).toBe(DEFAULT_BUDGET);
    const s = resolveSettings({}, { cwd: '/', env: {} });
    expect(s.budget).toMatchObject({ value: DEFAULT_BUDGET, source: 'default', spec: DEFAULT_BUDGET_TEXT });
  });

  it('concurrency: the flag and the config accept the same range', () => {
    expect(EXPECTED.concurrency).toBe(`a whole number from ${CONCURRENCY.min} to ${CONCURRENCY.max}`);
    const over = CONCURRENCY.max + 1;
    // Over the bound: refused from the config (naming the setting) as from the flag, both exit 64.
    const fromConfig = run(['check', 'a.png', '-q'], { concurrency: over });
    expect(fromConfig.code).toBe(64);
    expect(fromConfig.stderr).toContain(`concurrency: expected ${EXPECTED.concurrency}, found ${over}`);
    const fromFlag = run(['check', 'a.png', '-q', '--concurrency', String(over)], {});
    expect(fromFlag.code).toBe(64);
    expect(fromFlag.stderr).toContain(`from ${CONCURRENCY.min} to ${CONCURRENCY.max}`);
    // 500 (accepted by the config before, refused by the command) is refused alike.
    expect(run(['check', 'a.png', '-q'], { concurrency: 500 }).code).toBe(64);
    expect(run(['check', 'a.png', '-q', '--concurrency', '500'], {}).code).toBe(64);
    // Within it: both run (not at the bound: 256 worker threads are slow to start on a small machine).
    expect(run(['check', 'a.png', '-q'], { concurrency: 2 }).code).toBe(0);
    expect(run(['check', 'a.png', '-q', '--concurrency', '2'], {}).code).toBe(0);
  });
});
