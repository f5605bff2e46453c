/**
 * GET /reports and the drill-down on the local stack (decision 060): the counters come from the real change feed
 * through the real stats-aggregator handler; who may see what; bad periods and formats are 4xx naming the field;
 * and for every non-zero complaint figure of a report built after random lifecycles, `GET /complaints?figure=`
 * returns exactly the complaints it counts.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/local/clock.ts';
import { reportService } from '#app/wiring/stats.ts';
import { counterDefinition } from '#domain/indicators.ts';
import type { DetailRow } from '#domain/report-model.ts';
import { periodOf } from '#domain/reports.ts';
import type { Complaint } from '#domain/model.ts';
import { toItem } from '#store/complaint-records.ts';
import { intakeBody } from '#test/support/fixtures.ts';
import { randomLifecycle, recount, rng, type Lifecycle } from '#test/support/lifecycles.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { countItems } from '#test/support/table.ts';

let api: Api;
const clock = new ManualClock(new Date('2026-11-24T02:00:00.000Z'));
beforeAll(async () => {
  api = await startApi({ clock });
});
afterAll(async () => api.stack.close());

describe('GET /reports', () => {
  it('counts what the feed carried: a complaint filed and dispatched shows in the current month (2026-11) for its unit', async () => {
    const before = await api.request('GET', '/reports', { token: api.tokens.quality });
    expect(before.status).toBe(200);
    expect(before.body.period).toMatchObject({ label: '2026-11', fromDate: '2026-10-26', toDate: '2026-11-25' });
    const filed = await api.request('POST', '/staff/complaints', { token: api.tokens.agent, body: intakeBody({ phone: '13900139001', category: 'loss' }) });
    expect(filed.status).toBe(201);
    expect(
      (
        await api.request('POST', `/complaints/${filed.body.id}/assignment`, {
          token: api.tokens.agent,
          body: { unitId: 'gz-tianhe', handlerId: 'th-handler-1' },
        })
      ).status,
    ).toBe(200);
    const after = await api.request('GET', '/reports?period=2026-11', { token: api.tokens.quality });
    expect(after.body.total.counts.received - (before.body.total.counts.received ?? 0)).toBe(1);
    // Received at the centre, then dispatched to 天河: the 受理量 moved with it to the unit that handles it
    // (decision 060, "Amended"); the centre's row keeps none of it.
    const cell = (unitId: string) => after.body.cells.find((c: { unitId: string; category: string }) => c.unitId === unitId && c.category === 'loss');
    expect(cell('gz-tianhe').counts).toMatchObject({ dispatched: 1, received: 1, 'received.complaint': 1 });
    expect(cell('-')?.counts.received ?? 0).toBe(0);
    const unit = (unitId: string) => after.body.byUnit.find((u: { unitId: string }) => u.unitId === unitId);
    expect(unit('gz-tianhe').counts.received).toBe(1);
    expect(unit('-')?.counts.received ?? 0).toBe(0);
    // The figure drills down to the complaint, under the unit.
    const listed = await api.request('GET', '/complaints?figure=received&period=2026-11&unitId=gz-tianhe', { token: api.tokens.quality });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([filed.body.id]);
    expect(after.body.formulaVersion).toBe('stats-f2');
    const rate = after.body.total.indicators.find((i: { id: string }) => i.id === 'close_rate');
    expect(rate).toMatchObject({ name: '办结率', rate: null, denominator: 0 });
  });

  it('a leader sees their own unit only; handlers are refused', async () => {
    const own = await api.request('GET', '/reports', { token: api.tokens.leader });
    expect(own.status).toBe(200);
    expect(own.body.unitId).toBe('gz-tianhe');
    expect(own.body.cells.every((c: { unitId: string }) => c.unitId === 'gz-tianhe')).toBe(true);
    expect((await api.request('GET', '/reports?unitId=gz-yuexiu', { token: api.tokens.leader })).status).toBe(403);
    expect((await api.request('GET', '/reports', { token: api.tokens.handler })).status).toBe(403);
    for (const role of ['agent', 'admin'] as const)
      expect((await api.request('GET', '/reports?unitId=gz-yuexiu', { token: api.tokens[role] })).status).toBe(200);
  });

  it('refuses periods that are not whole statistics months, naming the field, and unknown formats or layouts with 400', async () => {
    const range = await api.request('GET', '/reports?from=2026-11-01&to=2026-11-30', { token: api.tokens.quality });
    expect(range.status).toBe(422);
    expect(range.body.errors[0].path).toBe('from');
    expect(range.body.detail).toMatch(/whole statistics months/);
    const ok = await api.request('GET', '/reports?from=2026-09-26&to=2026-12-25', { token: api.tokens.quality });
    expect(ok.body.period).toMatchObject({ fromDate: '2026-09-26', toDate: '2026-12-25' });
    expect((await api.request('GET', '/reports?period=2026-13', { token: api.tokens.quality })).status).toBe(422);
    expect((await api.request('GET', '/reports?period=2026-Q4&from=2026-09-26', { token: api.tokens.quality })).status).toBe(422);
    const layout = await api.request('GET', '/reports?layout=detail', { token: api.tokens.quality });
    expect(layout.status).toBe(400);
    expect(layout.headers.get('content-type')).toMatch(/problem\+json/);
    expect(layout.body.errors[0].path).toBe('query.layout');
    expect((await api.request('GET', '/reports?format=pdf', { token: api.tokens.quality })).status).toBe(400);
    expect((await api.request('GET', '/complaints?figure=nonsense&period=2026-11', { token: api.tokens.quality })).status).toBe(422);
    expect((await api.request('GET', '/complaints?figure=closed&period=2026-11&status=closed', { token: api.tokens.quality })).status).toBe(422);
  });
});

describe('drill-down', () => {
  let fresh: Api;
  beforeAll(async () => {
    fresh = await startApi({ clock: new ManualClock(new Date('2026-12-02T02:00:00.000Z')) });
  });
  afterAll(async () => fresh.stack.close());

  it('every non-zero complaint figure drills down to exactly the complaints it counts (random lifecycles), and no statistics item is counted as written', async () => {
    const random = rng(7);
    const lifecycles: Lifecycle[] = Array.from({ length: 60 }, (_, i) =>
      randomLifecycle(random, 70_000 + i, Date.parse('2026-11-21T01:00:00.000Z') + Math.floor(random() * 7 * 86_400_000)),
    );
    const { doc, tableName } = fresh.stack.container;
    const itemsBefore = await countItems(fresh.stack);
    // Committed writes, in each complaint's order, told to the feed as the store tells it.
    for (const l of lifecycles) {
      for (const image of l.images) {
        await doc.send(new PutCommand({ TableName: tableName, Item: toItem(image) }));
        fresh.stack.feed.publish({ eventName: image.version === 1 ? 'INSERT' : 'MODIFY', keys: { PK: `CMP#${image.id}`, SK: 'A' }, newImage: toItem(image) });
      }
    }
    await fresh.stack.drain();
    expect(await countItems(fresh.stack)).toBe(itemsBefore + lifecycles.length);
    const expected = recount(lifecycles).tokens;
    let checked = 0;
    for (const period of ['2026-11', '2026-12']) {
      const report = await fresh.request('GET', `/reports?period=${period}`, { token: fresh.tokens.quality });
      expect(report.status).toBe(200);
      // The centre's own row (`-`: not dispatched yet) is reached through the total; a unit id filter names a unit.
      const rows: { unitId?: string; counts: Record<string, number> }[] = [
        { counts: report.body.total.counts },
        ...report.body.byUnit.filter((u: { unitId: string }) => u.unitId !== '-'),
      ];
      for (const row of rows) {
        for (const [figure, n] of Object.entries(row.counts)) {
          if (n === 0 || counterDefinition(figure)?.unit !== 'complaints') continue;
          const ids: string[] = [];
          let cursor: string | undefined;
          do {
            const unit = row.unitId ? `&unitId=${row.unitId}` : '';
            const page = await fresh.request('GET', `/complaints?figure=${figure}&period=${period}&limit=7${unit}${cursor ? `&cursor=${cursor}` : ''}`, {
              token: fresh.tokens.quality,
            });
            expect(page.status).toBe(200);
            ids.push(...page.body.items.map((c: Complaint) => c.id));
            cursor = page.body.cursor;
          } while (cursor);
          const want = [...expected]
            .filter(([, months]) =>
              [...(months.get(period) ?? [])].some(
                (t) => t.startsWith(`${figure}|${row.unitId ?? ''}`) && (row.unitId === undefined || t.startsWith(`${figure}|${row.unitId}|`)),
              ),
            )
            .map(([id]) => id);
          expect(ids.sort()).toEqual(want.sort());
          // A complaint counts once per (month, cell); its category never changes here, so per unit the figure is the complaints.
          if (row.unitId !== undefined) expect(ids.length).toBe(n);
          else expect(ids.length).toBeLessThanOrEqual(n);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    // The detail list (明细报表) the exports read: the month's 投诉 / 重复投诉 / 重处理, masked, oldest first.
    const service = await reportService();
    const rows: DetailRow[] = [];
    for await (const row of service.details({ period: periodOf('2026-11'), types: ['complaint', 'repeat', 'reprocess'] })) rows.push(row);
    const wantRows = [...expected]
      .filter(([, months]) => [...(months.get('2026-11') ?? [])].some((t) => /^received\.(complaint|repeat|reprocess)\|/.test(t)))
      .map(([id]) => id);
    expect(rows.map((r) => r.complaintId).sort()).toEqual(wantRows.sort());
    expect(rows.every((r) => /\*/.test(r.complainantPhone) && !r.complainantPhone.includes('13800'))).toBe(true);
  }, 180_000);
});
