/**
 * The drill-down filters `GET /complaints` gains (decision 060), apart from the report's schemas so that every
 * function validating a list query does not carry the indicator table.
 */
import * as z from './zod.ts';
import { CATEGORIES } from './model.ts';
import { RECEIVED_TYPES } from './report-model.ts';

const label = z
  .string()
  .check(z.maxLength(20))
  .check(z.meta({ description: 'A statistics month `2026-11` (2026-10-26 … 2026-11-25), a quarter `2026-Q4` or a year `2026`' }));
const date = z
  .string()
  .check(z.maxLength(10))
  .check(z.meta({ description: 'A Shanghai date YYYY-MM-DD; ranges are whole statistics months (from a 26th, to a 25th)' }));

/** Together they name the complaints a figure of the report counts. */
export const DrillDownFilters = {
  from: z.optional(date),
  to: z.optional(date),
  period: z.optional(label),
  category: z.optional(z.enum(CATEGORIES)),
  type: z.optional(z.enum(RECEIVED_TYPES)).check(z.meta({ description: '受理类型 received in the period' })),
  onTime: z
    .optional(z.enum(['true', 'false']))
    .check(z.meta({ description: 'Only complaints with every time limit due in the period met (true) or with one missed (false)' })),
  figure: z
    .optional(z.string().check(z.maxLength(40)))
    .check(z.meta({ description: 'A counter id of the report: the complaints this figure counts in the period' })),
};
