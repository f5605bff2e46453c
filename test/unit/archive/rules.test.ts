/** The archive and retention rules, pure (decision 065). */
import { describe, expect, it } from 'vitest';
import { archiveIndexKeys, archiveLine, endedAt, mayMinimise, mergeManifest, minimise, retentionEnds, shanghaiYear } from '#domain/archive.ts';
import type { Complaint } from '#domain/model.ts';
import { indexAttributes } from '#store/keys.ts';
import { retentionYearsFrom } from '#app/wiring/archive.ts';
import { complaint } from '#test/support/complaint.ts';

const closed = (at: string, extra: Partial<Complaint> = {}): Complaint => complaint({ status: 'closed', closedAt: at, updatedAt: at, deadlines: [], ...extra });
const base = { year: 2026, format: 1, retentionYears: 3, updatedAt: '2027-02-01T00:00:00.000Z', versions: { calendar: 'c', policy: 'p' } };

describe('the archive index', () => {
  it('files a case by the Shanghai year of its end: 23:30 Beijing on 31 December is that year', () => {
    // Prepare
    const c = closed('2026-12-31T15:30:00.000Z');
    // Act
    const keys = archiveIndexKeys(c);
    // Assess
    expect(keys).toEqual({ pk: 'ENDED#2026', sk: `2026-12-31T15:30:00.000Z#${c.id}` });
    expect(archiveIndexKeys(closed('2026-12-31T16:30:00.000Z'))?.pk).toBe('ENDED#2027');
  });

  it('puts withdrawn and suspended cases in the year partition too, open ones never, and gives ended items no TTL', () => {
    // Prepare
    const withdrawn = complaint({ status: 'withdrawn', withdrawal: { confirmedVia: 'phone', note: '撤诉', at: '2026-05-01T00:00:00.000Z', by: 'a' } });
    const suspended = complaint({ status: 'suspended', suspension: { reason: 'litigation', note: '诉讼', at: '2026-07-01T00:00:00.000Z', by: 'a' } });
    // Act
    const attrs = [withdrawn, suspended, closed('2026-08-01T00:00:00.000Z'), complaint()].map(indexAttributes);
    // Assess
    expect(attrs.map((a) => a['GSI2PK'])).toEqual(['ENDED#2026', 'ENDED#2026', 'ENDED#2026', undefined]);
    expect(attrs.every((a) => a['expiresAt'] === undefined)).toBe(true);
    expect(endedAt(withdrawn)).toBe('2026-05-01T00:00:00.000Z');
  });

  it('moves an archived case to ARCHIVED#<year>, and back to ENDED of its new year when it ended again after reopening', () => {
    // Prepare
    const archived = closed('2026-03-01T00:00:00.000Z', { archive: { year: 2026, key: 'k', at: '2027-02-01T00:00:00.000Z' } });
    const endedAgain = { ...archived, closedAt: '2027-04-01T00:00:00.000Z' };
    // Act / Assess
    expect(archiveIndexKeys(archived)?.pk).toBe('ARCHIVED#2026');
    expect(archiveIndexKeys(endedAgain)?.pk).toBe('ENDED#2027');
    expect(archiveIndexKeys({ ...archived, minimisedAt: '2029-03-02T00:00:00.000Z' })).toBeUndefined();
  });
});

describe('minimisation', () => {
  const archive = { year: 2026, key: 'k', at: '2027-02-01T00:00:00.000Z' };

  it('waits for both the archive and the retention', () => {
    // Prepare
    const notArchived = closed('2026-03-01T00:00:00.000Z');
    const archived = closed('2026-03-01T00:00:00.000Z', { archive });
    // Act / Assess
    expect(retentionEnds('2026-03-01T00:00:00.000Z', 3)).toBe('2029-03-01T00:00:00.000Z');
    expect(mayMinimise(notArchived, new Date('2035-01-01T00:00:00Z'), 3)).toBe(false);
    expect(mayMinimise(archived, new Date('2029-02-28T23:59:59Z'), 3)).toBe(false);
    expect(mayMinimise(archived, new Date('2029-03-01T00:00:00Z'), 3)).toBe(true);
    expect(mayMinimise(archived, new Date('2029-03-01T00:00:00Z'), 5)).toBe(false);
    expect(mayMinimise(complaint({ archive }), new Date('2035-01-01T00:00:00Z'), 3)).toBe(false);
  });

  it('masks name, phone, e-mail, the free texts and the history notes, and keeps what the statistics count', () => {
    // Prepare
    const c = closed('2026-03-01T00:00:00.000Z', {
      archive,
      complainant: { name: '欧阳娜娜', phone: '+8613800138000', email: 'nana@example.com', anonymous: false },
      demand: '赔偿，联系13800138000',
    });
    // Act
    const m = minimise(c, '2029-03-02T00:00:00.000Z');
    // Assess
    expect(m.complainant).toEqual({ name: '欧***', phone: '138****8000', email: 'n***@example.com', anonymous: false });
    expect(JSON.stringify([m.content, m.demand, m.history])).not.toMatch(/13800138000|欧阳娜娜|440106199001011234/);
    expect(m).toMatchObject({
      status: 'closed',
      category: 'delay',
      severity: 'major',
      unitId: 'gz-tianhe',
      waybillNo: 'EA123456785CN',
      closedAt: c.closedAt,
      minimisedAt: '2029-03-02T00:00:00.000Z',
    });
    expect(m.history.map((e) => e.seq)).toEqual(c.history.map((e) => e.seq));
  });
});

describe('the archive files', () => {
  it('writes the same line for the same case whatever the order of its attributes', () => {
    // Prepare
    const c = closed('2026-03-01T00:00:00.000Z');
    const reordered = Object.fromEntries(Object.entries(c).reverse()) as unknown as Complaint;
    // Act / Assess
    expect(archiveLine(reordered)).toBe(archiveLine(c));
    expect(JSON.parse(archiveLine(c))).toMatchObject({ format: 1, endedAt: c.closedAt, complaint: { id: c.id, history: c.history } });
  });

  it('lists a part written again by a retried run once and counts each case once', () => {
    // Prepare
    const p1 = { key: 'a', count: 2, bytes: 10, sha256: 'x', ids: ['C1', 'C2'] };
    const p2 = { key: 'b', count: 1, bytes: 5, sha256: 'y', ids: ['C2'] };
    // Act
    const first = mergeManifest(undefined, base, [p1]);
    const again = mergeManifest(first, base, [p1, p2]);
    // Assess
    expect(first.count).toBe(2);
    expect(again.parts.map((p) => p.key)).toEqual(['a', 'b']);
    expect(again.count).toBe(2);
    expect(shanghaiYear('2027-01-31T18:00:00.000Z')).toBe(2027);
  });
});

describe('the configured retention', () => {
  it('defaults to 3 years and refuses less than seed 004’s minimum or a fraction', () => {
    // Act / Assess
    expect(retentionYearsFrom(undefined)).toBe(3);
    expect(retentionYearsFrom('10')).toBe(10);
    expect(() => retentionYearsFrom('2')).toThrow(/at least 3/);
    expect(() => retentionYearsFrom('3.5')).toThrow(/whole number/);
  });
});
