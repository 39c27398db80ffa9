import { ascii } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { PILLOW_9_5, pillowHeader } from './pillow-layout.js';

/** The values line is looked for this far into the file (real files have it in the first lines). */
const MAX_HEADER = 64 * 1024;

export function sniffXpm(h: Uint8Array): boolean {
  return ascii(h, 0, 9) === '/* XPM */';
}

/**
 * X PixMap 3 (XPM, "XPM Manual" ch. 2): C source whose first string, the values line, reads
 * "<width> <height> <colours> <chars per pixel>"; Pillow (XpmImagePlugin) takes the first line
 * that starts with it. Current Pillow opens up to 256 colours as P and more as RGB; Pillow 9 opens
 * only 1 character per pixel and up to 256 colours.
 */
export function readXpmHeader(src: ByteSource): Header {
  const text = ascii(src.read(0, MAX_HEADER), 0, MAX_HEADER);
  if (!text.startsWith('/* XPM */')) throw fail('xpm', 'E_BAD_SIGNATURE', 'no /* XPM */ comment');
  const m = /(?:^|\n)"(\d*) (\d*) (\d*) (\d*)/.exec(text.slice(9));
  if (!m) throw fail('xpm', 'E_BAD_HEADER', `no values line in the first ${MAX_HEADER} bytes`);
  if ([m[1], m[2], m[3], m[4]].some((v) => v === ''))
    throw fail('xpm', 'E_BAD_HEADER', 'an empty number in the values line');
  const colours = Number(m[3]);
  checkColours(text.slice(9 + m.index + m[0].length), colours, Number(m[4]));
  const newer = colours > 256 || m[4] !== '1';
  const notes = newer ? ['Pillow 9 does not open it (more than 256 colours or 2+ characters a pixel)'] : [];
  const mode = colours > 256 ? 'RGB' : 'P';
  const since = newer ? PILLOW_9_5 : undefined;
  return pillowHeader('xpm', { width: Number(m[1]), height: Number(m[2]), mode, since, notes });
}

/**
 * Pillow reads each colour line's `c` (colour) key and opens only `#rrggbb`-style values and
 * None; a colour name (`c red`) makes it refuse the file. Checked on the lines within the bound.
 */
function checkColours(rest: string, colours: number, charsPerPixel: number): void {
  const all = rest.split('\n');
  // The last piece has no line end: the end of the file or of the bound, so not a whole line.
  const lines = all.slice(1, Math.min(1 + colours, all.length - 1));
  for (const raw of lines) {
    const line = raw.trimEnd();
    const fields = line
      .slice(charsPerPixel + 1, -2)
      .trim()
      .split(/\s+/);
    let value: string | undefined;
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i] === 'c') {
        value = fields[i + 1];
        break;
      }
    }
    if (value === undefined || (value !== 'None' && !/^#[0-9A-Fa-f]+$/.test(value))) {
      throw fail(
        'xpm',
        'E_UNSUPPORTED_FEATURE',
        `colour ${JSON.stringify(line.slice(0, 40))}: Pillow reads #rgb values and None only`,
      );
    }
  }
}
