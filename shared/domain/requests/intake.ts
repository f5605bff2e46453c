/** POST /complaints (and the channels' intake): what a caller may send, the public web form's subset included. */
import * as z from '../zod.ts';
import { identifier, text } from '../text-schemas.ts';
import { CATEGORIES, CHANNELS, KINDS, SEVERITIES, SOURCES } from '../model.ts';
import { phone, waybillNo } from './fields.ts';
import type { StaffOnlyIntakeField } from './intake-staff-fields.ts';

/** Fields every caller may send, public web form included. */
export const intakePublicShape = {
  kind: z
    ._default(z.enum(KINDS), 'complaint')
    .check(z.meta({ description: '受理类型: complaint 投诉, inquiry 查询, feedback 意见反映 (each with its own time limits)' })),
  channel: z._default(z.enum(CHANNELS), 'web').check(z.meta({ description: 'How the complaint came in' })),
  source: z._default(z.enum(SOURCES), 'customer').check(z.meta({ description: '`external`: transferred by a regulator or upper level' })),
  externalRef: z.optional(text(64)).check(z.meta({ description: 'Case number at the transferring body, e.g. a 12305 number' })),
  name: z.optional(text(50)).check(z.meta({ description: 'Complainant name (投诉人)' })),
  phone: z.optional(phone).check(z.meta({ description: 'Required unless anonymous' })),
  email: z.optional(z.email().check(z.maxLength(254))),
  waybillNo: z.optional(waybillNo).check(z.meta({ description: 'Mail / waybill number (邮件号)' })),
  category: z.enum(CATEGORIES).check(z.meta({ description: 'Taxonomy of seed 002/003' })),
  content: text(4000).check(z.meta({ description: 'What happened, in the complainant’s words (≤ 4,000 characters)' })),
  demand: z.optional(text(1000)).check(z.meta({ description: 'What the complainant asks for (诉求)' })),
  region: z.optional(text(64)).check(z.meta({ description: 'Province/city/district, used for routing' })),
  declaredValue: z.optional(z.number().check(z.nonnegative(), z.maximum(10_000_000))).check(z.meta({ description: 'Declared/insured value in CNY' })),
  anonymous: z._default(z.boolean(), false),
};

/** Fields only the customer-service centre may add at intake. */
export const intakeStaffShape = {
  severity: z.optional(z.enum(SEVERITIES)),
  severityReason: z.optional(text(500)),
  keyAccount: z.optional(z.boolean()).check(z.meta({ description: 'Key account or sensitive customer (seed 000)' })),
  slaProfile: z.optional(z.enum(['default', 'administrative_efficiency'])).check(
    z.meta({
      description: 'Time-limit profile; `administrative_efficiency` (行政效能投诉, seed 001 宝山 art. 17): reply in 10 working days, extensible to 30',
    }),
  ),
  subjectStaffIds: z.optional(z.array(identifier).check(z.maxLength(20))).check(z.meta({ description: 'Staff complained about (当事员工)' })),
  // Exactly the keys STAFF_ONLY_INTAKE_FIELDS lists: a field added here and not there is a type error.
} satisfies Record<StaffOnlyIntakeField, z.ZodMiniType>;

const intakeRefinements = <
  T extends z.ZodMiniType<{
    anonymous: boolean;
    phone?: string | undefined;
    source: string;
    externalRef?: string | undefined;
    severity?: string | undefined;
    severityReason?: string | undefined;
  }>,
>(
  s: T,
) =>
  s.check(
    z.superRefine((v, ctx) => {
      if (!v.anonymous && !v.phone) {
        ctx.addIssue({ code: 'custom', path: ['phone'], message: 'Phone is required unless the complaint is anonymous' });
      }
      if (v.source === 'external' && !v.externalRef) {
        ctx.addIssue({ code: 'custom', path: ['externalRef'], message: 'An external (transferred) complaint needs the transferring body’s case number' });
      }
      if (v.severity && !v.severityReason) {
        ctx.addIssue({ code: 'custom', path: ['severityReason'], message: 'Setting the severity needs a reason' });
      }
    }),
  );

export const IntakePublic = intakeRefinements(z.strictObject(intakePublicShape));
export const IntakeRequest = intakeRefinements(z.strictObject({ ...intakePublicShape, ...intakeStaffShape }));
export type IntakeRequest = z.infer<typeof IntakeRequest>;
