import { EXIT } from './exit.js';
import { FAILING_STATUSES, STATUSES } from './rules.js';
import type { Result, Status, Summary } from './result.js';

/** Largest images kept for `--summary`. */
const LARGEST = 10;

export interface Largest {
  path: string;
  format: string | null;
  width: number | null;
  height: number | null;
  decodedBytes: number;
}

/** Running counts over a stream of results; O(1) memory. */
export class Tally {
  files = 0;
  byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  /** Files per format ("unknown" when none was recognised); as many keys as formats. */
  byFormat: Record<string, number> = {};
  decodedBytes = 0;
  /** The largest decoded sizes seen, largest first. */
  largest: Largest[] = [];
  /** Files a walk found that are no image by name or bytes, not checked (not in `files`). */
  skipped = 0;
  /** Remote objects read (results carrying `requests`), and what reading them cost. */
  remote = { objects: 0, requests: 0, bytes: 0, objectsByRequests: [] as number[] };

  /** Verdicts that make the exit code non-zero (`--fail-on`); default all but ok. */
  constructor(readonly failOn: ReadonlySet<Status> = new Set(FAILING_STATUSES)) {}

  add(r: Result): void {
    this.files++;
    this.byStatus[r.status]++;
    if (r.requests !== undefined) {
      const m = this.remote;
      m.objects++;
      m.requests += r.requests;
      m.bytes += r.headerBytes;
      m.objectsByRequests[r.requests] = (m.objectsByRequests[r.requests] ?? 0) + 1;
    }
    const f = r.format ?? 'unknown';
    this.byFormat[f] = (this.byFormat[f] ?? 0) + 1;
    if (r.decodedBytes !== null) {
      this.decodedBytes += r.decodedBytes;
      const l = this.largest;
      if (l.length < LARGEST || r.decodedBytes > l[l.length - 1]!.decodedBytes) {
        let i = l.length;
        while (i > 0 && l[i - 1]!.decodedBytes < r.decodedBytes) i--;
        l.splice(i, 0, {
          path: r.path,
          format: r.format,
          width: r.width,
          height: r.height,
          decodedBytes: r.decodedBytes,
        });
        if (l.length > LARGEST) l.pop();
      }
    }
  }

  /** The median count of requests per remote object (0 when none was read). */
  medianRequests(): number {
    let seen = 0;
    const counts = this.remote.objectsByRequests;
    for (let k = 0; k < counts.length; k++) {
      seen += counts[k] ?? 0;
      if (seen * 2 >= this.remote.objects) return k;
    }
    return 0;
  }

  /** Whether this result counts against the exit code. */
  fails(status: Status): boolean {
    return this.failOn.has(status);
  }

  /**
   * 0 when no verdict in `failOn` occurred; 1 when only over_budget did; 2 when corrupt,
   * unsupported or error did.
   */
  exitCode(): number {
    const s = this.byStatus;
    const counted = (k: Status) => (this.failOn.has(k) ? s[k] : 0);
    if (counted('corrupt') + counted('unsupported') + counted('error') > 0) return EXIT.failed;
    if (counted('over_budget') > 0) return EXIT.overBudget;
    return EXIT.ok;
  }

  summary(): Summary {
    return {
      files: this.files,
      byStatus: { ...this.byStatus },
      decodedBytes: this.decodedBytes,
      exitCode: this.exitCode(),
      skipped: this.skipped,
    };
  }
}
