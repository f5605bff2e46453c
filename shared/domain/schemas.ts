/**
 * Request schemas: the single source of truth for request types (`z.infer`), for validation in
 * the handlers, for the OpenAPI document (`npm run openapi`) and for the web form's client-side checks.
 */
import { QUEUE_QUERY } from './queues.ts';
import * as z from './zod.ts';
import { DrillDownFilters } from './drill-filters.ts';
import { PHONE_PATTERN } from './channels/normalize.ts';
import { identifier, text } from './text-schemas.ts';
import {
  CALLBACK_WAIVER_REASONS,
  CATEGORIES,
  CHANNELS,
  CONTACT_METHODS,
  DELIVERY_METHODS,
  KINDS,
  LIABILITIES,
  SIGNER_RELATIONS,
  SEVERITIES,
  SOURCES,
  STATUSES,
  SUSPENSION_REASONS,
} from './model.ts';

export { identifier, text };

/**
 * A complainant's phone: mainland mobile, mainland landline with area code, or international (E.164), as
 * people write them ({@link PHONE_PATTERN}, the channels' grammar). Stored in the canonical E.164 form of
 * `canonicalPhone`.
 */
export const phone = z
  .string()
  .check(
    z.trim(),
    z.regex(PHONE_PATTERN, 'Expected a mobile (13800138000), a landline with area code (020-12345678) or an international number (+85291234567)'),
  );

/** Waybill / mail number (邮件号): EMS S10 `XX123456789CN`, SF..., or a digit run. */
export const waybillNo = z.string().check(z.trim(), z.toUpperCase(), z.regex(/^[A-Z0-9]{8,30}$/, 'Expected 8–30 letters and digits'));

const isoInstant = z.iso.datetime({ offset: true });

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
};
export const STAFF_ONLY_INTAKE_FIELDS = Object.keys(intakeStaffShape) as (keyof typeof intakeStaffShape)[];

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

export const AssignmentRequest = z.strictObject({
  unitId: identifier.check(z.meta({ description: 'Responsible unit (处理单位)' })),
  handlerId: identifier.check(z.meta({ description: 'Handler in that unit' })),
  subjectStaffIds: z.optional(z.array(identifier).check(z.maxLength(20))),
  reason: z.optional(text(500)).check(z.meta({ description: 'Required when moving a complaint that is already dispatched' })),
  note: z.optional(text(1000)),
});
export type AssignmentRequest = z.infer<typeof AssignmentRequest>;

export const ContactRequest = z.strictObject({
  contactedAt: z.optional(isoInstant).check(z.meta({ description: 'Defaults to now; may not lie in the future' })),
  method: z.enum(CONTACT_METHODS),
  note: text(2000),
});
export type ContactRequest = z.infer<typeof ContactRequest>;

export const ReplyRequest = z.strictObject({
  situation: text(2000).check(z.meta({ description: '基本情况: what happened, established facts' })),
  process: z.strictObject({
    contactedBy: text(50).check(z.meta({ description: 'Who contacted the complainant' })),
    contactedAt: isoInstant,
    method: z.enum(CONTACT_METHODS),
    summary: text(2000).check(z.meta({ description: '处理过程: what was done' })),
  }),
  result: z.strictObject({
    resolved: z.boolean(),
    complainantAccepted: z.boolean(),
    summary: text(2000).check(z.meta({ description: '处理结果' })),
    nextContactAt: z.optional(isoInstant).check(z.meta({ description: 'Required when not resolved: the promised time of the next contact (seed 000 五1(1))' })),
  }),
  delivery: z
    .optional(
      z.strictObject({
        deliveredAt: isoInstant,
        method: z.enum(DELIVERY_METHODS).check(z.meta({ description: '投递方式: 窗口投交、面交、单位传达室、物业收发室、代投点…' })),
        signer: text(50).check(z.meta({ description: '签收人姓名' })),
        relation: z.enum(SIGNER_RELATIONS).check(z.meta({ description: '代签人与收件人关系' })),
        note: z.optional(text(500)),
      }),
    )
    .check(z.meta({ description: 'Required when a loss/delay/non-delivery reply says the item was delivered (seed 000 回复要素(2))' })),
  justifiedProposal: z.optional(z.boolean()).check(
    z.meta({
      description:
        '有理由投诉: the unit proposes; the centre determines (POST /complaints/{id}/determination, decision 058). One of justifiedProposal / justified is required',
    }),
  ),
  justified: z.optional(z.boolean()).check(z.meta({ description: 'Deprecated name of justifiedProposal, still accepted as the proposal' })),
  liability: z.optional(z.enum(LIABILITIES)),
  responsibleStaffId: z.optional(identifier),
  compensation: z.optional(
    z.strictObject({
      offered: z.boolean(),
      // Checked whole by the calculator's own schema in the reply function (decision 059), not here:
      // the lifecycle, which every function bundles, must not carry the calculator.
      quote: z.optional(z.looseObject({})).check(
        z.meta({
          description: 'The calculator’s input (the body of POST /compensation/quote): the server computes and stores the explained amount (decision 059)',
        }),
      ),
      amount: z
        .optional(z.number().check(z.nonnegative()).check(z.maximum(10_000_000)))
        .check(z.meta({ description: 'Yuan; with a quote it may not exceed the quoted amount (422 compensation.amount)' })),
      note: z.optional(text(500)),
    }),
  ),
});
export type ReplyRequest = z.infer<typeof ReplyRequest>;

export const CallbackRequest = z.discriminatedUnion('outcome', [
  z.strictObject({
    outcome: z.literal('reached'),
    attitude: z.enum(['satisfied', 'accepted', 'dissatisfied']),
    handlingQuality: z.enum(['consistent', 'inconsistent']).check(z.meta({ description: 'Does the unit’s reply match what the complainant says' })),
    dissatisfactionCause: z.optional(z.enum(['poor_handling', 'demand_beyond_scope', 'other'])),
    comments: z.optional(text(2000)),
  }),
  z.strictObject({
    outcome: z.literal('waived'),
    reason: z.enum(CALLBACK_WAIVER_REASONS),
    note: text(1000),
  }),
  z.strictObject({ outcome: z.literal('unreachable'), note: z.optional(text(1000)) }),
]);
export type CallbackRequest = z.infer<typeof CallbackRequest>;

export const ChaseRequest = z.strictObject({
  via: z._default(z.enum(['phone', 'sms', 'ivr', 'web', 'walk_in']), 'phone'),
  note: z.optional(text(1000)),
});
export type ChaseRequest = z.infer<typeof ChaseRequest>;

export const SuspensionRequest = z.strictObject({ reason: z.enum(SUSPENSION_REASONS), note: text(1000) });
export type SuspensionRequest = z.infer<typeof SuspensionRequest>;

export const ReopenRequest = z.strictObject({ reason: text(1000) });
export type ReopenRequest = z.infer<typeof ReopenRequest>;

export const WithdrawalRequest = z.strictObject({
  voluntary: z.boolean().check(
    z.meta({
      description:
        'true: the complainant confirmed the withdrawal is voluntary (seed 004) and the case is withdrawn. false: they say it is not — recorded as withdrawal_contested, the case stays as it is and the quality manager is e-mailed to investigate (decision 046)',
    }),
  ),
  confirmedVia: z.enum(['phone', 'in_person', 'written', 'sms']),
  note: text(1000),
});
export type WithdrawalRequest = z.infer<typeof WithdrawalRequest>;

export const SeverityRequest = z.strictObject({ severity: z.enum(SEVERITIES), reason: text(500, 2) });
export type SeverityRequest = z.infer<typeof SeverityRequest>;

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

export const ComplaintIdParam = z.string().check(z.regex(/^C[0-9A-HJKMNP-TV-Z]{16}$/, 'Not a complaint id'));
export const TrackingCodeParam = z.string().check(z.trim(), z.toUpperCase(), z.regex(/^[0-9A-HJKMNP-TV-Z]{12}$/, 'Not a tracking code'));

// --- SLA commands (issue 3): extension, clock pause and resume -------------------------------

/** SPEC "Time limits": an extension needs an approver (the leader or admin sending it) and a reason shown to the complainant. */
export const ExtensionRequest = z.strictObject({
  milestone: z._default(z.enum(['reply']), 'reply').check(z.meta({ description: 'Which time limit; only the reply (答复) can be extended' })),
  reason: text(500, 2).check(z.meta({ description: 'Why more time is needed; shown to the complainant on the tracking page' })),
  approverId: z.optional(identifier).check(z.meta({ description: 'Must be the caller: the unit leader or admin approving the extension' })),
});
export type ExtensionRequest = z.infer<typeof ExtensionRequest>;

/** Stops the unit's clocks while waiting for the complainant (documents, photos, proof of value). */
export const PauseRequest = z.strictObject({
  reason: text(500, 2).check(z.meta({ description: 'What the unit is waiting for from the complainant' })),
});
export type PauseRequest = z.infer<typeof PauseRequest>;

export const ResumeRequest = z.strictObject({
  note: z.optional(text(500)).check(z.meta({ description: 'What arrived' })),
});
export type ResumeRequest = z.infer<typeof ResumeRequest>;

/** A leaders' notice confirm link's query (decision 049): the signed token. */
export const NoticeConfirmQuery = z.strictObject({
  t: z.string().check(z.minLength(16), z.maxLength(1000), z.regex(/^[A-Za-z0-9_.-]+$/, 'Not a confirm token')),
});

/** The signed-in leader or director confirms receipt: every notice of the case awaiting them, or the one named. */
export const NoticeConfirmationRequest = z.strictObject({
  noticeId: z.optional(z.string().check(z.minLength(1), z.maxLength(80), z.regex(/^[a-z_]+\.r\d+$/, 'Not a notice id'))),
});
export type NoticeConfirmationRequest = z.infer<typeof NoticeConfirmationRequest>;
// --- 签收 and 退回 (issue 9 item 4, decision 047) -----------------------------------------------

/** 签收: the dispatched unit takes the complaint up (SPEC "Dispatch": within 20 working minutes). */
export const SignRequest = z.strictObject({
  note: z.optional(text(500)),
});
export type SignRequest = z.infer<typeof SignRequest>;

/** 退回: the dispatched unit returns a mis-dispatched complaint, once, within 2 working hours and before contact. */
export const ReturnRequest = z.strictObject({
  reason: text(500, 6).check(z.meta({ description: 'A fact the centre can check (e.g. the district of the address); “not ours” alone (非本单位) is refused' })),
  suggestedUnitId: z.optional(identifier).check(z.meta({ description: 'The unit believed responsible' })),
});
export type ReturnRequest = z.infer<typeof ReturnRequest>;

/** The centre's ruling on a return: re-dispatch to another unit (a new 签收 clock), or send it back to the unit. */
export const ReturnDecisionRequest = z.discriminatedUnion('decision', [
  z.strictObject({
    decision: z.literal('redispatch'),
    unitId: identifier.check(z.meta({ description: 'Another unit' })),
    handlerId: identifier,
    reason: z.optional(text(500, 2)).check(z.meta({ description: 'Default: the return reason' })),
    note: z.optional(text(1000)),
  }),
  z.strictObject({
    decision: z.literal('reject'),
    reason: text(500, 4).check(z.meta({ description: 'Why it stays with the unit' })),
  }),
]);
export type ReturnDecisionRequest = z.infer<typeof ReturnDecisionRequest>;
// --- 协办 (assist tasks, decision 048) ----------------------------------------------------------

/** The lead unit asks another unit to assist (seed 000 全网观念: 联系责任单位协调解决). */
export const AssistRequest = z.strictObject({
  unitId: identifier.check(z.meta({ description: 'The assisting unit (not the lead unit itself)' })),
  task: text(1000, 4).check(z.meta({ description: 'What the assisting unit is to find out or do' })),
  dueAt: z
    .optional(z.iso.datetime({ offset: true }))
    .check(z.meta({ description: 'An earlier deadline than the policy’s (default 1 working day of the assisting unit); never in the past' })),
});
export type AssistRequest = z.infer<typeof AssistRequest>;

/** The assisting unit's answer to its task. */
export const AssistReplyRequest = z.strictObject({
  findings: text(2000, 8).check(z.meta({ description: 'What the assisting unit found or did; vague phrases such as 已处理 alone are refused' })),
  facts: z
    .optional(z.array(text(500, 2)).check(z.maxLength(20)))
    .check(z.meta({ description: 'Facts established, one per line (e.g. 2026-03-02 10:15 收寄于天河营业部，收寄人员王五)' })),
});
export type AssistReplyRequest = z.infer<typeof AssistReplyRequest>;

/** The lead unit cancels an open task. */
export const AssistCancelRequest = z.strictObject({
  reason: text(500, 2).check(z.meta({ description: 'Why the task is no longer needed' })),
});
export type AssistCancelRequest = z.infer<typeof AssistCancelRequest>;

/** `A1`, `A2` …: an assist task of one complaint. */
export const AssistTaskIdParam = z.string().check(z.regex(/^A[1-9][0-9]{0,3}$/, 'Not an assist task id'));

/** An assisting unit's worklist of open tasks, earliest deadline first. */
export const AssistListQuery = z.strictObject({
  unitId: z.optional(identifier).check(z.meta({ description: 'The assisting unit; a unit’s staff see only their own (default)' })),
  cursor: z.optional(z.string().check(z.maxLength(2048), z.regex(/^[A-Za-z0-9_.-]+$/, 'Not a cursor returned by this list'))),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25),
});
export type AssistListQuery = z.infer<typeof AssistListQuery>;
