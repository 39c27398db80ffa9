import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { externalReference, svgRefusal } from '../../src/decode/svg-guard.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/sharp.js';

const svg = (body: string, head = '') =>
  `<?xml version="1.0"?>${head}\n<svg xmlns="http://www.w3.org/2000/svg" ` +
  `xmlns:xlink="http://www.w3.org/1999/xlink" width="20" height="20">${body}</svg>`;

describe('externalReference', () => {
  it.each([
    ['xi:include', svg('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="secret.txt" parse="text"/>')],
    ['an image file', svg('<image href="other.png" width="5" height="5"/>')],
    ['a use of another file', svg('<use xlink:href="sprites.svg#a"/>')],
    ['CSS @import', svg('<style>@import url(theme.css);</style>')],
    ['a url() to a file', svg('<rect fill="url(pattern.svg#p)" width="5" height="5"/>')],
    ['an external entity', svg('<text>&x;</text>', '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>')],
    ['an external stylesheet', svg('<rect/>', '<?xml-stylesheet href="s.css"?>')],
  ])('refuses %s', (_, text) => {
    expect(externalReference(text)).not.toBeNull();
  });
  it.each([
    ['fragments', svg('<defs><linearGradient id="g"/></defs><rect fill="url(#g)"/><use href="#g"/>')],
    ['inline data', svg('<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>')],
    ['a link', svg('<a href="https://example.org/"><rect width="5" height="5"/></a>')],
  ])('allows %s', (_, text) => {
    expect(externalReference(text)).toBeNull();
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
  it('allows a small self-contained svgz', () => {
    writeFileSync(join(dir, 'ok.svgz'), gzipSync(Buffer.from(svg('<rect width="5" height="5"/>'))));
    expect(svgRefusal(join(dir, 'ok.svgz'), 1_000_000n)).toBeNull();
  });
  it('convert refuses an SVG that includes another file, and writes nothing', () => {
    writeFileSync(join(dir, 'secret.txt'), 'top secret');
    writeFileSync(
      join(dir, 'inc.svg'),
      svg('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="secret.txt" parse="text"/>'),
    );
    const r = runCli(['convert', join(dir, 'inc.svg'), join(dir, 'out.png')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/XInclude/);
    expect(() => statSync(join(dir, 'out.png'))).toThrow();
  });
});
