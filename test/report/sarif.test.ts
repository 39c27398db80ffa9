/**
 * `--reporter sarif`, checked against what GitHub code scanning documents as required of an
 * uploaded SARIF file ("SARIF support for code scanning"): version 2.1.0 and its $schema; a run
 * whose tool.driver has a name and the rules; results with a ruleId naming one of those rules, a
 * level, a message text and one physical location whose artifactLocation.uri is relative to the
 * repository root (uriBaseId %SRCROOT%), a region with a startLine, and partialFingerprints.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Sarif from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactLocation, SARIF_SCHEMA, SRCROOT } from '../../src/report/sarif.js';
import { tempDir } from '../helpers/sharp.js';
import { cli, png, writeTree } from '../helpers/tree.js';

let dir: string;
let repo: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = tempDir('imgguard-sarif-'));
  repo = join(dir, 'repo');
  writeTree(repo, {
    'assets/ok.png': png(10, 10),
    'assets/big.png': png(30000, 30000),
    'assets/cut.png': png(10, 10).subarray(0, 20),
    'my pics/text.png': 'not an image',
  });
});
afterAll(() => cleanup());

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

function sarif(args: string[], env: NodeJS.ProcessEnv = { GITHUB_WORKSPACE: repo }) {
  const r = cli(['check', ...args, '--reporter', 'sarif'], { cwd: repo, env });
  return { ...r, log: JSON.parse(r.stdout) as Sarif.Log };
}

/** What GitHub code scanning requires of a log, as assertions. */
function expectCodeScanningLog(log: Sarif.Log): void {
  expect(log.version).toBe('2.1.0');
  expect(log.$schema).toBe(SARIF_SCHEMA);
  expect(log.runs).toHaveLength(1);
  const run = log.runs[0]!;
  expect(run.tool.driver.name).toBe('imgguard');
  expect(run.tool.driver.semanticVersion).toBe(pkg.version);
  const rules = run.tool.driver.rules!;
  expect(rules.length).toBeGreaterThan(0);
  for (const rule of rules) {
    expect(rule.id).toMatch(/^[a-z_]+$/);
    expect(rule.shortDescription!.text.length).toBeGreaterThan(0);
    expect(rule.fullDescription!.text.length).toBeGreaterThan(0);
    expect(rule.help!.text.length).toBeGreaterThan(0);
    expect(['error', 'warning', 'note', 'none']).toContain(rule.defaultConfiguration!.level);
  }
  expect(run.originalUriBaseIds![SRCROOT]!.uri).toMatch(/^file:\/\/\/.*\/$/);
  for (const result of run.results!) {
    expect(rules[result.ruleIndex!]!.id).toBe(result.ruleId);
    expect(['error', 'warning', 'note', 'none']).toContain(result.level);
    expect(result.message.text!.length).toBeGreaterThan(0);
    expect(result.locations).toHaveLength(1);
    const physical = result.locations![0]!.physicalLocation!;
    const uri = physical.artifactLocation!.uri!;
    if (physical.artifactLocation!.uriBaseId !== undefined) {
      expect(physical.artifactLocation!.uriBaseId).toBe(SRCROOT);
      expect(uri).not.toMatch(/^\/|^[a-z]+:|(^|\/)\.\.(\/|$)/);
    } else expect(uri).toMatch(/^file:\/\/\//);
    expect(physical.region!.startLine).toBeGreaterThanOrEqual(1);
    expect(Object.values(result.partialFingerprints!)[0]).toMatch(/^[0-9a-f]{64}$/);
  }
}

describe('--reporter sarif', () => {
  it('is a SARIF 2.1.0 log that meets code scanning requirements, a result per file not ok', () => {
    const { code, log, stderr } = sarif(['.']);
    expect(code).toBe(2);
    expectCodeScanningLog(log);
    const results = log.runs[0]!.results!;
    expect(results.map((r) => [r.ruleId, r.locations![0]!.physicalLocation!.artifactLocation!.uri])).toEqual([
      ['over_budget', 'assets/big.png'],
      ['corrupt', 'assets/cut.png'],
      ['unsupported', 'my%20pics/text.png'],
    ]);
    expect(results.every((r) => r.level === 'error')).toBe(true);
    expect(log.runs[0]!.invocations![0]).toMatchObject({ executionSuccessful: true, exitCode: 2 });
    expect(stderr).toMatch(/^4 files: 1 ok, 1 over budget, 1 corrupt, 1 unsupported/);
  });

  it('URIs are relative to GITHUB_WORKSPACE, or to the working directory without it', () => {
    const fromAbove = cli(['check', join(repo, 'assets'), '--reporter', 'sarif'], {
      cwd: dir,
      env: { GITHUB_WORKSPACE: repo },
    });
    const uris = (JSON.parse(fromAbove.stdout) as Sarif.Log).runs[0]!.results!.map(
      (r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri,
    );
    expect(uris).toEqual(['assets/big.png', 'assets/cut.png']);
    const { log } = sarif(['assets'], { GITHUB_WORKSPACE: '' });
    expect(log.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('assets/big.png');
  });

  it('verdicts outside --fail-on are warnings', () => {
    const { code, log } = sarif(['assets', '--fail-on', 'corrupt']);
    expect(code).toBe(2);
    expect(log.runs[0]!.results!.map((r) => [r.ruleId, r.level])).toEqual([
      ['over_budget', 'warning'],
      ['corrupt', 'error'],
    ]);
  });

  it('no problems: a valid log with no results', () => {
    const { code, log } = sarif(['assets/ok.png']);
    expect(code).toBe(0);
    expectCodeScanningLog(log);
    expect(log.runs[0]!.results).toEqual([]);
  });

  it('a file outside the repository gets an absolute file URI', () => {
    expect(artifactLocation('/elsewhere/a b.png', '/repo')).toEqual({ uri: 'file:///elsewhere/a%20b.png' });
    expect(artifactLocation('/repo/x/#1.png', '/repo')).toEqual({ uri: 'x/%231.png', uriBaseId: SRCROOT });
  });
});
