// Preloaded with `node --import`: any attempt to import or require sharp fails loudly, so a run
// that succeeds under this hook provably never loaded the decoder.
import Module, { register } from 'node:module';

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'sharp' || request.startsWith('sharp/')) throw new Error('NO_SHARP: sharp was required');
  return resolveFilename.call(this, request, ...rest);
};

register(
  'data:text/javascript,' +
    encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier === 'sharp' || specifier.startsWith('sharp/')) throw new Error('NO_SHARP: sharp was imported');
  return next(specifier, context);
}`),
);
