/** POST /complaints/{id}/reply: the unit's reply (答复) with its process, result and delivery. */
import * as z from '../zod.ts';
import { identifier, text } from '../text-schemas.ts';
import { CONTACT_METHODS, DELIVERY_METHODS, LIABILITIES, SIGNER_RELATIONS } from '../model.ts';
import { isoInstant } from './fields.ts';

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
