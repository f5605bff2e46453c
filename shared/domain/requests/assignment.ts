/** POST /complaints/{id}/assignment: dispatch (派单) or move to another unit. */
import * as z from '../zod.ts';
import { identifier, text } from '../text-schemas.ts';

export const AssignmentRequest = z.strictObject({
  unitId: identifier.check(z.meta({ description: 'Responsible unit (处理单位)' })),
  handlerId: identifier.check(z.meta({ description: 'Handler in that unit' })),
  subjectStaffIds: z.optional(z.array(identifier).check(z.maxLength(20))),
  reason: z.optional(text(500)).check(z.meta({ description: 'Required when moving a complaint that is already dispatched' })),
  note: z.optional(text(1000)),
});
export type AssignmentRequest = z.infer<typeof AssignmentRequest>;
