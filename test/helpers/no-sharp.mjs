// Preloaded with `node --import`: any attempt to import sharp fails loudly, so a run that
// succeeds under this hook provably never loaded the decoder.
import { register } from 'node:module';

register('data:text/javascript,' + encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier === 'sharp' || specifier.startsWith('sharp/')) throw new Error('NO_SHARP: sharp was imported');
  return next(specifier, context);
}`));
