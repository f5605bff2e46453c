/**
 * The archive on the local stack (decision 065): cases ended in 2026 are exported in February 2027
 * under DATA_DIR/archive with their whole history; a re-run writes nothing; personal data is
 * minimised only after the archive and the 3-year retention, by a fake clock.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { FileArchiveStore } from '#adapters/local/archive.ts';
import { ManualClock } from '#adapters/local/clock.ts';
import type { ComplaintStore } from '#app/ports.ts';
import { buildArchiveService } from '#app/wiring/archive.ts';
import type { Complaint, ComplaintEvent } from '#domain/model.ts';
import { complaint, ev } from '#test/support/complaint.ts';
import { startApi, type Api } from '#test/support/local.ts';

const clock = new ManualClock('2026-12-20T02:00:00.000Z');
let api: Api;
beforeAll(async () => {
  api = await startApi({ clock });
});
afterAll(async () => {
  await api.stack.close();
});

const store = () => api.stack.container.store;
const item = async (id: string) =>
  (await api.stack.container.doc.send(new GetCommand({ TableName: api.stack.container.tableName, Key: { PK: `CMP#${id}`, SK: 'A' } }))).Item ?? {};
const pageItems = async (id: string) =>
  (
    await api.stack.container.doc.send(
      new QueryCommand({
        TableName: api.stack.container.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :h)',
        ExpressionAttributeValues: { ':pk': `CMP#${id}`, ':h': 'H#' },
      }),
    )
  ).Items ?? [];

/** An ended case as the lifecycle leaves it, with its complainant's data in the content and the notes. */
function ended(id: string, status: 'closed' | 'withdrawn' | 'suspended', at: string): Complaint {
  const base = complaint({ id, trackingCode: `TRK${id.slice(-9)}`, version: 7, updatedAt: at });
  const end: ComplaintEvent = ev(7, status === 'closed' ? 'closed' : status === 'withdrawn' ? 'withdrawn' : 'suspended');
  return {
    ...base,
    status,
    deadlines: [],
    history: [...base.history, { ...end, at }],
    ...(status === 'closed' && { closedAt: at }),
    ...(status === 'withdrawn' && { withdrawal: { confirmedVia: 'phone', note: '欧阳娜娜来电13800138000撤诉', at, by: 'agent-lin' } }),
    ...(status === 'suspended' && { suspension: { reason: 'litigation' as const, note: '转入司法程序', at, by: 'agent-lin' } }),
  };
}

/** Appends `n` system events of 3 KB each, so the case's older events move to history pages. */
async function grow(id: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++)
    await store().appendSystemEvents(id, [
      {
        type: 'case_linked',
        at: new Date(Date.parse('2026-12-21T00:00:00Z') + i * 1000).toISOString(),
        actor: { id: 'rules', role: 'system' },
        key: `grow-${id}-${i}`,
        data: { note: `投诉人欧阳娜娜再次来电13800138000 ${'催'.repeat(1000)}` },
      },
    ]);
}

const files = async (dir: string): Promise<string[]> => {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) if (entry.isFile()) out.push(join(entry.parentPath, entry.name));
  return out.sort();
};

describe('the yearly archive on the local stack', () => {
  const ids = {
    closed: 'C0000000000ARC001',
    paged: 'C0000000000ARC002',
    withdrawn: 'C0000000000ARC003',
    suspended: 'C0000000000ARC004',
    open: 'C0000000000ARC005',
    nextYear: 'C0000000000ARC006',
  };

  it('exports every case ended in 2026 with its whole history, marks each, and keeps them all (no TTL)', async () => {
    // Prepare: three kinds of end in 2026, one with history pages; an open case; a case closed in 2027 (Beijing time).
    await store().create(ended(ids.closed, 'closed', '2026-03-01T02:00:00.000Z'));
    await store().create(ended(ids.paged, 'closed', '2026-06-01T02:00:00.000Z'));
    await grow(ids.paged, 60);
    await store().create(ended(ids.withdrawn, 'withdrawn', '2026-09-01T02:00:00.000Z'));
    await store().create(ended(ids.suspended, 'suspended', '2026-12-01T02:00:00.000Z'));
    await store().create(complaint({ id: ids.open, trackingCode: 'TRKOPEN00005' }));
    await store().create(ended(ids.nextYear, 'closed', '2026-12-31T16:30:00.000Z'));
    const paged = await store().getWithHistory(ids.paged);
    expect(paged?.historySealed?.pages).toBeGreaterThan(0);
    clock.set('2027-02-01T02:00:00+08:00');
    // Act
    const result = await api.stack.archive({ year: 2026 });
    // Assess: one part and the manifest under DATA_DIR/archive/complaints/2026/.
    expect(result).toMatchObject({ exported: { '2026': 4 }, marked: 4, stale: 0, objectsWritten: 2 });
    const written = await files(api.stack.archiveDir);
    expect(written.map((f) => f.slice(api.stack.archiveDir.length))).toEqual([
      expect.stringMatching(/^\/complaints\/2026\/manifest\.json$/),
      expect.stringMatching(/^\/complaints\/2026\/part-[0-9a-f]{32}\.jsonl\.gz$/),
    ]);
    const manifest = JSON.parse(await readFile(join(api.stack.archiveDir, 'complaints/2026/manifest.json'), 'utf8'));
    const part = await readFile(written[1] ?? '');
    expect(manifest).toMatchObject({ year: 2026, count: 4, retentionYears: 3, versions: { calendar: expect.any(String), policy: 'spec-2025' } });
    expect(manifest.parts).toEqual([
      {
        key: written[1]?.slice(api.stack.archiveDir.length + 1),
        count: 4,
        bytes: part.length,
        sha256: createHash('sha256').update(part).digest('hex'),
        ids: expect.any(Array),
      },
    ]);
    const lines = gunzipSync(part)
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.complaint.id).sort()).toEqual([ids.closed, ids.paged, ids.withdrawn, ids.suspended].sort());
    const pagedLine = lines.find((l) => l.complaint.id === ids.paged);
    expect(pagedLine.complaint.history.map((e: ComplaintEvent) => e.seq)).toEqual(Array.from({ length: paged?.history.length ?? 0 }, (_, i) => i + 1));
    expect(pagedLine.complaint.history.length).toBeGreaterThan((await store().get(ids.paged))?.history.length ?? 0);
    for (const id of [ids.closed, ids.paged, ids.withdrawn, ids.suspended]) {
      const stored = await item(id);
      expect(stored['expiresAt']).toBeUndefined();
      expect(stored['archive']).toEqual({ year: 2026, key: manifest.parts[0].key, at: '2027-01-31T18:00:00.000Z' });
      expect(stored['GSI2PK']).toBe('ARCHIVED#2026');
    }
    expect((await item(ids.open))['archive']).toBeUndefined();
    expect((await item(ids.nextYear))['GSI2PK']).toBe('ENDED#2027');
  });

  it('writes nothing new when run again', async () => {
    // Prepare
    const before = await Promise.all((await files(api.stack.archiveDir)).map(async (f) => [f, (await stat(f)).mtimeMs] as const));
    // Act
    const again = await api.stack.archive({ year: 2026 });
    const all = await api.stack.archive();
    // Assess: the 2024 and 2025 manifests (count 0) are new; nothing of 2026 changed.
    expect(again).toMatchObject({ exported: {}, marked: 0, objectsWritten: 0, minimised: 0 });
    expect(all).toMatchObject({ exported: {}, marked: 0, objectsWritten: 2 });
    const after = await Promise.all((await files(api.stack.archiveDir)).map(async (f) => [f, (await stat(f)).mtimeMs] as const));
    expect(after.filter(([f]) => f.includes('/2026/'))).toEqual(before);
  });

  it('minimises personal data only once the archive exists and the retention has passed', async () => {
    // Prepare: a 2026 case closed after the export (not archived), and a clock one day short of 3 years after the first end.
    const late = 'C0000000000ARC007';
    await store().create(ended(late, 'closed', '2026-02-01T02:00:00.000Z'));
    clock.set('2029-02-28T02:00:00.000Z');
    // Act
    const early = await api.stack.archive({ year: 2099 });
    // Assess: retention not passed for any archived case; the unarchived one is past it but not archived.
    expect(early.minimised).toBe(0);
    // Act: past the retention of the closed and the paged case (ended March and June 2026).
    clock.set('2029-06-02T02:00:00.000Z');
    const due = await api.stack.archive({ year: 2099 });
    const rerun = await api.stack.archive({ year: 2099 });
    // Assess
    expect(due.minimised).toBe(2);
    expect(rerun.minimised).toBe(0);
    const closed = await store().getWithHistory(ids.closed);
    expect(closed?.complainant).toEqual({ name: '欧***', phone: '138****8000', anonymous: false });
    expect(closed?.content).not.toContain('13800138000');
    expect(closed?.content).not.toContain('欧阳娜娜');
    expect(closed?.content).not.toContain('440106199001011234');
    expect(closed?.history.map((e) => JSON.stringify(e.data ?? {})).join()).not.toContain('13800138000');
    expect(closed).toMatchObject({
      status: 'closed',
      category: 'delay',
      unitId: 'gz-tianhe',
      closedAt: '2026-03-01T02:00:00.000Z',
      minimisedAt: '2029-06-02T02:00:00.000Z',
    });
    expect(closed?.history.at(-1)).toMatchObject({ type: 'minimised' });
    const pages = await pageItems(ids.paged);
    expect(pages.length).toBeGreaterThan(0);
    expect(JSON.stringify(pages)).not.toContain('13800138000');
    expect(JSON.stringify(pages)).not.toContain('欧阳娜娜');
    expect((await store().getWithHistory(ids.paged))?.history.map((e) => e.seq)).toEqual(
      Array.from({ length: (await store().getWithHistory(ids.paged))?.history.length ?? 0 }, (_, i) => i + 1),
    );
    expect((await item(ids.closed))['GSI2PK']).toBeUndefined();
    expect((await item(ids.closed))['GSI3PK']).toBeUndefined();
    expect((await store().get(late))?.minimisedAt).toBeUndefined();
    expect((await store().get(ids.withdrawn))?.minimisedAt).toBeUndefined();
  });

  it('does not mark a case that changed after it was read for the export, and exports it again next run', async () => {
    // Prepare: a store whose read for the export is followed by a concurrent system event on the case.
    const id = 'C0000000000ARC008';
    clock.set('2030-01-10T02:00:00.000Z');
    await store().create(ended(id, 'closed', '2029-05-01T02:00:00.000Z'));
    let interfere = true;
    const racing: ComplaintStore = Object.assign(Object.create(store()) as ComplaintStore, {
      getWithHistory: async (cid: string) => {
        const read = await store().getWithHistory(cid);
        if (interfere && cid === id)
          await store().appendSystemEvents(cid, [
            { type: 'case_linked', at: '2030-01-10T01:00:00.000Z', actor: { id: 'rules', role: 'system' }, key: 'race', data: {} },
          ]);
        return read;
      },
    });
    const { doc, tableName } = api.stack.container;
    const service = buildArchiveService({
      doc,
      tableName,
      store: racing,
      clock,
      archive: new FileArchiveStore(await mkdtemp(join(tmpdir(), 'archive-race-'))),
    });
    // Act
    const first = await service.run({ year: 2029 });
    interfere = false;
    const second = await service.run({ year: 2029 });
    // Assess
    expect(first).toMatchObject({ marked: 0, stale: 1 });
    expect(second).toMatchObject({ marked: 1, stale: 0, exported: { '2029': 1 } });
    const archived = await store().getWithHistory(id);
    expect(archived?.archive?.year).toBe(2029);
    expect(archived?.history.map((e) => e.type).slice(-2)).toEqual(['case_linked', 'archived']);
  });
});
