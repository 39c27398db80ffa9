/**
 * The GitHub Action (action.yml): its check step, action/run.sh, run here as the runner runs it,
 * in the workspace with the inputs as INPUT_* environment variables and GITHUB_STEP_SUMMARY set.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUN = join(ROOT, 'action/run.sh');

let workspace: string;
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'imgguard-action-'));
  workspace = join(tmp, 'workspace');
  mkdirSync(join(workspace, 'images/nested'), { recursive: true });
  copyFileSync(join(ROOT, 'samples/bomb.gif'), join(workspace, 'images/bomb.gif'));
  copyFileSync(join(ROOT, 'samples/photo.jpg'), join(workspace, 'images/photo.jpg'));
  copyFileSync(join(ROOT, 'samples/animated.gif'), join(workspace, 'images/nested/animated.gif'));
  copyFileSync(join(ROOT, 'samples/truncated.png'), join(workspace, 'images/truncated.png'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let runs = 0;
function runAction(inputs: Record<string, string>) {
  const summary = join(tmp, `summary-${++runs}.md`);
  writeFileSync(summary, '');
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  Object.assign(env, { GITHUB_WORKSPACE: workspace, GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: 'true' }, inputs);
  const r = spawnSync('bash', [RUN], { cwd: workspace, env, encoding: 'utf8', timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, summary: readFileSync(summary, 'utf8') };
}

describe('action.yml', () => {
  const action = readFileSync(join(ROOT, 'action.yml'), 'utf8');
  it('is a composite action whose inputs reach the check step as INPUT_* variables', () => {
    expect(action).toMatch(/^ {2}using: composite$/m);
    for (const input of ['paths', 'budget', 'reporter', 'fail-on', 'output']) {
      expect(action).toMatch(new RegExp(`^ {2}${input}:$`, 'm'));
      const variable = `INPUT_${input.toUpperCase().replace(/-/g, '_')}`;
      expect(action).toContain(`${variable}: \${{ inputs.${input} }}`);
    }
    expect(action).toContain('"$GITHUB_ACTION_PATH/action/run.sh"');
    expect(action).toContain('"$GITHUB_ACTION_PATH/action/install.sh"');
  });
});

describe('action/run.sh (the check step)', () => {
  it('annotates the failing files, writes the job summary and fails the step', () => {
    const r = runAction({
      INPUT_PATHS: 'images\n',
      INPUT_BUDGET: '512MiB',
      INPUT_REPORTER: 'github',
      INPUT_FAIL_ON: '',
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('::error file=images/bomb.gif,title=imgguard%3A over_budget::over_budget: ');
    expect(r.stdout).toContain('::error file=images/truncated.png,title=imgguard%3A corrupt::');
    expect(r.stdout).not.toContain('photo.jpg');
    expect(r.stdout).toMatch(/^4 files: 2 ok, 1 over budget, 1 corrupt \(budget 537 MB, 512 MiB\)$/m);
    expect(r.summary).toContain('| `images/bomb.gif` | over_budget | gif 23001×23001 |');
    expect(r.summary).toContain('## imgguard: 4 files: 2 ok, 1 over budget, 1 corrupt');
  });

  it('passes patterns to imgguard unexpanded, several per input, one per line', () => {
    // bash would expand `images/**/*.gif` to images/*/*.gif (no globstar); imgguard walks it whole.
    const r = runAction({ INPUT_PATHS: '  images/**/*.gif\n\nimages/*.jpg\n', INPUT_REPORTER: 'json' });
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { results: { path: string }[] };
    expect(report.results.map((x) => x.path)).toEqual([
      'images/bomb.gif',
      'images/nested/animated.gif',
      'images/photo.jpg',
    ]);
  });

  it('fail-on none: reports the same files, exits 0', () => {
    const r = runAction({ INPUT_PATHS: 'images', INPUT_FAIL_ON: 'none' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('file=images/bomb.gif');
    expect(r.summary).toContain('`images/bomb.gif`');
  });

  it('fail-on over_budget and a budget that fits the bomb: exits 0', () => {
    const r = runAction({ INPUT_PATHS: 'images/bomb.gif', INPUT_BUDGET: '4GiB', INPUT_FAIL_ON: 'over_budget' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1 file: 1 ok /m);
  });

  it('reporter sarif with an output file: a SARIF log for code scanning, paths from the workspace', () => {
    const r = runAction({ INPUT_PATHS: 'images', INPUT_REPORTER: 'sarif', INPUT_OUTPUT: 'imgguard.sarif' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const log = JSON.parse(readFileSync(join(workspace, 'imgguard.sarif'), 'utf8')) as {
      version: string;
      runs: {
        results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
      }[];
    };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.results.map((x) => [x.ruleId, x.locations[0]!.physicalLocation.artifactLocation.uri])).toEqual([
      ['over_budget', 'images/bomb.gif'],
      ['corrupt', 'images/truncated.png'],
    ]);
  });

  it('a bad input is one line naming it, exit 64', () => {
    const r = runAction({ INPUT_PATHS: 'images', INPUT_REPORTER: 'xml' });
    expect(r.code).toBe(64);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--reporter');
  });
});
