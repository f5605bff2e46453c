/**
 * `npm run openapi`: writes `openapi.json` (OpenAPI 3.1) from the route table and the zod schemas.
 * `--check` exits non-zero when the committed file is out of date (used by the tests).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { buildOpenApi } from '#http/openapi.ts';

const file = new URL('../openapi.json', import.meta.url);
const next = `${JSON.stringify(buildOpenApi(), null, 2)}\n`;
if (process.argv.includes('--check')) {
  const current = readFileSync(file, 'utf8');
  if (current !== next) {
    process.stderr.write('openapi.json is out of date: run npm run openapi\n');
    process.exit(1);
  }
} else {
  writeFileSync(file, next);
  process.stdout.write(`wrote openapi.json (${Object.keys(JSON.parse(next).paths).length} paths)\n`);
}
