import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeData, escapeProperty } from '../../src/report/github.js';
import { xmlEscape } from '../../src/report/junit.js';
import { ReportSchema, ResultSchema } from '../../src/result.js';
import { tempDir } from '../helpers/sharp.js';
import { checkXml } from '../helpers/xml.js';
import { cli, png, writeTree } from '../helpers/tree.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = tempDir('imgguard-report-'));
  writeTree(dir, {
    'ok.png': png(10, 10),
    'big.png': png(30000, 30000), // 2.7 GB decoded: over the default budget
    'cut.png': png(10, 10).subarray(0, 20), // truncated
    'text.png': 'not an image',
    'we<ird> & "name".png': png(3, 3),
  });
  writeFileSync(Buffer.from(`${dir}/ctl\u0001\u001b[31m%0A:,.png`), png(2, 2));
});
afterAll(() => cleanup());

describe('junit', () => {
  it('is a well-formed JUnit document with one testcase per file and failures counted', () => {
    const r = cli(['check', dir, '--reporter', 'junit']);
    expect(r.code).toBe(2);
    const els = checkXml(r.stdout);
    const cases = els.filter((e) => e.name === 'testcase');
    expect(cases).toHaveLength(6);
    expect(cases.map((c) => c.attrs.name)).toContain(`${dir}/we<ird> & "name".png`);
    // The control character U+0001 is not allowed in XML: dropped; ESC too.
    expect(cases.map((c) => c.attrs.name)).toContain(`${dir}/ctl[31m%0A:,.png`);
    const suite = els.find((e) => e.name === 'testsuite')!;
    expect(suite.attrs).toMatchObject({ tests: '6', failures: '3', errors: '0' });
    expect(
      els
        .filter((e) => e.name === 'failure')
        .map((e) => e.attrs.type)
        .sort(),
    ).toEqual(['corrupt', 'over_budget', 'unsupported']);
  });

  it('counts only the verdicts of --fail-on as failures', () => {
    const r = cli(['check', dir, '--reporter', 'junit', '--fail-on', 'corrupt']);
    expect(r.code).toBe(2);
    const els = checkXml(r.stdout);
    expect(els.find((e) => e.name === 'testsuites')!.attrs.failures).toBe('1');
  });

  it('escapes markup and drops characters XML forbids, lone surrogates included', () => {
    expect(xmlEscape('a<b>&"\'\n\u0000\uD800z\u{1F600}')).toBe('a&lt;b&gt;&amp;&quot;&apos;&#10;z\u{1F600}');
    expect(() => checkXml(`<a b="${xmlEscape('\u0007<&>"')}">${xmlEscape(']]>\uFFFE')}</a>`)).not.toThrow();
  });
});

describe('github', () => {
  it('escapes workflow command data and properties', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });

  it('annotates failing files and writes a Markdown job summary', () => {
    const summary = join(dir, '..', `summary-${process.pid}.md`);
    writeFileSync(summary, '');
    const r = cli(['check', dir, '--reporter', 'github', '--summary'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(2);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error '));
    expect(errors).toHaveLength(3);
    for (const line of errors)
      expect(line).toMatch(/^::error file=[^:,]*(?:%3A|%2C|[^:,])*,title=imgguard%3A [a-z_]+::[^\n\r]*$/);
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('| over_budget | 1 |');
    expect(md).toContain('## imgguard: files that are not ok');
    const failedPart = md.slice(md.indexOf('files that are not ok'), md.indexOf('## imgguard: 6 files'));
    expect(
      failedPart
        .split('\n')
        .filter((l) => l.startsWith('| `'))
        .map((l) => l.split(' | ')[1]),
    ).toEqual(['over_budget', 'corrupt', 'unsupported']);
    // --summary: the largest images (the four that have a size), largest first.
    const largest = md
      .slice(md.indexOf('| largest |'))
      .split('\n')
      .filter((l) => l.startsWith('| `'));
    expect(largest).toHaveLength(4);
    expect(largest[0]).toContain('big.png');
  });

  it('caps annotations at 10 and the summary well under 1 MiB, saying what was left out', () => {
    const many = join(dir, '..', `many-${process.pid}`);
    mkdirSync(many);
    const long = 'x'.repeat(200);
    for (let i = 0; i < 3000; i++) writeFileSync(join(many, `${long}-${String(i).padStart(4, '0')}.png`), 'junk');
    const summary = join(dir, '..', `summary-many-${process.pid}.md`);
    const r = cli(['check', many, '--reporter', 'github'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.stdout.split('\n').filter((l) => l.startsWith('::error ')).length).toBe(10);
    expect(r.stdout).toContain('::notice title=imgguard::2990 more files that are not ok');
    const md = readFileSync(summary, 'utf8');
    expect(Buffer.byteLength(md)).toBeLessThan(768 * 1024);
    const listed = md.split('\n').filter((l) => l.startsWith('| `')).length;
    expect(listed).toBeLessThan(3000);
    expect(md).toContain(`${3000 - listed} more files that are not ok are not listed here`);
  });
});

describe('json and ndjson', () => {
  it('ndjson: every line is a valid result', () => {
    const r = cli(['check', dir, '--ndjson']);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(6);
    for (const l of lines) expect(ResultSchema.safeParse(JSON.parse(l)).success).toBe(true);
  });
  it('json and --reporter json print the same valid document', () => {
    const a = cli(['check', dir, '--json']);
    const b = cli(['check', dir, '--reporter', 'json']);
    expect(ReportSchema.safeParse(JSON.parse(a.stdout)).success).toBe(true);
    expect(a.stdout).toBe(b.stdout);
  });
  it('--reporter and its shortcuts exclude each other', () => {
    expect(cli(['check', dir, '--json', '--reporter', 'junit']).code).toBe(64);
    expect(cli(['check', dir, '--reporter', 'xml']).code).toBe(64);
  });
});
