import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { readSvgHeader, SVG_ROOT_PREFIX } from '../../../src/probe/formats/svg.js';
import { readHeader } from '../../../src/probe/detect.js';
import { estimate } from '../../../src/estimate/size.js';
import { ProbeFailure } from '../../../src/probe/failure.js';
import { prefixes, src } from '../../helpers/bytes.js';
import { sharp, sharpTruth } from '../../helpers/sharp.js';
import { failure } from '../../helpers/failure.js';

const NS = 'xmlns="http://www.w3.org/2000/svg"';
/** An SVG whose drawing (7x5) differs from every size under test, so a bounding-box size shows. */
const svg = (attrs: string, body = '<rect width="7" height="5"/>'): Buffer =>
  Buffer.from(`<svg ${NS} ${attrs}>${body}</svg>`);

async function sharpFails(bytes: Buffer): Promise<boolean> {
  try {
    await sharp(bytes).metadata();
    return false;
  } catch {
    return true;
  }
}

describe('readSvgHeader: sizes agree with sharp (librsvg at 72 DPI, libvips rounding)', () => {
  const cases: [string, Buffer][] = [
    ['px width and height', svg('width="31px" height="17"')],
    ['fractions round half up', svg('width="10.5" height="10.4"')],
    ['0.5 rounds up to 1', svg('width="0.5" height="2.5"')],
    ['pt (1pt = 1px at 72 DPI)', svg('width="10.4pt" height="10.5pt"')],
    ['in and cm', svg('width="2in" height="3cm"')],
    ['mm and pc', svg('width="5mm" height="1pc"')],
    ['em and ex at the default 12px font', svg('width="2em" height="3ex"')],
    ['em with a font-size attribute', svg('font-size="20" width="2em" height="1ex"')],
    ['em with a font-size keyword', svg('font-size="x-large" width="10em" height="4"')],
    ['em with a percentage font-size', svg('font-size="150%" width="3em" height="4"')],
    ['em with a style font-size', svg('style="font-size:20px" width="2em" height="10"')],
    ['style width/height override the attributes', svg('style="width: 2in ; height:3em" width="5" height="12"')],
    ['style auto falls back to the viewBox', svg('style="width:auto" width="20" height="12" viewBox="0 0 10 10"')],
    ['an invalid style value is ignored', svg('style="width:foo" width="20" height="12"')],
    ['exponents and signs', svg('width="1.23e2" height="+.5e1"')],
    ['upper-case units', svg('width="10PX" height="2IN"')],
    ['whitespace around values', svg('width=" 10 " height="\n12\t"')],
    ['viewBox only', svg('viewBox="0 0 30.5 40.4"')],
    ['viewBox with commas', svg('viewBox="0,0,30,40"')],
    ['width and viewBox: height from the aspect ratio', svg('width="10" viewBox="0 0 3 7"')],
    ['height and viewBox: width from the aspect ratio', svg('height="20" viewBox="0 0 30 40"')],
    ['percentages with a viewBox', svg('width="100%" height="50%" viewBox="0 0 30 40"')],
    ['a percentage and an absolute size with a viewBox', svg('width="50%" height="20" viewBox="0 0 30 40"')],
    ['absolute sizes ignore the viewBox aspect', svg('width="10" height="20" viewBox="0 0 1 1"')],
    ['an invalid width counts as auto', svg('width="abc" height="10" viewBox="0 0 3 4"')],
    ['a negative width counts as auto', svg('width="-3" height="10" viewBox="0 0 3 4"')],
    ['an unknown unit counts as auto', svg('width="10q" height="10" viewBox="0 0 3 4"')],
    ['a malformed viewBox is ignored', svg('width="10" height="10" viewBox="0 0 30"')],
    ['character references are decoded', svg('width="&#51;&#x33;" height="12"')],
    ['no namespace', Buffer.from('<svg width="10" height="12"/>')],
    ['a prefixed root', Buffer.from('<svg:svg xmlns:svg="http://www.w3.org/2000/svg" width="10" height="12"/>')],
    [
      'BOM, declaration, comment, DOCTYPE',
      Buffer.from(
        `\ufeff<?xml version="1.0"?>\n<!-- c > d -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" ` +
          `"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg ${NS} width="9" height="8"/>`,
      ),
    ],
    [
      'a comment longer than the sniff window',
      Buffer.from(`<!--${'x'.repeat(10_000)}--><svg ${NS} width="9" height="8"/>`),
    ],
    [
      'a style element that does not size anything',
      svg('width="9" height="8"', '<style>.a{fill:red;stroke-width:2px}</style><rect class="a" width="7" height="5"/>'),
    ],
    ['svgz', gzipSync(svg('width="33" height="21"'))],
    ['single-precision numbers (33.3 x 5 rounds down)', svg('width="33.3px" viewBox="0 0 .7 3.5"')],
    ['em is 12px in the viewBox path whatever the font-size', svg('font-size="20" width="2em" viewBox="0 0 10 20"')],
    ['ex is 6px in the viewBox path', svg('font-size="smaller" width=".7ex" viewBox="0 0 100 12.49"')],
    ['absolute units in the viewBox path', svg('width="2cm" viewBox="0 0 10 20"')],
    ['an explicit 0 with an auto side gives the viewBox size', svg('width="0" viewBox="0 0 10 20"')],
    ['a 0 height with a percentage width gives the viewBox size', svg('width="50%" height="0" viewBox="0 0 10 20"')],
    ['a trailing dot is not a number (auto)', svg('width="7." height="5" viewBox="0 0 10 20"')],
    [
      'the last valid style declaration wins',
      svg('width="0in" height="100" viewBox="0 0 250 25" style="height:auto;height:7.pc"'),
    ],
    [
      'a negative style value is dropped',
      svg('width="3.5em" height="100mm" viewBox="0 0 250 7" style="width:auto;height:-4em"'),
    ],
  ];
  for (const [name, bytes] of cases) {
    it(name, async () => {
      const header = readHeader(src(bytes));
      const truth = await sharpTruth(bytes);
      expect(header.format).toBe('svg');
      expect([header.width, header.height, header.channels, header.bitsPerSample]).toEqual([
        truth.width,
        truth.height,
        truth.channels,
        truth.bitsPerSample,
      ]);
      expect(Number(estimate(header).decodedBytes)).toBe(truth.decodedBytes);
    });
  }
});

describe('readSvgHeader: sizes only rendering can tell are never ok', () => {
  const cases: [string, Buffer][] = [
    ['no width, height or viewBox', svg('')],
    ['a width only', svg('width="20"')],
    ['percentages without a viewBox', svg('width="100%" height="100%"')],
    ['a lower-case viewbox (not the viewBox attribute)', svg('viewbox="0 0 30 40"')],
    ['a negative viewBox', svg('viewBox="0 0 -5 10"')],
  ];
  for (const [name, bytes] of cases) {
    it(name, async () => {
      const f = failure(() => readHeader(src(bytes)));
      expect([f.code, f.status, f.format]).toEqual(['E_UNSUPPORTED_FEATURE', 'unsupported', 'svg']);
      // sharp sizes these from the drawing (7x5 here), which the header cannot know.
      const truth = await sharpTruth(bytes);
      expect([truth.width, truth.height]).toEqual([7, 5]);
    });
  }

  const css: [string, Buffer][] = [
    [
      'a <style> element sizing the root',
      svg('width="10" height="10"', '<rect width="7" height="5"/><style>svg{width:50px;height:70px}</style>'),
    ],
    [
      'a <style> element setting the font-size of em sizes',
      svg('width="2em" height="10"', '<style>:root{font-size:30px}</style>'),
    ],
    [
      'a <style> declaration hidden after a fake end tag in a comment',
      svg('width="10" height="10"', '<style><![CDATA[ /* </style> */ svg{width:50px} ]]></style>'),
    ],
    [
      'a <style> declaration spelled with a character reference',
      svg('width="10" height="10"', '<style>svg{&#119;idth:50px}</style>'),
    ],
    [
      'a <style> declaration with a comment before the colon',
      svg('width="10" height="10"', '<style>svg{width/**/:50px}</style>'),
    ],
    [
      'an <?xml-stylesheet?>',
      Buffer.from(
        `<?xml-stylesheet type="text/css" href="data:text/css,svg{width:50px}"?><svg ${NS} width="10" height="12"/>`,
      ),
    ],
  ];
  for (const [name, bytes] of css) {
    it(name, async () => {
      const f = failure(() => readHeader(src(bytes)));
      expect(f.code).toBe('E_UNSUPPORTED_FEATURE');
      // The stylesheet really does change the size sharp decodes.
      const truth = await sharpTruth(bytes);
      expect(truth.width).not.toBe(10);
    });
  }

  it('a root style the reader does not evaluate', () => {
    expect(failure(() => readHeader(src(svg('style="width:calc(10px + 2em)" width="5" height="5"')))).code).toBe(
      'E_UNSUPPORTED_FEATURE',
    );
  });
});

describe('readSvgHeader: invalid sizes and XML are corrupt, as sharp finds them', () => {
  const cases: [string, Buffer, string][] = [
    ['a size that rounds to 0', svg('width="0.49" height="5"'), 'E_DIMENSIONS'],
    ['a zero height', svg('width="5" height="0"'), 'E_DIMENSIONS'],
    ['a zero-width viewBox', svg('viewBox="0 0 0 10"'), 'E_DIMENSIONS'],
    ['a repeated attribute', svg('width="10" height="10" width="20"'), 'E_BAD_HEADER'],
    ['an unquoted attribute', Buffer.from('<svg width=100 height=100/>'), 'E_BAD_HEADER'],
    ["a '<' inside an attribute", svg('onclick="a<b" width="10" height="10"'), 'E_BAD_HEADER'],
    ['attributes run together', svg('width="10"height="10"'), 'E_BAD_HEADER'],
  ];
  for (const [name, bytes, code] of cases) {
    it(name, async () => {
      const f = failure(() => readHeader(src(bytes)));
      expect([f.code, f.status]).toEqual([code, 'corrupt']);
      expect(await sharpFails(bytes)).toBe(true);
    });
  }

  it('an XML document with another root is not an image (and has no format)', () => {
    const f = failure(() =>
      readHeader(src(Buffer.from(`<?xml version="1.0"?><html><svg ${NS} width="1" height="1"/></html>`))),
    );
    expect([f.code, f.format]).toEqual(['E_NOT_IMAGE', null]);
  });
  it('gzip data that is not an SVG is not an image', () => {
    const f = failure(() => readHeader(src(gzipSync(Buffer.from('hello, world')))));
    expect([f.code, f.format]).toEqual(['E_NOT_IMAGE', null]);
  });
  it('a corrupt gzip stream is corrupt', () => {
    const bad = Buffer.concat([gzipSync(svg('width="1" height="1"')).subarray(0, 10), Buffer.alloc(40, 0xff)]);
    expect(failure(() => readHeader(src(bad))).code).toBe('E_BAD_HEADER');
  });
});

describe('readSvgHeader: truncated', () => {
  const doc = Buffer.from(
    `<?xml version="1.0"?><!DOCTYPE svg><!-- c --><svg ${NS} width="10" height="12" viewBox="0 0 1 1">`,
  );
  it('every cut before the end of the root start tag fails, never ok', () => {
    for (const cut of prefixes(doc).filter((p) => p.length >= 1)) {
      const f = failure(() => readHeader(src(cut)));
      expect(['corrupt', 'unsupported']).toContain(f.status);
      if (cut.length > 5) expect(f.code).toBe('E_TRUNCATED');
    }
  });
  it('a truncated svgz still reads its root attributes', () => {
    const full = gzipSync(Buffer.concat([svg('width="10" height="12"', '<g>'), Buffer.alloc(200_000, 0x20)]));
    const cut = full.subarray(0, full.length - 100);
    const h = readSvgHeader(src(cut));
    expect([h.width, h.height]).toEqual([10, 12]);
  });
});

describe('readSvgHeader: hostile', () => {
  const laughs = ['<!ENTITY lol "lol">'];
  for (let i = 1; i < 10; i++) laughs.push(`<!ENTITY lol${i} "${`&lol${i - 1 || ''};`.repeat(10)}">`);
  const dtd = `<?xml version="1.0"?><!DOCTYPE svg [${laughs.join('')}]>`;

  it('billion laughs: answered from the root attributes without expansion', () => {
    const bytes = Buffer.from(`${dtd}<svg ${NS} width="40" height="30"><text>&lol9;</text></svg>`);
    const start = performance.now();
    const h = readHeader(src(bytes));
    expect(performance.now() - start).toBeLessThan(100);
    expect([h.width, h.height]).toEqual([40, 30]);
    expect(h.notes?.join(' ')).toMatch(/not expanded/);
  });
  it('billion laughs in a size attribute is refused, not expanded', () => {
    const bytes = Buffer.from(`${dtd}<svg ${NS} width="&lol9;" height="30"/>`);
    const f = failure(() => readHeader(src(bytes)));
    expect(f.code).toBe('E_UNSUPPORTED_FEATURE');
  });
  it('an attribute default in the DOCTYPE is refused', async () => {
    const bytes = Buffer.from(
      `<!DOCTYPE svg [<!ATTLIST svg width CDATA "90">]><svg ${NS} height="30" viewBox="0 0 1 1"/>`,
    );
    expect(failure(() => readHeader(src(bytes))).code).toBe('E_UNSUPPORTED_FEATURE');
    expect((await sharpTruth(bytes)).width).toBe(90); // libxml2 applies the default
  });
  it('a parameter entity in the DOCTYPE is refused (it could declare a default width)', () => {
    const bytes = Buffer.from(
      `<!DOCTYPE svg [<!ENTITY % p "&#60;!ATTLIST svg width CDATA '90'>"> %p;]><svg ${NS} height="30" viewBox="0 ` +
        `0 1 1"/>`,
    );
    expect(failure(() => readHeader(src(bytes))).code).toBe('E_UNSUPPORTED_FEATURE');
  });
  it("a processing instruction holding ']>' and a decoy root inside the DOCTYPE", async () => {
    const bytes = Buffer.from(
      `<!DOCTYPE svg [ <?pi ]> <svg width="1" height="1"/> ?> ]><svg ${NS} width="99" height="98"/>`,
    );
    const h = readHeader(src(bytes));
    const truth = await sharpTruth(bytes);
    expect([h.width, h.height]).toEqual([truth.width, truth.height]);
  });
  it('external entities and xi:include are left alone: only the text is scanned', () => {
    const bytes = Buffer.from(
      `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY e SYSTEM "file:///etc/passwd">]>` +
        `<svg ${NS} xmlns:xi="http://www.w3.org/2001/XInclude" xmlns:xlink="http://www.w3.org/1999/xlink" ` +
        `width="12" height="11">` +
        `<xi:include href="/etc/passwd" parse="text"/><image xlink:href="/etc/hostname" width="1" ` +
        `height="1"/><text>&e;</text></svg>`,
    );
    const s = src(bytes);
    const h = readHeader(s);
    expect([h.width, h.height]).toEqual([12, 11]);
    expect(s.bytesRead).toBeLessThanOrEqual(bytes.length);
  });
  it('a 10 MB SVG whose root comes after a huge comment: a bounded answer', () => {
    const bytes = Buffer.concat([
      Buffer.from('<!--'),
      Buffer.alloc(10 * 1024 * 1024, 0x78),
      Buffer.from(`--><svg ${NS} width="1" height="1"/>`),
    ]);
    const s = src(bytes);
    const f = failure(() => readHeader(s));
    expect([f.code, f.status]).toEqual(['E_HEADER_TOO_LARGE', 'corrupt']);
    expect(s.bytesRead).toBeLessThanOrEqual(SVG_ROOT_PREFIX + 4096);
  });
  it('a 10 MB SVG with its size up front is refused unread: a later stylesheet could resize it', () => {
    const bytes = Buffer.concat([
      svg('width="10" height="10"', '<g>'),
      Buffer.alloc(10 * 1024 * 1024, 0x20),
      Buffer.from('</g></svg>'),
    ]);
    const s = src(bytes);
    const f = failure(() => readHeader(s));
    expect(f.code).toBe('E_UNSUPPORTED_FEATURE');
    expect(s.bytesRead).toBeLessThanOrEqual(SVG_ROOT_PREFIX + 4096);
  });
  it('an svgz bomb inflates only up to the cap', () => {
    const bomb = gzipSync(Buffer.concat([svg('width="10" height="10"', '<g>'), Buffer.alloc(64 * 1024 * 1024, 0x20)]), {
      level: 9,
    });
    const s = src(bomb);
    const start = performance.now();
    const f = failure(() => readHeader(s));
    expect(performance.now() - start).toBeLessThan(2000);
    expect(f.code).toBe('E_UNSUPPORTED_FEATURE');
    expect(s.bytesRead).toBeLessThanOrEqual(bomb.length);
  });
  it('a root start tag longer than the bounded prefix', () => {
    const bytes = Buffer.from(`<svg ${NS} data-x="${'x'.repeat(SVG_ROOT_PREFIX)}" width="1" height="1"/>`);
    expect(failure(() => readHeader(src(bytes))).code).toBe('E_HEADER_TOO_LARGE');
  });
  it('the largest size sharp renders is ok; one more px a side is unsupported, as sharp refuses it', async () => {
    const edge = svg('width="32767" height="1"');
    expect(readHeader(src(edge)).width).toBe(32767);
    expect((await sharpTruth(edge)).width).toBe(32767);
    for (const big of [svg('width="32768" height="1"'), svg('width="10" viewBox="0 0 1 4000"')]) {
      expect(failure(() => readHeader(src(big))).code).toBe('E_UNSUPPORTED_FEATURE');
      await expect(sharp(big).raw().toBuffer()).rejects.toThrow(/32767/);
    }
  });
  it('a size beyond 2^31-1 is invalid', () => {
    expect(failure(() => readHeader(src(svg('width="5e9" height="1"')))).code).toBe('E_DIMENSIONS');
  });
  it('random bytes after an XML start never crash', () => {
    let seed = 1;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % 256;
    };
    for (let n = 0; n < 300; n++) {
      const tail = Buffer.from(Array.from({ length: 200 }, rand));
      const bytes = Buffer.concat([Buffer.from(n % 2 ? '<svg ' : '<?xml '), tail]);
      try {
        readHeader(src(bytes));
      } catch (e) {
        expect(e).toBeInstanceOf(ProbeFailure);
      }
    }
  });
});
