import { autoBudget, autoSpecOrThrow, looksLikeAuto, type AvailableMemory, type MemoryProbeOptions } from './auto.js';
import { findConfig, readConfigFile, validateConfig, type LoadedConfig } from './config.js';
import type { ImageLimits } from './limits.js';
import type { DecoderProfile } from '../estimate/decoders.js';
import type { Config } from './schema.js';
import { parseSize } from './size.js';
import { DEFAULT_BUDGET, DEFAULT_BUDGET_TEXT, FRAMES_MODES } from '../rules.js';
import { UserError } from '../user-error.js';
import { decoderProfile, oneOf, parsePixels, positiveInt } from '../validate.js';

/** Budget on the first frame/page (what sharp decodes by default) or on all of them. */
export type FramesMode = (typeof FRAMES_MODES)[number];

/**
 * The effective settings of a run, each with where it came from. Precedence, highest first:
 * command-line flag > environment variable (IMGGUARD_BUDGET, budget only) > config file > default.
 */

export const BUDGET_ENV = 'IMGGUARD_BUDGET';

/** Budget and limit flags, as commander hands them over (strings; booleans for switches). */
export interface BudgetFlags {
  budget?: string;
  frames?: string;
  decoder?: string;
  maxPixels?: string;
  maxWidth?: string;
  maxHeight?: string;
  maxFrames?: string;
  maxFileSize?: string;
  pillowCompat?: boolean;
  /** A config file to use instead of discovery. */
  config?: string;
  /** `--ignore` patterns of check (already split at commas); they replace the config's list. */
  ignore?: string[];
}

/** '--budget', 'IMGGUARD_BUDGET', 'config <file>', 'default' (or '--pillow-compat' for a preset). */
export type SettingSource = string;

export interface Sourced<T> {
  value: T;
  source: SettingSource;
}

export interface BudgetSetting extends Sourced<bigint> {
  /** The text the budget came from ('1GiB', 'auto:60%', '536870912'). */
  spec: string;
  /** For auto budgets: the memory the share was taken of. */
  available?: AvailableMemory;
  percent?: number;
}

export interface Settings {
  budget: BudgetSetting;
  frames: Sourced<FramesMode>;
  decoder: Sourced<DecoderProfile>;
  maxPixels: Sourced<number | undefined>;
  maxWidth: Sourced<number | undefined>;
  maxHeight: Sourced<number | undefined>;
  maxFrames: Sourced<number | undefined>;
  maxFileSize: Sourced<bigint | undefined>;
  pillowCompat: Sourced<boolean>;
  /** Settings for the check command's dataset options (wired by the check command). */
  reporter: Sourced<Config['reporter']>;
  failOn: Sourced<Config['failOn']>;
  concurrency: Sourced<number | undefined>;
  ignore: Sourced<string[] | undefined>;
  /** The config file used, or null. */
  config: LoadedConfig | null;
}

export interface ResolveOptions {
  /** Where discovery starts (default process.cwd()). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Where `auto` reads /proc and /sys (tests). */
  memory?: MemoryProbeOptions;
}

function budgetFrom(text: string, source: string, memory: MemoryProbeOptions | undefined): BudgetSetting {
  if (looksLikeAuto(text)) {
    let spec: ReturnType<typeof autoSpecOrThrow>;
    try {
      spec = autoSpecOrThrow(text);
    } catch (e) {
      if (e instanceof UserError) throw new UserError(`${source}: ${e.message}`);
      throw e;
    }
    const { bytes, available } = autoBudget(spec, memory);
    return { value: bytes, source, spec: text.trim(), available, percent: spec.percent };
  }
  try {
    return { value: parseSize(text), source, spec: text.trim() };
  } catch (e) {
    if (e instanceof UserError)
      throw new UserError(
        `${source}: invalid budget ${JSON.stringify(text)}: expected a size (512MB, 1.5GB, 512MiB, 2G, bytes), ` +
          `auto or auto:P%`,
      );
    throw e;
  }
}

function sizeFlag(flag: string, text: string): bigint {
  try {
    return parseSize(text);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`${flag}: ${e.message}`);
    throw e;
  }
}

/** Picks flag > config > default for one setting. */
function pick<T>(
  flag: T | undefined,
  flagName: string,
  fromConfig: T | undefined,
  configSource: string,
  fallback: T,
): Sourced<T> {
  if (flag !== undefined) return { value: flag, source: flagName };
  if (fromConfig !== undefined) return { value: fromConfig, source: configSource };
  return { value: fallback, source: 'default' };
}

/**
 * Resolves every setting. Throws a UserError (the CLI prints it and exits 64) for a bad flag,
 * environment value or config file. zod is loaded only when a config file is found.
 */
export function resolveSettings(flags: BudgetFlags, options: ResolveOptions = {}): Settings {
  const env = options.env ?? process.env;
  const found = flags.config !== undefined ? readConfigFile(flags.config) : findConfig(options.cwd);
  const loaded = found ? validateConfig(found) : null;
  const c: Partial<Config> = loaded?.config ?? {};
  const from = loaded ? `config ${loaded.file}${loaded.key ? ` ("${loaded.key}" key)` : ''}` : 'default';

  let budget: BudgetSetting;
  const envBudget = env[BUDGET_ENV];
  if (flags.budget !== undefined) budget = budgetFrom(flags.budget, '--budget', options.memory);
  else if (envBudget !== undefined && envBudget.trim() !== '')
    budget = budgetFrom(envBudget, BUDGET_ENV, options.memory);
  else if (c.budget !== undefined)
    budget =
      typeof c.budget === 'number'
        ? { value: BigInt(c.budget), source: from, spec: String(c.budget) }
        : budgetFrom(c.budget, from, options.memory);
  else budget = { value: DEFAULT_BUDGET, source: 'default', spec: DEFAULT_BUDGET_TEXT };

  const pillowCompat = pick(
    flags.pillowCompat === true ? true : undefined,
    '--pillow-compat',
    c.pillowCompat,
    from,
    false,
  );
  return {
    budget,
    frames: pick(
      flags.frames !== undefined ? oneOf('--frames', flags.frames, FRAMES_MODES) : undefined,
      '--frames',
      c.frames,
      from,
      'first' as FramesMode,
    ),
    decoder: pick(
      flags.decoder !== undefined ? decoderProfile('--decoder', flags.decoder) : undefined,
      '--decoder',
      c.decoder as DecoderProfile | undefined,
      from,
      'sharp' as DecoderProfile,
    ),
    maxPixels: pick(
      flags.maxPixels !== undefined ? parsePixels('--max-pixels', flags.maxPixels) : undefined,
      '--max-pixels',
      c.maxPixels,
      from,
      undefined,
    ),
    maxWidth: pick(
      flags.maxWidth !== undefined ? positiveInt('--max-width', flags.maxWidth) : undefined,
      '--max-width',
      c.maxWidth,
      from,
      undefined,
    ),
    maxHeight: pick(
      flags.maxHeight !== undefined ? positiveInt('--max-height', flags.maxHeight) : undefined,
      '--max-height',
      c.maxHeight,
      from,
      undefined,
    ),
    maxFrames: pick(
      flags.maxFrames !== undefined ? positiveInt('--max-frames', flags.maxFrames) : undefined,
      '--max-frames',
      c.maxFrames,
      from,
      undefined,
    ),
    maxFileSize: pick(
      flags.maxFileSize !== undefined ? sizeFlag('--max-file-size', flags.maxFileSize) : undefined,
      '--max-file-size',
      c.maxFileSize === undefined
        ? undefined
        : typeof c.maxFileSize === 'number'
          ? BigInt(c.maxFileSize)
          : parseSize(c.maxFileSize),
      from,
      undefined,
    ),
    pillowCompat,
    reporter: pick(undefined, '--reporter', c.reporter, from, undefined),
    failOn: pick(undefined, '--fail-on', c.failOn, from, undefined),
    concurrency: pick(undefined, '--concurrency', c.concurrency, from, undefined),
    ignore: pick(flags.ignore, '--ignore', c.ignore, from, undefined),
    config: loaded,
  };
}

/** The image limits of resolved settings, for CheckOptions. */
export function imageLimitsOf(s: Settings): ImageLimits {
  const limits: ImageLimits = {};
  if (s.maxPixels.value !== undefined) limits.maxPixels = s.maxPixels.value;
  if (s.maxWidth.value !== undefined) limits.maxWidth = s.maxWidth.value;
  if (s.maxHeight.value !== undefined) limits.maxHeight = s.maxHeight.value;
  if (s.maxFrames.value !== undefined) limits.maxFrames = s.maxFrames.value;
  if (s.maxFileSize.value !== undefined) limits.maxFileSize = s.maxFileSize.value;
  if (s.pillowCompat.value) limits.pillowCompat = true;
  return limits;
}

/** The check options (CheckOptions in src/check.ts) the settings stand for. */
export function checkOptionsOf(s: Settings): {
  budget: bigint;
  frames: FramesMode;
  decoder: DecoderProfile;
  imageLimits: ImageLimits;
} {
  return { budget: s.budget.value, frames: s.frames.value, decoder: s.decoder.value, imageLimits: imageLimitsOf(s) };
}
