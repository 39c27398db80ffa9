import { ProbeFailure } from '../../src/probe/failure.js';

/** The ProbeFailure that `fn` throws; any other outcome fails the test. */
export function failure(fn: () => unknown): ProbeFailure {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProbeFailure) return e;
    throw e;
  }
  throw new Error('expected a ProbeFailure');
}
