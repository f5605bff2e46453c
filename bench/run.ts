/**
 * `npm run bench`: prints figures and ratios (not a pass/fail test). `--quick` uses smaller samples;
 * `--only=bundles,intake,outbox,sla,scheduler,assignment` runs just those sections (same samples).
 */
import { benchAssignment, printAssignment } from './assignment.ts';
import { benchBundles, printBundles } from './bundles.ts';
import { benchExports, printExports } from './exports.ts';
import { benchIntake, benchRequestPath, printIntake, printRequestPath } from './intake.ts';
import { benchOutbox, printOutbox } from './outbox.ts';
import { benchReports, printReports } from './reports.ts';
import { benchScheduler, printScheduler } from './scheduler.ts';
import { benchSla, printSla } from './sla.ts';

process.env['LOG_LEVEL'] ??= 'error';
// The functions' EMF lines would bury the figures (one per intake, SMS, breach).
process.env['POWERTOOLS_METRICS_DISABLED'] ??= 'true';
const quick = process.argv.includes('--quick');
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const runs = (section: string) => only === undefined || only.includes(section);
process.stdout.write(
  `投诉闭环 benchmark — node ${process.version}, ${new Date().toISOString()}${quick ? ' (quick)' : ''}${only ? ` (only ${only.join(', ')})` : ''}\n\n`,
);
if (runs('bundles')) printBundles(await benchBundles());
if (runs('intake')) {
  printIntake(await benchIntake(quick ? { samples: 100, throughputRequests: 300 } : {}));
  printIntake(await benchIntake({ samples: quick ? 100 : 400, throughputRequests: 0, settle: false }));
  printIntake(await benchIntake({ samples: quick ? 100 : 400, throughputRequests: 0, keyed: false }));
  printRequestPath(await benchRequestPath({ samples: quick ? 300 : 1000 }));
}
if (runs('outbox')) {
  printOutbox(await benchOutbox({ complaints: quick ? 200 : 500, clients: 1 }));
  printOutbox(await benchOutbox({ complaints: quick ? 200 : 500, clients: 4 }));
}
if (runs('sla')) printSla(await benchSla(quick ? { sizes: [1_000, 10_000] } : {}));
if (runs('scheduler')) printScheduler(await benchScheduler(quick ? { complaints: 3 } : {}));
if (runs('assignment')) printAssignment(await benchAssignment(quick ? { sizes: [1_000, 10_000], assignments: 20 } : {}));
if (runs('exports')) printExports(await benchExports(quick ? { rows: 10_000 } : {}));
if (runs('reports')) printReports(await benchReports(quick ? { sizes: [1_000, 10_000] } : {}));
