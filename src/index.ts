/**
 * imgguard's library API: the CLI is built on exactly these functions.
 */
export { check, checkSync, failedResult, DEFAULT_BUDGET } from './check.js';
export type { CheckOptions } from './check.js';
export { probeSync } from './probe/probe.js';
export type { Probe } from './probe/probe.js';
export { decodedBytes, estimate, toReportedBytes } from './estimate/size.js';
export type { Estimate } from './estimate/size.js';
export { readHeader, detect, READERS } from './probe/detect.js';
export type { FormatReader } from './probe/detect.js';
export { bufferSource, fileSource, BoundedSource, DEFAULT_LIMITS } from './probe/source.js';
export type { ByteSource, SourceLimits } from './probe/source.js';
export { ProbeFailure, FAILURE_CODES } from './probe/failure.js';
export type { FailureCode, FailureStatus } from './probe/failure.js';
export { decodeHints } from './probe/header.js';
export type { Header, PixelLayout, Format, DecodableFormat, RecognisedFormat, DecodeHints } from './probe/header.js';
export { parseSize, SIZE_FORMS } from './budget/size.js';
export { walkInputs } from './inputs/walk.js';
export type { InputEntry, WalkOptions } from './inputs/walk.js';
export { readPathList } from './inputs/list.js';
export type { ListOptions } from './inputs/list.js';
export { parseShard, shardOf, inShard } from './inputs/shard.js';
export type { Shard } from './inputs/shard.js';
export { checkEntries, checkEntry } from './run.js';
export { Tally } from './tally.js';
export { EXIT } from './exit.js';
export type { RunOptions } from './run.js';
export { ResultSchema, SummarySchema, ReportSchema, StatusSchema, STATUSES } from './result.js';
export type { Result, Summary, Report, Status } from './result.js';
export { availableMemory, autoBudget, parseAutoSpec, readCgroupLimit, readMemAvailable } from './budget/auto.js';
export type { AvailableMemory, AutoSpec, CgroupLimit, MemoryProbeOptions } from './budget/auto.js';
export { findConfig, readConfigFile, validateConfig, CONFIG_FILES } from './budget/config.js';
export type { FoundConfig, LoadedConfig } from './budget/config.js';
export { configSchema, configJsonSchema } from './budget/schema.js';
export type { Config } from './budget/schema.js';
export { resolveSettings, checkOptionsOf, imageLimitsOf, BUDGET_ENV } from './budget/settings.js';
export type { Settings, BudgetFlags, Sourced, ResolveOptions, FramesMode } from './budget/settings.js';
export { judgeLimits, PILLOW_MAX_IMAGE_PIXELS, PILLOW_ERROR_PIXELS } from './budget/limits.js';
export type { ImageLimits, LimitVerdict } from './budget/limits.js';
export {
  profileEstimate,
  pillowMode,
  pillowModeOfLayout,
  DECODERS,
  PILLOW_PIXEL_BYTES,
  NUMPY_LAYOUT,
} from './estimate/profiles.js';
export type { DecoderProfile, ProfileEstimate } from './estimate/profiles.js';
// Guarded decoding (sharp is loaded lazily, only when a decode fits the budget).
export { planDecode, openDecoder, verifyDecode, DecodeRefusal, whatFits, orientedSize } from './decode/guard.js';
export type { DecodeRequest, DecodePlan, RefusalStatus } from './decode/guard.js';
export { peakOf, peakArithmetic, fitPlan, fitScale, shrinkKind } from './estimate/fit.js';
export type { Peak, LoadPlan, FitPlan } from './estimate/fit.js';
export { convertFile, OUTPUT_FORMATS } from './decode/convert.js';
export type { ConvertRequest, Converted } from './decode/convert.js';
export { inspect, InspectSchema } from './decode/inspect.js';
export type { Inspection } from './decode/inspect.js';
export { verifyResult, verifyResults } from './decode/verify.js';
export { UserError } from './user-error.js';
