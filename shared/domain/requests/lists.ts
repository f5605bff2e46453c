/** GET /complaints (worklists, queues, the drill-down) and GET /assists. */
import * as z from '../zod.ts';
import { QUEUE_QUERY } from '../queues.ts';
import { DrillDownFilters } from '../drill-filters.ts';
import { identifier } from '../text-schemas.ts';
import { SEVERITIES, STATUSES } from '../model.ts';

export const ListQuery = z.strictObject({
  status: z.optional(z.enum(STATUSES)),
  unitId: z.optional(identifier),
  severity: z.optional(z.enum(SEVERITIES)),
  cursor: z.optional(
    z
      .string()
      .check(z.maxLength(2048))
      .check(z.regex(/^[A-Za-z0-9_.-]+$/, 'Not a cursor returned by this list')),
  ),
  limit: z._default(z.coerce.number().check(z.int()).check(z.minimum(1)).check(z.maximum(100)), 25),
  // The worklist queues and the badge count (decision 067, shared/domain/queues.ts).
  ...QUEUE_QUERY,
  // The drill-down of the statistics (decision 060): served by the statistics index, not the worklists.
  ...DrillDownFilters,
});
export type ListQuery = z.infer<typeof ListQuery>;

/** An assisting unit's worklist of open tasks, earliest deadline first. */
export const AssistListQuery = z.strictObject({
  unitId: z.optional(identifier).check(z.meta({ description: 'The assisting unit; a unit’s staff see only their own (default)' })),
  cursor: z.optional(z.string().check(z.maxLength(2048), z.regex(/^[A-Za-z0-9_.-]+$/, 'Not a cursor returned by this list'))),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25),
});
export type AssistListQuery = z.infer<typeof AssistListQuery>;
