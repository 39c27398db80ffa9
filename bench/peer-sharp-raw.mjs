// A bare sharp decode loop over the same walk: sharp(f).raw().toBuffer(), one file after another,
// default options (sharp's own thread pool); prints W×H or the error.
import sharp from 'sharp';
import { lines, walk } from './walk.mjs';

sharp.cache(false);
const out = lines();
for (const p of walk(process.argv[2])) {
  try {
    const { info } = await sharp(p).raw().toBuffer({ resolveWithObject: true });
    out.push(`${p} ${info.width}x${info.height}`);
  } catch (e) {
    out.push(`${p} error ${e.message.split('\n')[0]}`);
  }
}
out.end();
