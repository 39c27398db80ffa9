// The walk every contender uses: depth-first, names in byte order, regular files only
// (the same order and set as `imgguard check DIR`).
import { readdirSync } from 'node:fs';

export function* walk(dir) {
  const entries = readdirSync(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

/** Runs `task` over `items` with at most `limit` promises in flight, keeping output order. */
export async function pool(items, limit, task, emit) {
  const it = items[Symbol.iterator]();
  const window = [];
  let done = false;
  const fill = () => {
    while (!done && window.length < limit) {
      const n = it.next();
      if (n.done) done = true;
      else window.push(task(n.value));
    }
  };
  fill();
  while (window.length) {
    emit(await window.shift());
    fill();
  }
}

/** Buffered stdout lines, like imgguard's output. */
export function lines() {
  let buf = '';
  return {
    push(s) {
      buf += `${s}\n`;
      if (buf.length > 16384) {
        process.stdout.write(buf);
        buf = '';
      }
    },
    end() {
      process.stdout.write(buf);
    },
  };
}
