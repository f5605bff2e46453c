/**
 * The centre's and the units' other commands (the `case-actions` function): chase, suspension, reopen,
 * withdrawal, severity, the SLA commands, 签收 and 退回 with the centre's ruling, and 协办.
 */
import * as z from '../zod.ts';
import { identifier, text } from '../text-schemas.ts';
import { SEVERITIES, SUSPENSION_REASONS } from '../model.ts';

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
