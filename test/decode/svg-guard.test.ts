import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { MAX_SVG_REFERENCED } from '../../src/rules.js';
import {
  externalReference,
  referencedElements,
  svgForDecode,
  svgProblem,
  svgRefusal,
} from '../../src/decode/svg-guard.js';
import { openDecoder, planDecode } from '../../src/decode/guard.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/sharp.js';
import { useFanOut } from '../helpers/svg.js';

const svg = (body: string, head = '') =>
  `<?xml version="1.0"?>${head}\n<svg xmlns="http://www.w3.org/2000/svg" ` +
  `xmlns:xlink="http://www.w3.org/1999/xlink" width="20" height="20">${body}</svg>`;

const XI = 'xmlns:xi="http://www.w3.org/2001/XInclude"';

describe('externalReference', () => {
  it.each([
    ['xi:include', svg(`<xi:include ${XI} href="secret.txt" parse="text"/>`)],
    ['xi:include after a quoted ">"', svg(`<xi:include ${XI} a=">" href="secret.txt" parse="text"/>`)],
    [
      'XInclude spelled with a character reference',
      svg('<x:include xmlns:x="http://www.w3.org/2001/X&#73;nclude" href="s.txt"/>'),
    ],
    ['an image file', svg('<image href="other.png" width="5" height="5"/>')],
    ['an image after a quoted ">"', svg('<image x=">" href="red.png" width="5" height="5"/>')],
    ['an image href spelled with character references', svg('<image href="&#114;ed.png"/>')],
    ['an image by file: URL', svg('<image href="file:///etc/passwd"/>')],
    ['an image up a folder', svg('<image href="../x/red.png"/>')],
    ['an image by absolute path', svg('<image href="/tmp/red.png"/>')],
    ['a use of another file', svg('<use xlink:href="sprites.svg#a"/>')],
    ['CSS @import', svg('<style>@import url(theme.css);</style>')],
    ['CSS @import with an escape', svg('<style>@\\69mport "theme.css";</style>')],
    ['CSS url( with an escape', svg('<style>rect { fill: u\\72l(red.png) }</style>')],
    ['CSS url( in a CDATA section', svg('<style><![CDATA[rect { fill: url(red.png) }]]></style>')],
    ['a url() to a file', svg('<rect fill="url(pattern.svg#p)" width="5" height="5"/>')],
    ['a url() in a style attribute', svg('<rect style="fill:url( \'p.svg#p\' )"/>')],
    ['an external entity', svg('<text>&x;</text>', '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>')],
    ['an entity holding markup', svg('<g>&x;</g>', '<!DOCTYPE svg [<!ENTITY x "<use href=\'#a\'/>">]>')],
    ['an external stylesheet', svg('<rect/>', '<?xml-stylesheet href="s.css"?>')],
  ])('refuses %s', (_, text) => {
    expect(externalReference(text)).not.toBeNull();
  });
  it.each([
    ['fragments', svg('<defs><linearGradient id="g"/></defs><rect fill="url(#g)"/><use href="#g"/>')],
    ['inline data', svg('<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>')],
    ['a link', svg('<a href="https://example.org/"><rect width="5" height="5"/></a>')],
    ['a public DTD', svg('<rect/>', '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "svg11.dtd">')],
    ['references in comments', svg('<!-- <image href="red.png"/> --><rect/>')],
    ['a plain entity', svg('<text>&n;</text>', '<!DOCTYPE svg [<!ENTITY n "name">]>')],
  ])('allows %s', (_, text) => {
    expect(externalReference(text)).toBeNull();
  });
});

describe('references drawn again', () => {
  it('counts nested <use> fan-out and refuses past the bound', () => {
    // The outer use draws l2 (221 elements), l2's ten uses draw l1 (21 each), l1's ten draw l0.
    expect(referencedElements(useFanOut(2, 10))).toBe(221 + 210 + 10);
    expect(svgProblem(useFanOut(4, 10))).toBeNull();
    expect(svgProblem(useFanOut(5, 10))).toMatch(new RegExp(`more than ${MAX_SVG_REFERENCED} elements`));
    expect(svgProblem(useFanOut(9, 10))).toMatch(/more than/);
  });
  it('counts patterns and markers drawn through url(#…), not gradients', () => {
    const pattern = svg(
      `<defs><pattern id="p">${'<rect/>'.repeat(1000)}</pattern></defs>${'<rect fill="url(#p)"/>'.repeat(200)}`,
    );
    expect(svgProblem(pattern)).toMatch(/more than/);
    const gradient = svg(
      `<defs><linearGradient id="g"><stop/><stop/></linearGradient></defs>${'<rect fill="url(#g)"/>'.repeat(2000)}`,
    );
    expect(referencedElements(gradient)).toBe(0);
  });
  it('refuses a reference loop', () => {
    expect(svgProblem(svg('<g id="a"><use href="#a"/></g>'))).toMatch(/loop/);
  });
  it('is linear: a 4 MB adversarial document is scanned well under the time limit', () => {
    const parts = ['url(', '<a href=', '<include ', '<image x=">', '@import', '/*', '&#', '<!--', '<!DOCTYPE [', "'"];
    for (const p of parts) {
      const text = p.repeat(Math.ceil((4 << 20) / p.length));
      for (const doc of [text, `<svg><style>${text}`, `<svg><rect style="${text}`]) {
        // CPU time, not wall time: the machine may be shared. Quadratic patterns took minutes
        // on 1 MB; linear work is a fraction of a second.
        const t = process.cpuUsage();
        svgProblem(doc);
        const used = process.cpuUsage(t);
        expect((used.user + used.system) / 1e6, p).toBeLessThan(3);
      }
    }
  });
});

describe('svgRefusal on files', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());
  it('refuses an svgz that inflates past the budget, without inflating it all', () => {
    const big = gzipSync(Buffer.from(svg(`<!-- ${'x'.repeat(5_000_000)} -->`)));
    writeFileSync(join(dir, 'bomb.svgz'), big);
    expect(svgRefusal(join(dir, 'bomb.svgz'), 1_000_000n)).toMatch(/inflates to more than 1000000 bytes/);
  });
  it('allows a small self-contained svgz, and hands the decoder the inflated text', () => {
    const text = svg('<rect width="5" height="5"/>');
    writeFileSync(join(dir, 'ok.svgz'), gzipSync(Buffer.from(text)));
    expect(svgRefusal(join(dir, 'ok.svgz'), 1_000_000n)).toBeNull();
    expect(svgForDecode(join(dir, 'ok.svgz'), 1_000_000n).bytes?.toString()).toBe(text);
  });
  it('convert refuses an SVG that includes another file, and writes nothing', () => {
    writeFileSync(join(dir, 'secret.txt'), 'top secret');
    writeFileSync(join(dir, 'inc.svg'), svg(`<xi:include ${XI} href="secret.txt" parse="text"/>`));
    const r = runCli(['convert', join(dir, 'inc.svg'), join(dir, 'out.png')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/XInclude/);
    expect(() => statSync(join(dir, 'out.png'))).toThrow();
  });
});

/** The decoder gets the bytes, so even a reference the text check missed resolves to nothing. */
describe('SVG decoded from its bytes, with no base location', () => {
  let dir: string;
  let cleanup: () => void;
  const RED = (data: Buffer) => {
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! > 200 && data[i + 3]! > 200) n++;
    return n;
  };
  const inked = (data: Buffer) => data.filter((b) => b !== 0).length;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    await sharp({ create: { width: 10, height: 10, channels: 3, background: 'red' } })
      .png()
      .toFile(join(dir, 'red.png'));
    writeFileSync(join(dir, 'secret.txt'), 'TOPSECRET TOPSECRET');
    writeFileSync(join(dir, 'clean.svg'), svg('<rect width="0" height="0"/>'));
  });
  afterAll(() => cleanup());
  const image = (href: string) => svg(`<image x=">" href="${href}" width="20" height="20"/>`);
  const cases = (d: () => string): [string, string][] => [
    ['a sibling image', image('red.png')],
    ['a file: URL', image(`file://${d()}/red.png`)],
    ['a ../ path', image(`../${d().split('/').pop()}/red.png`)],
    ['an absolute path', image(`${d()}/red.png`)],
    [
      'the namespace spelled with a reference',
      svg('<i:image xmlns:i="http://www.w3.org/2000/sv&#103;" href="red.png" width="20" height="20"/>'),
    ],
  ];
  it('sharp draws nothing from outside the document', async () => {
    const plan = planDecode(join(dir, 'clean.svg'), { budget: 1n << 30n, autoOrient: false });
    expect(Buffer.isBuffer(plan.svgBytes)).toBe(true);
    for (const [name, text] of cases(() => dir)) {
      const img = await openDecoder({ ...plan, svgBytes: Buffer.from(text) });
      const data = await img.raw().ensureAlpha().toBuffer();
      expect(RED(data), name).toBe(0);
    }
    const inc = svg(
      `<text x="0" y="15" font-size="15"><xi:include ${XI} a=">" href="secret.txt" parse="text"/></text>`,
    );
    const data = await (await openDecoder({ ...plan, svgBytes: Buffer.from(inc) })).raw().ensureAlpha().toBuffer();
    expect(inked(data)).toBe(0);
  });
  it('inspect, convert and check --verify never show a neighbour', () => {
    const texts: [string, string][] = [
      ...cases(() => dir),
      ['xi:include', svg(`<text><xi:include ${XI} a=">" href="secret.txt" parse="text"/></text>`)],
      [
        'X&#73;nclude',
        svg('<text><x:include xmlns:x="http://www.w3.org/2001/X&#73;nclude" href="secret.txt" parse="text"/></text>'),
      ],
    ];
    for (const [k, [name, text]] of texts.entries()) {
      const file = join(dir, `case${k}.svg`);
      writeFileSync(file, text);
      const inspected = runCli(['inspect', '--json', file]);
      const report = JSON.parse(inspected.stdout) as { status: string; stats: { channels: { max: number }[] } | null };
      if (report.status === 'ok') expect(report.stats!.channels[0]!.max, name).toBeLessThan(200);
      else expect(report.status, name).toBe('unsupported');
      const out = join(dir, `case${k}.png`);
      const converted = runCli(['convert', file, out]);
      if (converted.code === 0) expect(readdirSync(dir)).toContain(`case${k}.png`);
      else expect([converted.code, converted.stderr], name).toEqual([2, expect.stringMatching(/E_SVG|not handed/)]);
      const checked = runCli(['check', '--verify', '--ndjson', '--budget', '1MB', file]);
      const line = JSON.parse(checked.stdout) as { status: string };
      expect(line.status, name).not.toBe('ok');
    }
  }, 120_000);
});
