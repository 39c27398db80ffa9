/**
 * The real Pillow as the truth for the pillow and numpy profiles: Debian's python3-pil (9.4 at
 * /usr/bin/python3) and, when pip can install it, a current release in a venv made once under
 * node_modules/.cache. Each runs test/helpers/pillow-truth.py on files and reports what
 * Image.open says and the bytes its image holds after load().
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const TRUTH = fileURLToPath(new URL('./pillow-truth.py', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./pillow-fixtures.py', import.meta.url));
const SYSTEM_PYTHON = '/usr/bin/python3';
/** The current release the venv installs. */
export const CURRENT_PILLOW = '12.3.0';
const VENV = fileURLToPath(new URL('../../node_modules/.cache/imgguard-pillow-12/', import.meta.url));

export interface Pillow {
  python: string;
  /** "9.4.0" */
  version: string;
  /** The --decoder profile naming exactly this release: "pillow@9.4". */
  profile: `pillow@${string}`;
}

export interface PillowTruth {
  path: string;
  format?: string;
  mode?: string;
  size?: [number, number];
  frames?: number;
  /** The bytes of `im.im` after load(). */
  bytes?: number;
  /** Set when Image.open or load() raised. */
  error?: string;
}

function versionOf(python: string): string | null {
  if (!existsSync(python)) return null;
  const r = spawnSync(python, ['-c', 'import PIL; print(PIL.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function pillowAt(python: string): Pillow | null {
  const version = versionOf(python);
  if (version === null) return null;
  const [major, minor] = version.split('.');
  return { python, version, profile: `pillow@${major}.${minor}` };
}

/** The system's Pillow (Debian python3-pil), or null when it is not installed. */
export function systemPillow(): Pillow | null {
  return pillowAt(SYSTEM_PYTHON);
}

/**
 * A current Pillow in a venv, made on first use; null, with `why` set, when the venv or pip
 * cannot make it (offline without a package index, no python3-venv).
 */
export function currentPillow(): { pillow: Pillow | null; why?: string } {
  const python = `${VENV}bin/python`;
  if (versionOf(python) === CURRENT_PILLOW) return { pillow: pillowAt(python) };
  if (!existsSync(SYSTEM_PYTHON)) return { pillow: null, why: `${SYSTEM_PYTHON} is missing` };
  mkdirSync(VENV, { recursive: true });
  const venv = spawnSync(SYSTEM_PYTHON, ['-m', 'venv', VENV], { encoding: 'utf8', timeout: 120_000 });
  if (venv.status !== 0)
    return { pillow: null, why: `python3 -m venv failed: ${venv.stderr.trim().split('\n').pop()}` };
  const pip = spawnSync(`${VENV}bin/pip`, ['install', '-q', `pillow==${CURRENT_PILLOW}`], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (pip.status !== 0)
    return {
      pillow: null,
      why: `pip install pillow==${CURRENT_PILLOW} failed: ${pip.stderr.trim().split('\n').pop()}`,
    };
  return { pillow: pillowAt(python) };
}

/** What `pillow` says of each file (one Python process for all of them). */
export function pillowTruth(pillow: Pillow, files: string[]): PillowTruth[] {
  const r = spawnSync(pillow.python, [TRUTH, ...files], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`pillow-truth.py failed: ${r.stderr}`);
  return r.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as PillowTruth);
}

/** Writes `pillow`'s own fixtures (every mode each of its writers takes) into `dir`; their names. */
export function pillowFixtures(pillow: Pillow, dir: string): string[] {
  const r = spawnSync(pillow.python, ['-W', 'ignore', FIXTURES, dir], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`pillow-fixtures.py failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').filter(Boolean);
}
