/** `npm run bench`: prints figures and ratios (not a pass/fail test). `--quick` uses smaller samples. */
import { benchAssignment, printAssignment } from './assignment.ts';
import { benchBundles, printBundles } from './bundles.ts';
import { benchIntake, printIntake } from './intake.ts';
import { benchReports, printReports } from './reports.ts';
import { benchScheduler, printScheduler } from './scheduler.ts';
import { benchSla, printSla } from './sla.ts';

process.env['LOG_LEVEL'] ??= 'error';
const quick = process.argv.includes('--quick');
process.stdout.write(`投诉闭环 benchmark — node ${process.version}, ${new Date().toISOString()}${quick ? ' (quick)' : ''}\n\n`);
printBundles(await benchBundles());
printIntake(await benchIntake(quick ? { samples: 100, throughputRequests: 300 } : {}));
printSla(await benchSla(quick ? { sizes: [1_000, 10_000] } : {}));
printScheduler(await benchScheduler(quick ? { complaints: 3 } : {}));
printAssignment(await benchAssignment(quick ? { sizes: [1_000, 10_000], assignments: 20 } : {}));
printReports(await benchReports(quick ? { sizes: [1_000, 10_000] } : {}));
