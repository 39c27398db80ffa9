/**
 * imgguard's library API: what docs/api.md describes, and nothing else (test/index.test.ts holds
 * the two equal). The CLI is built on these same functions.
 */

// One file
export { check, checkSync } from './check.js';
export type { CheckOptions } from './check.js';
// Many files
export { checkEntries } from './run.js';
export type { RunOptions } from './run.js';
export { walkInputs } from './inputs/walk.js';
export type { InputEntry, WalkOptions } from './inputs/walk.js';
// Headers
export { probeSync } from './probe/probe.js';
export type { Probe } from './probe/probe.js';
export { readHeader } from './probe/detect.js';
export { bufferSource } from './probe/source.js';
export type { ByteSource, SourceLimits } from './probe/source.js';
export type { Header, PixelLayout, Format } from './probe/header.js';
// The estimate
export { estimate } from './estimate/size.js';
export type { Estimate } from './estimate/size.js';
export { profileEstimate } from './estimate/profiles.js';
export type { DecoderProfile, ProfileEstimate } from './estimate/profiles.js';
// Budgets
export { parseSize } from './budget/size.js';
export { parseBudget, availableMemory } from './budget/auto.js';
export type { AvailableMemory } from './budget/auto.js';
// Rules
export { DEFAULT_BUDGET, STATUSES, FAILING_STATUSES, REPORTER_NAMES } from './rules.js';
export { EXIT } from './exit.js';
// The result schema
export { ResultSchema, SummarySchema, ReportSchema, StatusSchema } from './result.js';
export type { Result, Summary, Report, Status } from './result.js';
// Errors
export { UserError } from './user-error.js';
export { ProbeFailure, FAILURE_CODES } from './probe/failure.js';
export type { FailureCode } from './probe/failure.js';
export { DecodeRefusal } from './decode/guard.js';
// Guarded decoding (sharp is loaded only when a decode fits the budget)
export { planDecode, openDecoder } from './decode/guard.js';
export type { DecodeRequest, DecodePlan } from './decode/guard.js';
