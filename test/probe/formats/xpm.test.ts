import { describe, expect, it } from 'vitest';
import { readXpmHeader, sniffXpm } from '../../../src/probe/formats/xpm.js';
import { src, text } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';
import { describePillowFormat, describeReleases } from '../../helpers/pillow-formats.js';

function xpm(w: number, h: number, colours: string[], cpp = 1): Uint8Array {
  const rows = Array.from({ length: h }, () => `"${colours[0]!.slice(0, cpp).repeat(w)}",`);
  const body = [`"${w} ${h} ${colours.length} ${cpp}",`, ...colours.map((c) => `"${c}",`), ...rows];
  return new Uint8Array(text(`/* XPM */\nstatic char *x[] = {\n/* values */\n${body.join('\n')}\n};\n`));
}

describePillowFormat('XPM', {
  format: 'xpm',
  sniff: sniffXpm,
  read: readXpmHeader,
  samples: () => [
    {
      name: 'two colours',
      bytes: xpm(5, 3, ['a c #FF0000', 'b c None']),
      current: { mode: 'P', width: 5, height: 3, frames: 1 },
    },
    {
      name: 'mask key first',
      bytes: xpm(2, 2, ['a s bg c #000000']),
      current: { mode: 'P', width: 2, height: 2, frames: 1 },
    },
  ],
});

const manyColours = Array.from(
  { length: 300 },
  (_, i) => `${String.fromCharCode(65 + (i % 26))}${i % 10} c #${(i * 999).toString(16).padStart(6, '0')}`,
);
describeReleases('XPM', readXpmHeader, [
  { name: '300 colours, 2 characters a pixel', bytes: xpm(4, 2, manyColours, 2), modes: [null, 'RGB', 'RGB'] },
  {
    name: '2 colours, 2 characters a pixel',
    bytes: xpm(4, 2, ['aa c #000000', 'bb c None'], 2),
    modes: [null, 'P', 'P'],
  },
]);

describe('readXpmHeader', () => {
  it('more than 256 colours: RGB now; Pillow 9 does not open it', () => {
    const many = Array.from(
      { length: 300 },
      (_, i) => `${String.fromCharCode(65 + (i % 26))}${i % 10} c #${(i * 999).toString(16).padStart(6, '0')}`,
    );
    const h = readXpmHeader(src(xpm(4, 2, many, 2)));
    expect([h.width, h.height, h.pillowMode]).toEqual([4, 2, 'RGB']);
    expect(h.notes?.[0]).toMatch(/Pillow 9 does not open it/);
  });
  it('colour names, which Pillow refuses, and empty numbers fail cleanly', () => {
    expect(failure(() => readXpmHeader(src(xpm(5, 3, ['a c red'])))).code).toBe('E_UNSUPPORTED_FEATURE');
    expect(failure(() => readXpmHeader(src(new Uint8Array(text('/* XPM */\n" 3 1 1"\n'))))).code).toBe('E_BAD_HEADER');
    expect(failure(() => readXpmHeader(src(new Uint8Array(text('/* XPM */\nno values\n'))))).code).toBe('E_BAD_HEADER');
    expect(failure(() => readXpmHeader(src(xpm(0, 3, ['a c #000000'])))).code).toBe('E_DIMENSIONS');
  });
});
