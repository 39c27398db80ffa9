import { readFileSync } from 'node:fs';

/** imgguard's version, from its package.json. */
export function imgguardVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
