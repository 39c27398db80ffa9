import { readFileSync } from 'node:fs';
import { displayName, utf8Exact } from './names.js';

/**
 * Node decodes command-line arguments as UTF-8, replacing invalid bytes with U+FFFD, so a name
 * that is not UTF-8 (`xargs -0` over a Latin-1 folder) cannot be opened from `process.argv`.
 * On Linux the kernel keeps the raw arguments in /proc/self/cmdline: the arguments after the
 * script are its last ones. Each such argument is shown by its `\xNN` display form
 * (src/inputs/names.ts) and its bytes are kept here, by that form, for the commands to open.
 */
const rawByShown = new Map<string, Buffer>();

/**
 * `argv` with every argument that was not valid UTF-8 replaced by its display form (its bytes
 * recorded for `fsPathOf`). Unchanged when nothing was lost or the raw arguments are unknown.
 */
export function recoverRawArgs(argv: string[], cmdline = '/proc/self/cmdline'): string[] {
  const user = argv.length - 2;
  if (user <= 0 || !argv.some((a) => a.includes('\uFFFD'))) return argv;
  let raw: Buffer[];
  try {
    raw = splitNul(readFileSync(cmdline));
  } catch {
    return argv; // not Linux: names stay as Node decoded them
  }
  if (raw.length < user) return argv;
  const tail = raw.slice(raw.length - user);
  // Only when the kernel's arguments are the ones Node decoded (not a main() called in-process).
  if (!tail.every((b, i) => b.toString('utf8') === argv[i + 2])) return argv;
  const out = argv.slice(0, 2);
  for (const bytes of tail) {
    if (utf8Exact(bytes) !== null) out.push(bytes.toString('utf8'));
    else {
      const shown = displayName(bytes);
      rawByShown.set(shown, bytes);
      out.push(shown);
    }
  }
  return out;
}

/** What to open for an argument: its raw bytes when it was not UTF-8, else the argument itself. */
export function fsPathOf(arg: string): string | Buffer {
  return rawByShown.get(arg) ?? arg;
}

function splitNul(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let at = data.indexOf(0, start); at >= 0; at = data.indexOf(0, start)) {
    out.push(data.subarray(start, at));
    start = at + 1;
  }
  if (start < data.length) out.push(data.subarray(start));
  return out;
}
