/**
 * SPEC "Non-negotiables": phone and name masked inside free text too, for everyone but the assigned
 * handler, the centre and admins. Checked on the whole view, so a record added later cannot leak.
 */
import { describe, expect, it } from 'vitest';
import { staffView } from '#domain/access.ts';
import type { Actor, Complaint } from '#domain/model.ts';
import { act, assignTianhe, newComplaint, slaContext } from '#test/support/sla.ts';

const { ctx } = slaContext();
const PHONE = '13812345678';
const NAME = '欧阳娜娜';
const said = `投诉人${NAME}（电话${PHONE}，邮箱nana.ouyang@example.com）`;
const at = '2026-03-02T03:00:00.000Z';

/** A dispatched complaint carrying every record a viewer may read, each quoting the complainant. */
function loaded(): Complaint {
  const c = act(ctx, newComplaint(ctx, '2026-03-02 09:00', { name: NAME, phone: PHONE }), assignTianhe, '2026-03-02 09:05');
  return {
    ...c,
    determination: {
      justified: true,
      ground: 'our_fault',
      reason: `${said}所述属实`,
      by: 'agent-lin',
      at,
      round: 1,
      review: { justified: true, reason: said, by: 'qm-wu', at, previous: true },
    },
    rectification: {
      status: 'filed',
      period: '2026-03',
      noticedAt: at,
      noticedBy: 'qm-wu',
      unitId: 'gz-tianhe',
      filings: 1,
      record: { cause: said } as never,
      review: { outcome: 'returned', reason: said, by: 'qm-wu', at },
    },
    claim: { claimant: 'sender', amountClaimedFen: 2000, international: false, note: said, receivedAt: at, by: 'agent-lin', at },
    assists: [
      {
        id: 'A1',
        unitId: 'gz-yuexiu',
        unitName: '越秀揽投部',
        task: `请联系${said}`,
        requestedBy: 'th-handler-1',
        requestedAt: at,
        round: 1,
        status: 'answered',
        reply: { findings: said, by: 'yx-handler-1', at },
      } as never,
    ],
    extensionRequest: {
      round: 1,
      reason: `需等待${said}提供材料`,
      requestedDueAt: at,
      previousDueAt: at,
      by: 'th-handler-1',
      at,
      status: 'refused',
      decision: { reason: said, by: 'th-leader', at },
    },
    unitReturn: { unitId: 'gz-tianhe', by: 'th-handler-1', at, reason: said, round: 1, decision: { outcome: 'reject', by: 'agent-lin', at, reason: said } },
  };
}

describe('what a viewer without identity sees', () => {
  const leader: Actor = { id: 'th-leader', role: 'leader', unitId: 'gz-tianhe' };
  const quality: Actor = { id: 'qm-wu', role: 'quality' };

  it.each([
    ['the unit leader', leader],
    ['the quality manager', quality],
  ])('%s reads no phone, name or e-mail anywhere in the complaint', (_who, actor) => {
    const text = JSON.stringify(staffView(actor, loaded()));
    expect(text).not.toContain(PHONE);
    expect(text).not.toContain(NAME);
    expect(text).not.toContain('nana.ouyang@example.com');
  });

  it('the centre reads it all', () => {
    const text = JSON.stringify(staffView({ id: 'agent-lin', role: 'agent' }, loaded()));
    expect(text).toContain(PHONE);
    expect(text).toContain(NAME);
  });
});
