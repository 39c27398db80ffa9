/** Exit codes (README "Verdicts and exit codes"). */
export const EXIT = { ok: 0, overBudget: 1, failed: 2, usage: 64 } as const;

/**
 * A run stopped by a signal exits as a shell reports a process killed by it, 128 + its number:
 * 130 for SIGINT (Ctrl-C), 143 for SIGTERM, 141 for SIGPIPE (the reader of the output went away).
 */
export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143, SIGPIPE: 141 } as const;
