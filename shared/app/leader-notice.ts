/**
 * The leaders' notice around the lifecycle (seed 000 五3, decision 049):
 * - the unit and media notices a transition owes are decided in `effects.ts` (decision 051) by
 *   `unitNoticesFor` / `mediaNoticesFor` and travel by the durable escalation queue;
 * - {@link NoticeConfirmations}: a leader or director confirms receipt, by the link in the notice
 *   (token) or signed in at the console; confirming twice records once.
 */
import { authorizeComplaint } from '#domain/access.ts';
import { Forbidden, NotFound, ValidationFailed } from '#domain/errors.ts';
import {
  confirmationEvent,
  noticeDeadline,
  noticesAwaiting,
  verifyNoticeToken,
  wasNotified,
  type ConfirmVia,
  type NoticeClaims,
} from '#domain/leader-notice.ts';
import type { DeadlinePlanner } from '#domain/lifecycle.ts';
import type { Actor, Complaint } from '#domain/model.ts';
import type { Logger, Clock, ComplaintRecords, NoticeKeys } from './ports.ts';

/** What a confirmation did: `recorded` now, or `already` confirmed earlier (nothing written). */
export interface ConfirmationResult {
  complaintId: string;
  recipientId: string;
  notices: { noticeId: string; outcome: 'recorded' | 'already' }[];
}

export interface NoticeConfirmationDeps {
  store: ComplaintRecords;
  clock: Clock;
  planner: DeadlinePlanner;
  keys: NoticeKeys;
  logger: Logger;
}

export class NoticeConfirmations {
  constructor(private readonly deps: NoticeConfirmationDeps) {}

  /** Reads a confirm link's token: 404 (nothing said about why) when forged, expired or malformed. */
  async claims(token: string): Promise<NoticeClaims> {
    const verdict = verifyNoticeToken(token, await this.deps.keys.keys(), this.deps.clock.now());
    if (!verdict.ok) {
      this.deps.logger.warn('notice confirm link refused', { reason: verdict.reason });
      throw new NotFound('This confirmation link is not valid (it may have expired)', { reason: verdict.reason });
    }
    return verdict.claims;
  }

  /** What the confirm page shows before the button is pressed: the notice exists, and whether it is confirmed. */
  async preview(token: string): Promise<{ claims: NoticeClaims; complaint: Complaint; confirmed: boolean }> {
    const claims = await this.claims(token);
    const complaint = await this.deps.store.get(claims.complaintId);
    const d = complaint ? noticeDeadline(complaint, claims.noticeId) : undefined;
    if (!complaint || !d?.notice) throw new NotFound('This confirmation link is not valid');
    return { claims, complaint, confirmed: !d.notice.awaiting.some((p) => p.toLowerCase() === claims.recipientId.toLowerCase()) };
  }

  /** The confirm link's POST: records `notice_confirmed` for the person and notice the token names. */
  async confirmByLink(token: string): Promise<ConfirmationResult> {
    const claims = await this.claims(token);
    const outcome = await this.record(claims.complaintId, claims.recipientId, claims.noticeId, 'link');
    return { complaintId: claims.complaintId, recipientId: claims.recipientId, notices: [{ noticeId: claims.noticeId, outcome }] };
  }

  /**
   * The signed-in person confirms the notices of this complaint that await them (or the one named).
   * Someone no notice went to: 404 when they may not see the complaint, else 403.
   */
  async confirmSignedIn(complaintId: string, actor: Actor, noticeId?: string): Promise<ConfirmationResult> {
    const complaint = await this.deps.store.get(complaintId);
    if (!complaint) throw new NotFound(`Complaint ${complaintId} not found`);
    if (!wasNotified(complaint, actor.id)) {
      authorizeComplaint(actor, 'read', complaint);
      throw new Forbidden('No leaders’ notice of this complaint went to you', { complaintId });
    }
    const ids = noticeId !== undefined ? [noticeId] : noticesAwaiting(complaint, actor.id).map((d) => d.notice?.id as string);
    if (noticeId !== undefined && !noticeDeadline(complaint, noticeId))
      throw new ValidationFailed('Unknown notice', [{ path: 'noticeId', message: 'No such notice on this complaint' }]);
    const notices: ConfirmationResult['notices'] = [];
    for (const id of ids) notices.push({ noticeId: id, outcome: await this.record(complaintId, actor.id, id, 'console', actor) });
    return { complaintId, recipientId: actor.id, notices };
  }

  private async record(complaintId: string, recipientId: string, noticeId: string, via: ConfirmVia, actor?: Actor): Promise<'recorded' | 'already'> {
    const { store, clock, planner } = this.deps;
    const complaint = await store.get(complaintId);
    if (!complaint) throw new NotFound(`Complaint ${complaintId} not found`);
    const now = clock.now();
    const event = confirmationEvent(complaint, recipientId, noticeId, via, now, actor);
    if (!event) return 'already';
    // Version-guarded and idempotent by the event key; re-planned on the fresh state, so two people
    // confirming at once both leave `awaiting` and the clock is met exactly when the last one did.
    const { appended } = await store.appendSystemEvents(complaintId, [event], { replan: (before, next) => planner.plan(before, next, now) });
    if (appended) this.deps.logger.info('notice confirmed', { complaintId, noticeId, via });
    return appended ? 'recorded' : 'already';
  }
}
