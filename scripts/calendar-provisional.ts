/**
 * Writes `shared/config/holidays-cn-provisional.json`: the provisional holiday arrangement for
 * the years without a State Council notice (see docs/decisions/040-provisional-holidays.md).
 *
 *   npx tsx scripts/calendar-provisional.ts            # 2027–2036, writes the file
 *   npx tsx scripts/calendar-provisional.ts 2027 2040  # another range
 *
 * The file is committed; test/unit/calendar/provisional.test.ts fails when it differs from what
 * this script would write.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateProvisional } from '#domain/calendar/generate.ts';
import { lunarFestivals } from '#domain/calendar/lunar.ts';

/** The years the committed file covers. */
export const PROVISIONAL_RANGE = { from: 2027, to: 2036 } as const;

const [fromArg, toArg] = process.argv.slice(2);
const from = fromArg ? Number(fromArg) : PROVISIONAL_RANGE.from;
const to = toArg ? Number(toArg) : PROVISIONAL_RANGE.to;
const file = generateProvisional(from, to);
const target = fileURLToPath(new URL('../shared/config/holidays-cn-provisional.json', import.meta.url));
// One break or lunar block per line, so a regenerated year reads well in a diff.
const text = JSON.stringify(file, null, 2)
  .replace(/\{\n\s+("name"|"newYearsEve")[^{}]*?\n\s+\}/g, (block) => block.replace(/\n\s*/g, ' ').replace(/\[ /g, '[').replace(/ \]/g, ']'))
  .replace(/\[\n\s+("\d\d-\d\d",?\s*)+\]/g, (list) => list.replace(/\n\s*/g, ' ').replace(/\[ /g, '[').replace(/ \]/g, ']'));
writeFileSync(target, `${text}\n`);
for (let y = from; y <= to; y++) {
  const l = lunarFestivals(y);
  // A deciding instant within minutes of Beijing midnight is where a finer ephemeris could differ.
  console.log(
    `${y}: 春节 ${l.springFestival} 清明 ${l.qingming} 端午 ${l.dragonBoat} 中秋 ${l.midAutumn}${l.leapMonth ? ` 闰${l.leapMonth}月` : ''} (closest to midnight: ${l.marginMinutes} min)`,
  );
}
console.log(`wrote ${target} (${Object.keys(file.years).length} years)`);
