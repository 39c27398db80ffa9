/**
 * What a format's wholeness check found: the compressed pixel data decoded completely under the
 * strictest reading of its spec, or why it could not be proven so. Never a verdict on its own: a
 * file not proven whole goes to the real decoder, which decides (and gives the reason).
 */
export type WholeProof = { whole: true } | { whole: false; why: string };

export const WHOLE: WholeProof = { whole: true };

export const notProven = (why: string): WholeProof => ({ whole: false, why });
