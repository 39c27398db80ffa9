// image-size 2: imageSizeFromFile over the same walk, 32 in flight; prints W×H or the error.
import { imageSizeFromFile } from 'image-size/fromFile';
import { walk, pool, lines } from './walk.mjs';

const out = lines();
await pool(
  walk(process.argv[2]),
  32,
  (p) =>
    imageSizeFromFile(p).then(
      (s) => `${p} ${s.width}x${s.height}`,
      (e) => `${p} error ${e.message}`,
    ),
  (l) => out.push(l),
);
out.end();
