import type { Result } from '../result.js';
import { DecodeRefusal, decodeFailure, planDecode, verifyDecode } from './guard.js';

/**
 * `check --verify`: after the header verdict, fully decode an `ok` image through the guarded
 * path (one at a time, so memory is bounded by the budget, not by a batch) and turn a pixel-data
 * failure into `corrupt` with sharp's reason. Other verdicts pass through untouched.
 */
export async function verifyResult(r: Result, budget: bigint): Promise<Result> {
  if (r.status !== 'ok') return r;
  if (r.fileBytes === null)
    return {
      ...r,
      verified: false,
      notes: [...(r.notes ?? []), 'not verified: a pipe or device cannot be read twice'],
    };
  try {
    // A name that is not UTF-8 is opened by its raw bytes.
    const path = r.pathBytes === undefined ? r.path : Buffer.from(r.pathBytes, 'base64');
    const plan = planDecode(path, { budget, autoOrient: false });
    await verifyDecode(plan);
    return { ...r, verified: true };
  } catch (e) {
    const f = e instanceof DecodeRefusal ? e : decodeFailure(e, r.format);
    if (f.status === 'over_budget')
      return { ...r, status: 'over_budget', reason: `not verified: ${f.message}`, verified: false };
    return { ...r, status: f.status, reason: f.message, error: { code: f.code, message: f.message }, verified: false };
  }
}
