/** `npm run bench`: prints figures and ratios (not a pass/fail test). */
import { benchIntake, printIntake } from './intake.ts';

process.env['LOG_LEVEL'] ??= 'error';
process.stdout.write(`投诉闭环 benchmark — node ${process.version}, ${new Date().toISOString()}\n\n`);
printIntake(await benchIntake());
