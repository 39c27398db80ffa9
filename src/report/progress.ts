import type { Tally } from '../tally.js';
import type { Output } from './output.js';

/**
 * A one-line progress display on stderr: files done, files per second, counts by verdict and
 * elapsed time. Only for a terminal (the CLI turns it off for pipes, CI logs and `--quiet`).
 * Redrawn at most every 200 ms; the clock is read once per 64 files.
 */
export class Progress {
  private readonly started = Date.now();
  private last = 0;
  private shown = false;

  constructor(private readonly err: Output) {}

  tick(t: Tally): void {
    if ((t.files & 63) !== 0) return;
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    this.draw(t, now);
  }

  private draw(t: Tally, now: number): void {
    const secs = (now - this.started) / 1000;
    const rate = secs > 0 ? Math.round(t.files / secs) : 0;
    const s = t.byStatus;
    const line =
      `${t.files} files, ${rate}/s  ok ${s.ok}  over ${s.over_budget}  corrupt ${s.corrupt}  ` +
      `unsupported ${s.unsupported}  error ${s.error}  ${secs.toFixed(1)}s`;
    this.err.write(`\r\x1b[2K${line}`);
    this.err.flush();
    this.shown = true;
  }

  /** Clears the line before the final output. */
  done(): void {
    if (this.shown) {
      this.err.write('\r\x1b[2K');
      this.err.flush();
    }
  }
}
