/** Exit codes (README "Verdicts and exit codes"). */
export const EXIT = { ok: 0, overBudget: 1, failed: 2, usage: 64 } as const;
