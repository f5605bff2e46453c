/**
 * The query and answer of `GET /reports`, and the drill-down filters of `GET /complaints` (decision 060), as zod
 * schemas: the handler validates with them and the OpenAPI document prints them, with every definition.
 */
import * as z from './zod.ts';
import { COUNTERS, INDICATORS } from './indicators.ts';
import { CATEGORIES } from './model.ts';

const unitId = z
  .string()
  .check(z.minLength(1))
  .check(z.maxLength(64))
  .check(z.regex(/^[a-z0-9][a-z0-9-]*$/, 'Not a unit id'));
const label = z
  .string()
  .check(z.maxLength(20))
  .check(z.meta({ description: 'A statistics month `2026-11` (2026-10-26 … 2026-11-25), a quarter `2026-Q4` or a year `2026`' }));
const date = z
  .string()
  .check(z.maxLength(10))
  .check(z.meta({ description: 'A Shanghai date YYYY-MM-DD; ranges are whole statistics months (from a 26th, to a 25th)' }));

export const ReportsQuery = z.strictObject({
  period: z.optional(label),
  from: z.optional(date),
  to: z.optional(date),
  unitId: z.optional(unitId).check(z.meta({ description: 'Limit to one unit; a leader sees only their own (another unit → 403)' })),
  format: z
    ._default(z.enum(['json', 'xlsx', 'csv']), 'json')
    .check(z.meta({ description: '`json` (the report), `xlsx` or `csv` (a download in the layouts of seed 000 §七, decision 061)' })),
  layout: z.optional(z.enum(['summary', 'detail'])).check(
    z.meta({
      description:
        'For `xlsx`/`csv`: `summary` (《客户投诉大类汇总统计表》 + 指标说明, the default) or `detail` (明细报表 of 投诉 / 重复投诉 / 重处理); not with `json`',
    }),
  ),
});
export type ReportsQuery = z.infer<typeof ReportsQuery>;

const counts = z.record(z.string(), z.number().check(z.int()));
const indicator = z.object({
  id: z.string(),
  name: z.string(),
  numerator: z.number(),
  denominator: z.number(),
  rate: z.nullable(z.number()),
  target: z.optional(z.number()),
});
export const ReportResponse = z.object({
  period: z.object({ label: z.string(), fromDate: z.string(), toDate: z.string(), from: z.string(), to: z.string() }),
  unitId: z.optional(z.string()),
  cells: z.array(z.object({ unitId: z.string(), unitName: z.string(), category: z.enum(CATEGORIES), counts })),
  byUnit: z.array(z.object({ unitId: z.string(), unitName: z.string(), counts, indicators: z.array(indicator) })),
  byCategory: z.array(z.object({ category: z.enum(CATEGORIES), categoryName: z.string(), counts, indicators: z.array(indicator) })),
  total: z.object({ counts, indicators: z.array(indicator) }),
  calendarVersion: z.string(),
  formulaVersion: z.string(),
  generatedAt: z.string(),
  snapshot: z.optional(z.object({ closedAt: z.string() })),
});

/** The API description of `GET /reports`: every indicator and counter with its definition. */
export function reportsDescription(): string {
  const rates = INDICATORS.map(
    (i) =>
      `- \`${i.id}\` ${i.name}: ${i.definition} (\`${i.numerator}\` ÷ \`${i.denominator}\`${i.target !== undefined ? `, target ${i.target * 100} %` : ''}; ${i.source})`,
  );
  const figures = COUNTERS.map((c) => `- \`${c.id}\` ${c.name}: ${c.definition} [${c.unit}]`);
  return [
    'Statistics from counters kept by the change feed (decision 060): a month is the 26th of the previous month to the 25th (Shanghai); every event counts in the month it happens. Rates are null when the denominator is 0.',
    '',
    'Indicators:',
    ...rates,
    '',
    'Figures (counts):',
    ...figures,
  ].join('\n');
}
