/**
 * The drill-down filters `GET /complaints` gains (decision 060), apart from the report's schemas so that every
 * function validating a list query does not carry the indicator table.
 */
import * as z from 'zod';
import { CATEGORIES } from './model.ts';
import { RECEIVED_TYPES } from './report-model.ts';

const label = z.string().max(20).meta({ description: 'A statistics month `2026-11` (2026-10-26 … 2026-11-25), a quarter `2026-Q4` or a year `2026`' });
const date = z.string().max(10).meta({ description: 'A Shanghai date YYYY-MM-DD; ranges are whole statistics months (from a 26th, to a 25th)' });

/** Together they name the complaints a figure of the report counts. */
export const DrillDownFilters = {
  from: date.optional(),
  to: date.optional(),
  period: label.optional(),
  category: z.enum(CATEGORIES).optional(),
  type: z.enum(RECEIVED_TYPES).optional().meta({ description: '受理类型 received in the period' }),
  onTime: z.enum(['true', 'false']).optional().meta({ description: 'Only complaints with every time limit due in the period met (true) or with one missed (false)' }),
  figure: z.string().max(40).optional().meta({ description: 'A counter id of the report: the complaints this figure counts in the period' }),
};

