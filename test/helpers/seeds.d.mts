export function makeSeeds(): Promise<Map<string, Uint8Array>>;
