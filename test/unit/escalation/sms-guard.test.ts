import { describe, expect, it } from 'vitest';
import type { SmsMessage, SmsPolicyStore, SmsSender } from '#app/ports.ts';
import { SmsGuard } from '#app/sms-guard.ts';

const logged: { message: string; data?: Record<string, unknown> }[] = [];
const logger = {
  info: (message: string, data?: Record<string, unknown>) => logged.push({ message, ...(data && { data }) }),
  warn: () => undefined,
  error: () => undefined,
};

/** An in-memory policy with the same semantics as the DynamoDB one: a set of dedupe keys per phone and day. */
function memoryPolicy(optedOut: string[] = []): SmsPolicyStore & { slots: Map<string, Set<string>> } {
  const slots = new Map<string, Set<string>>();
  return {
    slots,
    isOptedOut: async (phone) => optedOut.includes(phone),
    takeReceiptSlot: async (phone, day, key, cap) => {
      const set = slots.get(`${phone}#${day}`) ?? new Set<string>();
      if (!set.has(key) && set.size >= cap) return false;
      slots.set(`${phone}#${day}`, set.add(key));
      return true;
    },
  };
}

function setup(opts: { optedOut?: string[]; at?: string } = {}) {
  const sent: SmsMessage[] = [];
  const provider: SmsSender = {
    send: async (m) => {
      sent.push(m);
      return { messageId: `p-${sent.length}` };
    },
  };
  let now = new Date(opts.at ?? '2026-03-03T02:00:00.000Z');
  const policy = memoryPolicy(opts.optedOut);
  const guard = new SmsGuard({ sms: provider, policy, clock: { now: () => now }, logger });
  return { guard, sent, policy, setNow: (iso: string) => (now = new Date(iso)) };
}

const receipt = (n: number, to = '+8613800138000'): SmsMessage => ({ to, text: `回执 ${n}`, dedupeKey: `receipt#C${n}`, purpose: 'receipt' });

describe('the SMS guard', () => {
  it('sends a text to a mainland mobile through the provider', async () => {
    const { guard, sent } = setup();
    expect(await guard.send({ to: '+8613800138000', text: '您好', dedupeKey: 'k' })).toEqual({ messageId: 'p-1' });
    expect(sent).toHaveLength(1);
  });

  it('drops a text to a landline or a foreign number, logs why and does not throw', async () => {
    const { guard, sent } = setup();
    expect(await guard.send({ to: '+862087654321', text: '您好', dedupeKey: 'k1' })).toMatchObject({ dropped: 'not-a-mobile' });
    expect(await guard.send({ to: '+85291234567', text: '您好', dedupeKey: 'k2' })).toMatchObject({ dropped: 'not-a-mobile' });
    expect(sent).toEqual([]);
    expect(logged.at(-1)).toMatchObject({ message: 'SMS withheld by the guard', data: { reason: 'not-a-mobile' } });
  });

  it('drops every text to an opted-out phone except the confirmation of the opt-out', async () => {
    const { guard, sent } = setup({ optedOut: ['+8613800138000'] });
    for (const purpose of ['receipt', 'progress', 'reply', undefined] as const) {
      expect(await guard.send({ to: '+8613800138000', text: 'x', dedupeKey: `k-${purpose}`, ...(purpose && { purpose }) })).toMatchObject({
        dropped: 'opted-out',
      });
    }
    expect(await guard.send({ to: '+8613800138000', text: '您已退订', dedupeKey: 'td', purpose: 'opt_out_confirmation' })).toEqual({ messageId: 'p-1' });
    expect(sent.map((m) => m.text)).toEqual(['您已退订']);
  });

  it('sends 3 receipts to one phone in a Shanghai day, drops the 4th, and counts a retried receipt once', async () => {
    const { guard, sent } = setup();
    for (const n of [1, 2, 3]) await guard.send(receipt(n));
    expect(await guard.send(receipt(1))).toEqual({ messageId: 'p-4' }); // the same receipt retried: no new slot
    expect(await guard.send(receipt(4))).toMatchObject({ dropped: 'daily-receipt-cap' });
    expect(await guard.send(receipt(5, '+8613900139000'))).toEqual({ messageId: 'p-5' }); // another phone
    expect(sent).toHaveLength(5);
  });

  it('starts a new count at midnight in Shanghai, not UTC', async () => {
    const { guard, setNow } = setup({ at: '2026-03-03T15:00:00.000Z' }); // 23:00 Shanghai
    for (const n of [1, 2, 3]) await guard.send(receipt(n));
    setNow('2026-03-03T15:59:00.000Z'); // 23:59 Shanghai: same day
    expect(await guard.send(receipt(4))).toMatchObject({ dropped: 'daily-receipt-cap' });
    setNow('2026-03-03T16:01:00.000Z'); // 00:01 Shanghai, still 3 March in UTC
    expect(await guard.send(receipt(5))).not.toHaveProperty('dropped');
  });

  it('does not cap replies or progress updates', async () => {
    const { guard, sent } = setup();
    for (const n of [1, 2, 3, 4, 5]) await guard.send({ to: '+8613800138000', text: `答复 ${n}`, dedupeKey: `r${n}`, purpose: 'reply' });
    expect(sent).toHaveLength(5);
  });
});
