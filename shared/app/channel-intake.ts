/**
 * What the SMS and IVR channels share (SPEC "Who uses it": a stable, idempotent endpoint for
 * integrators): the message claim, idempotent by the provider's message / call id, held while the
 * message is worked and given back on a failure; the intake request a message becomes; the reply SMS.
 * `SmsChannel` (`sms-channel.ts`) and `IvrChannel` (`ivr-channel.ts`) extend it, each bundled by its own
 * function alone (issue 10 item 3: the IVR function does not carry the SMS text reader).
 */
import { DomainError, Unavailable, Unprocessable } from '#domain/errors.ts';
import type { Actor } from '#domain/model.ts';
import { IntakeRequest } from '#domain/requests/intake.ts';
import type { MessageOutcome } from '#domain/channels/outcome.ts';
import type { ComplaintService } from './complaints.ts';
import type { ChannelLedger, Logger, Clock } from './ports.ts';

/** What both doors need: intake, the message claims, the clock, the log. The SMS door needs more (`SmsChannelDeps`). */
export interface ChannelDeps {
  complaints: ComplaintService;
  channels: ChannelLedger;
  clock: Clock;
  logger: Logger;
}

export const SMS_ACTOR: Actor = { id: 'channel:sms', role: 'system' };
export const IVR_ACTOR: Actor = { id: 'channel:ivr', role: 'system' };
export const MAX_CONTENT = 4000;

export class ChannelIntake<D extends ChannelDeps = ChannelDeps> {
  constructor(protected readonly deps: D) {}

  /** Claims a message; a live holder's claim is a retryable 503 whose Retry-After is the rest of its lease. */
  protected async claim(channel: string, messageId: string) {
    const claim = await this.deps.channels.claim(channel, messageId, this.deps.clock.now());
    if (claim.state === 'busy') {
      throw new Unavailable('message-in-progress', `Message ${messageId} is being processed; retry later`, claim.retryAfterSeconds, { channel, messageId });
    }
    if (claim.state === 'claimed' && claim.takeover) this.deps.logger.warn('took over a channel message whose delivery died', { channel, messageId });
    return claim;
  }

  /**
   * Runs `work` while holding the claims in `held`. Any failure gives them back (the provider's retry then
   * starts afresh; intake and commands are keyed by the message id, so nothing is done twice): a domain
   * error keeps its 4xx, anything else becomes a retryable 503 with no internals.
   */
  protected async holding<T>(channel: string, held: { id: string; token: string }[], work: () => Promise<T>): Promise<T> {
    try {
      faultPoint('kill-after-claim');
      return await work();
    } catch (error) {
      for (const { id, token } of held.reverse()) {
        await this.deps.channels.release(channel, id, token).catch((releaseError: unknown) => {
          // The lease still frees the claim for a retry; the original failure is what matters.
          this.deps.logger.error('could not release a channel claim', { channel, messageId: id, error: String(releaseError) });
        });
      }
      if (error instanceof DomainError) throw error;
      this.deps.logger.error('channel message failed; claim released for the retry', { channel, messageId: held[0]?.id, error: describe(error) });
      throw new Unavailable('channel-unavailable', 'The message could not be processed now; retry it', 1, { channel }, { cause: error });
    }
  }

  protected async finish(channel: string, messageId: string, outcome: MessageOutcome): Promise<MessageOutcome> {
    await this.deps.channels.complete(channel, messageId, outcome);
    return outcome;
  }
}

/**
 * The intake request a channel message becomes. The channel parsers and the intake schema share one phone
 * grammar and one text cleaner, so this should never fail; if it does, the problem names the webhook's
 * field (`from`, `text`…) rather than intake's, and is a 4xx, never a 500.
 */
export function intakeOf(candidate: Record<string, unknown>, fields: Record<string, string>): IntakeRequest {
  const parsed = IntakeRequest.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => {
    const head = String(issue.path[0] ?? '');
    return { path: fields[head] ?? head, message: issue.message };
  });
  throw new Unprocessable('channel-message-unusable', 'The message cannot become a complaint', issues);
}

/**
 * Test-only fault injection: with `CHANNEL_FAULT=kill-after-claim` the process dies right after claiming a
 * message, as a crash would (the kill test of docs/decisions/032). Never set in a deployed stack, and
 * ignored inside Lambda whatever the environment says.
 */
function faultPoint(point: 'kill-after-claim'): void {
  if (process.env['CHANNEL_FAULT'] === point && !process.env['AWS_LAMBDA_FUNCTION_NAME']) process.kill(process.pid, 'SIGKILL');
}

function describe(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { value: String(error) };
}
