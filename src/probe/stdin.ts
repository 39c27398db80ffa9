/** `-` as an input path (check, inspect, convert): standard input, shown as `-` in results. */
export const STDIN = '-';
/**
 * Standard input by name: the header check reads descriptor 0 for it (src/probe/open.ts); a decode
 * opens it again, which works for a file redirected to it (a pipe is not re-readable).
 */
export const STDIN_DEVICE = '/dev/stdin';
