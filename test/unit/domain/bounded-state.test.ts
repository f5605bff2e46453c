import { describe, expect, it } from 'vitest';
import { MAX_SEVERITY_REASONS } from '#domain/lifecycle.ts';
import type { Complaint } from '#domain/model.ts';
import { act, newComplaint, slaContext } from '#test/support/sla.ts';

describe('what a complaint’s state may accumulate', () => {
  it('keeps only the newest severity reasons on the state while the history keeps every one', () => {
    // Prepare
    const { ctx } = slaContext();
    let c: Complaint = newComplaint(ctx, '2026-11-24 10:00');
    // Act: an agent flips the severity 200 times, each time with a 500-character reason.
    for (let i = 0; i < 200; i++) {
      c = act(
        ctx,
        c,
        { type: 'severity', severity: i % 2 === 0 ? 'major' : 'general', reason: `第${i}次：`.concat('理由'.repeat(250)).slice(0, 500) },
        '2026-11-24 10:05',
      );
    }
    // Assess
    expect(c.severityReasons).toHaveLength(MAX_SEVERITY_REASONS);
    expect(c.severityReasons[0]).toContain('第199次');
    expect(c.history.filter((e) => e.type === 'severity_changed')).toHaveLength(200);
  });
});
