import { checkSync, DEFAULT_BUDGET, failedResult, type CheckOptions } from './check.js';
import { toReportedBytes } from './estimate.js';
import type { InputEntry } from './inputs/walk.js';
import type { Result, Status, Summary } from './result.js';

/** Exit codes (README "Exit codes"). */
export const EXIT = { ok: 0, overBudget: 1, failed: 2, usage: 64 } as const;

/** Checks entries one after another, yielding each result as soon as it is known. */
export function* checkEntries(entries: Iterable<InputEntry>, options: CheckOptions = {}): Generator<Result> {
  for (const entry of entries) {
    if (entry.failure) {
      yield failedResult(entry.path, toReportedBytes(BigInt(options.budget ?? DEFAULT_BUDGET)), entry.failure);
      continue;
    }
    yield checkSync(entry.path, { ...options, explicit: entry.explicit });
  }
}

/** Running counts over a stream of results; O(1) memory. */
export class Tally {
  files = 0;
  byStatus: Record<Status, number> = { ok: 0, over_budget: 0, corrupt: 0, unsupported: 0, error: 0 };
  decodedBytes = 0;

  add(r: Result): void {
    this.files++;
    this.byStatus[r.status]++;
    if (r.decodedBytes !== null) this.decodedBytes += r.decodedBytes;
  }

  /** 0 all ok; 1 some over budget and none unreadable; 2 some corrupt, unsupported or error. */
  exitCode(): number {
    const s = this.byStatus;
    if (s.corrupt + s.unsupported + s.error > 0) return EXIT.failed;
    if (s.over_budget > 0) return EXIT.overBudget;
    return EXIT.ok;
  }

  summary(): Summary {
    return { files: this.files, byStatus: { ...this.byStatus }, decodedBytes: this.decodedBytes, exitCode: this.exitCode() };
  }
}
