// Regenerates imgguard.schema.json from the zod config schema (src/budget/schema.ts).
// Run `npm run schema` (builds first); test/budget/schema.test.ts checks the shipped file matches.
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../dist/budget/schema.js';

const out = new URL('../imgguard.schema.json', import.meta.url);
writeFileSync(out, JSON.stringify(configJsonSchema(), null, 2) + '\n');
console.log(`wrote ${out.pathname}`);
