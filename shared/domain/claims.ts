/**
 * The compensation claim (赔偿申请) on a complaint, as pure rules the lifecycle's `decide` calls
 * (SPEC "Compensation rules"; seed 001_ac9bde20c1bec4e1.txt 索赔程序: 收到索赔申告单24h内答复, 30个日历天
 * (国际 60) 处理完毕, 达成一致后7个工作日内支付). Recording the claim is its acknowledgement: the
 * `claim_ack` clock runs from `receivedAt` and is met by the command itself (decision 059). Amounts
 * are integer fen in the state and the events. The calculator is not imported here (bundle budgets).
 */
import { Conflict, Unprocessable } from './errors.ts';
import type { CompensationAgreementRequest, CompensationClaimRequest, CompensationPaidRequest } from './quality-schemas.ts';
import type { TransitionDraft } from './sign-return.ts';

export type ClaimCommand =
  | ({ type: 'compensation_claim' } & CompensationClaimRequest)
  | ({ type: 'compensation_agreement' } & CompensationAgreementRequest)
  | ({ type: 'compensation_paid' } & CompensationPaidRequest);

/** Yuan (2 decimals) → fen. */
export const toFen = (yuan: number): number => Math.round(yuan * 100);

/** Clock skew tolerated for times reported by staff. */
const SKEW_MS = 2 * 60_000;

export function claim(draft: TransitionDraft, cmd: Extract<ClaimCommand, { type: 'compensation_claim' }>): void {
  const c = draft.before;
  if (c.claim) throw new Conflict(`A claim was already recorded on ${c.claim.at}`, {}, { code: 'already-claimed' });
  const now = Date.parse(draft.at);
  const received = cmd.receivedAt !== undefined ? Date.parse(cmd.receivedAt) : now;
  if (received > now + SKEW_MS)
    throw new Unprocessable('time-in-future', 'The claim cannot arrive in the future', [{ path: 'receivedAt', message: 'In the future' }]);
  if (received < Date.parse(c.createdAt) - SKEW_MS)
    throw new Unprocessable('time-before-intake', 'A claim about this complaint cannot precede it', [
      { path: 'receivedAt', message: 'Before the complaint was received' },
    ]);
  const receivedAt = new Date(Math.min(received, now)).toISOString();
  const amountClaimedFen = toFen(cmd.amountClaimed);
  draft.set({
    claim: { claimant: cmd.claimant, amountClaimedFen, international: cmd.international, note: cmd.note, receivedAt, by: draft.actor.id, at: draft.at },
  });
  draft.emit('compensation_claimed', { claimant: cmd.claimant, amountClaimedFen, international: cmd.international, receivedAt, acknowledged: true });
}

export function agree(draft: TransitionDraft, cmd: Extract<ClaimCommand, { type: 'compensation_agreement' }>): void {
  const c = draft.before.claim;
  if (!c) throw new Conflict('No claim recorded: record the claim first', {}, { code: 'no-claim' });
  if (c.agreement) throw new Conflict(`Already agreed on ${c.agreement.at}`, {}, { code: 'already-agreed' });
  const amountFen = toFen(cmd.amount);
  draft.set({ claim: { ...c, agreement: { amountFen, by: draft.actor.id, at: draft.at } } });
  draft.emit('compensation_agreed', { amountFen, amountClaimedFen: c.amountClaimedFen });
}

export function paid(draft: TransitionDraft, cmd: Extract<ClaimCommand, { type: 'compensation_paid' }>): void {
  const c = draft.before.claim;
  if (!c?.agreement) throw new Conflict('Nothing agreed to pay yet', {}, { code: 'no-agreement' });
  if (c.payment) throw new Conflict(`Already paid on ${c.payment.paidAt}`, {}, { code: 'already-paid' });
  const amountFen = toFen(cmd.amount);
  if (amountFen !== c.agreement.amountFen) {
    throw new Unprocessable('amount-differs', 'The amount paid differs from the agreed amount', [
      { path: 'amount', message: `Agreed ${(c.agreement.amountFen / 100).toFixed(2)} yuan` },
    ]);
  }
  const t = Date.parse(cmd.paidAt);
  if (t > Date.parse(draft.at) + SKEW_MS)
    throw new Unprocessable('time-in-future', 'A payment cannot lie in the future', [{ path: 'paidAt', message: 'In the future' }]);
  if (t < Date.parse(c.agreement.at) - SKEW_MS)
    throw new Unprocessable('time-before-agreement', 'Paid before the agreement?', [{ path: 'paidAt', message: 'Before the agreement' }]);
  const paidAt = new Date(t).toISOString();
  draft.set({ claim: { ...c, payment: { amountFen, paidAt, by: draft.actor.id, at: draft.at } } });
  draft.emit('compensation_paid', { amountFen, paidAt });
}
