/**
 * Seeding the `DIR` partition with a whole directory, only while the table holds none (decision 056):
 * the deploy-time custom resource (`functions/directory-seed`) and the local stack's start-up both call
 * this. Conditional PutItems only — no read, no transaction (dynalite lacks them), no overwrite:
 *
 * 1. The organisation entry is the claim: written only if it does not exist, or if it is still the one
 *    this very seed wrote and did not finish (its `seed` attribute, a hash of the seed, and no
 *    `seedComplete`), so a seed interrupted half-way is finished by running it again. An admin's change
 *    rewrites the entry without either; a table seeded before (by another seed, by this one to the end,
 *    by an older release) has the entry: the claim fails and nothing at all is written — the directory
 *    the admins keep is never touched.
 * 2. Units and staff, each only if absent (a resumed seed skips what it wrote before).
 * 3. The routing entry: readers assemble a directory only once both the organisation and the routing
 *    exist (`directory-reader.ts`), so a partial seed is never seen as a directory.
 * 4. The organisation entry again, marked `seedComplete` (only if still this seed's): a re-run is `kept`.
 *
 * Every entry carries its audit entry (`action: seed`, who, and a note such as "seeded at deploy by
 * ComplaintLoop-prod"), like every admin change.
 */
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, EntryKind, SeedAudit, SeedOutcome } from '#app/directory-ports.ts';
import type { DirectoryEntries } from '#domain/directory-entries.ts';
import { directoryEntryKey, ORGANISATION_SK, ROUTING_SK, staffEntrySk, unitEntrySk } from './keys.ts';

/** The hash that marks the organisation entry as written by this seed (stable across key order). */
export function seedId(entries: DirectoryEntries): string {
  return createHash('sha256').update(stableJson(entries)).digest('hex').slice(0, 32);
}

export async function seedDirectory(doc: DynamoDBDocumentClient, tableName: string, entries: DirectoryEntries, audit: SeedAudit): Promise<SeedOutcome> {
  const id = seedId(entries);
  const item = (sk: string, entity: EntryKind, entryId: string, data: unknown) => {
    const trail: AuditEntry[] = [
      { at: audit.at, by: audit.by, entity, id: entryId, action: 'seed', rev: 1, after: data, ...(audit.note && { note: audit.note }) },
    ];
    return { ...directoryEntryKey(sk), rev: 1, data, trail };
  };
  const put = async (
    Item: Record<string, unknown>,
    condition: Pick<ConstructorParameters<typeof PutCommand>[0], 'ConditionExpression' | 'ExpressionAttributeValues'>,
  ) => {
    try {
      await doc.send(new PutCommand({ TableName: tableName, Item, ...condition }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  };
  const organisation = { ...item(ORGANISATION_SK, 'organisation', 'organisation', entries.organisation), seed: id };
  const claimed = await put(organisation, {
    ConditionExpression: 'attribute_not_exists(PK) OR (seed = :seed AND attribute_not_exists(seedComplete))',
    ExpressionAttributeValues: { ':seed': id },
  });
  if (!claimed) return { outcome: 'kept', seed: id, written: 0 };
  const absent = { ConditionExpression: 'attribute_not_exists(PK)' };
  let written = 1;
  for (const u of entries.units) {
    const { id: unitId, ...data } = u;
    if (await put(item(unitEntrySk(unitId), 'unit', unitId, data), absent)) written++;
  }
  for (const s of entries.staff) if (await put(item(staffEntrySk(s.id), 'staff', s.id, s), absent)) written++;
  if (await put(item(ROUTING_SK, 'routing', 'routing', entries.routing), absent)) written++;
  await put({ ...organisation, seedComplete: true }, { ConditionExpression: 'seed = :seed', ExpressionAttributeValues: { ':seed': id } });
  return { outcome: 'seeded', seed: id, written };
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
