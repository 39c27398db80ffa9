// `npm run lint` (and so `npm test`): fails listing every line over 120 characters in src/ and
// test/. Biome wraps code at 120 but leaves long strings and comments alone; split those by hand.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX = 120;
const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = /\.(ts|mts|js|mjs|cjs)$/;

function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* files(path);
    else if (SOURCE.test(e.name)) yield path;
  }
}

const long = [];
for (const top of ['src', 'test']) {
  for (const file of files(join(root, top))) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        // Characters as an editor counts them (code points), not UTF-16 units.
        const length = [...line].length;
        if (length > MAX) long.push(`${relative(root, file)}:${i + 1}: ${length} characters`);
      });
  }
}
if (long.length > 0) {
  process.stderr.write(`${long.length} line(s) over ${MAX} characters (split long strings and comments):\n`);
  process.stderr.write(`${long.join('\n')}\n`);
  process.exit(1);
}
