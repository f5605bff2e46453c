/**
 * Writes a directory seed file for `cdk deploy -c directorySeed=<file>` (decision 056, docs/deploy.md):
 * by default the local demo directory (`shared/config/units.json` + `routing.json`) in the seed's shape —
 * the shape of `GET /admin/directory`'s `entries` — as a starting point to edit, or for a dev stage.
 * Checks the result as synthesis will, and says what is wrong.
 *
 *   npx tsx scripts/directory-seed.ts > directory.json          # the demo, to edit
 *   npx tsx scripts/directory-seed.ts --check directory.json    # validate a file as cdk synth does
 */
import { readDirectorySeed } from '../infra/config.ts';
import { directory, routing } from '#config/index.ts';
import { checkDirectorySeed, seedEntries } from '#domain/directory-entries.ts';

const [flag, file] = process.argv.slice(2);
if (flag === '--check') {
  if (!file) throw new Error('usage: npx tsx scripts/directory-seed.ts --check <file>');
  const { entries } = readDirectorySeed(file);
  console.log(`${file}: ${entries.units.length} units, ${entries.staff.length} staff, ${entries.routing.rules.length} routing rules — valid`);
} else {
  const entries = seedEntries(directory, routing);
  const { issues } = checkDirectorySeed(entries);
  if (issues.length > 0) throw new Error(`the demo directory is not a valid seed: ${JSON.stringify(issues)}`);
  process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
}
