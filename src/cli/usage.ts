/** A bad flag, argument or config: one line on stderr and exit 64. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses one of a fixed set of words, or throws a UsageError naming the accepted ones. */
export function oneOf<T extends string>(flag: string, value: string, accepted: readonly T[]): T {
  if ((accepted as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`invalid ${flag} ${JSON.stringify(value)}: expected one of ${accepted.join(', ')}`);
}
