/**
 * The single table, defined once. The CDK stack (`infra/`) and the local stack (`local/`) both build
 * the table from this object, so what runs on a laptop is what runs in AWS.
 *
 * Entities (PK / SK):
 * - complaint            `CMP#<id>` / `A`                 — state + intake events + newest `history`
 * - history page         `CMP#<id>` / `H#<nnnnnn>`         — sealed events `from`…`through` (decision 033)
 * - escalation sent      `CMP#<id>` / `ESC#<milestone>#<round>#<level>` — once-only marker per e-mail
 * - SMS part             `SMSPART#<phone>#<ref>` / `P#<n>` — a part of a long SMS waiting for the rest
 * - channel message      `MSG#<channel>#<messageId>` / `A` — what one inbound message became
 * - cluster day          `CLUSTER#<unitId>#<category>` / `D#<yyyy-mm-dd>` — string set `ids` of `<createdAt>#<id>`
 *                        of complaints received that Shanghai day that reached the unit (decision 045)
 * - directory entry      `DIR` / `UNIT#<id>`, `STAFF#<id>`, `ORG`, `ROUTING` — admin-managed, each with its
 *                        audit trail; `DIR` / `CALENDAR` — newest notice per year (decisions 055, 056)
 * - notice version       `CAL#<year>` / `V#<nnnnnn>`             — every loaded State Council notice, who, when
 * - audit archive        `AUDIT#<entry SK>` / `<at>#<rev>`       — audit entries moved off a long trail
 *
 * Global secondary indexes (sparse: an item is in an index only while it has that index's keys):
 * - GSI1 unit worklist   `UNIT#<unitId>` / `<status>#<priority><severity>#<createdAt>#<id>`
 * - GSI2 open by due     `DUE#<shard>` / `<nextDueAt>#<id>` — only open complaints with a pending clock
 *                        `ENDED#<year>` / `<endedAt>#<id>` — ended (closed, withdrawn, suspended) in that Shanghai
 *                        year, not yet archived; `ARCHIVED#<year>` once exported, until minimised (decision 065)
 *                        `OUTBOX#<shard>` / `<redriveAt>#<dedupe key>` — escalation markers queued, not yet sent
 * - GSI3 complainant     `PHONE#<+86…>` / `<createdAt>#<id>` — repeat complaints (same phone + waybill)
 * - GSI4 tracking code   `TRK#<code>` / `TRK`
 * - GSI5 by status       `STATUS#<status>` / `<createdAt>#<id>` — the centre's lists across units
 * - GSI6 pending effects `EFFECTS#<shard>` / `<redriveAt>#<id>` — complaints whose transition still owes
 *                        side effects (attributes `fx#<effect id>`, the transactional outbox, decision 051)
 * - GSI7 statistics      `STATSP#<month>` / `<complaintId>` — the month items of the statistics, one per complaint and
 *                        statistics month it counts in, projecting its figures `f` (drill-down, decision 060)
 *
 * Statistics (decision 060; `stats-store.ts`): counter cells `STATS#<month>` / `<unitId>#<category>`, markers
 * `STATSC#<id>` / `A`, month items `STATSC#<id>` / `P#<month>`.
 */

export interface IndexDefinition {
  indexName: string;
  partitionKey: string;
  sortKey: string;
  projection: { type: 'ALL' } | { type: 'KEYS_ONLY' } | { type: 'INCLUDE'; nonKeyAttributes: string[] };
  purpose: string;
}

/** What a worklist row needs, so lists are answered from the index without touching the items. */
export const LIST_ATTRIBUTES = [
  'id',
  'trackingCode',
  'status',
  'severity',
  'kind',
  'category',
  'channel',
  'source',
  'priority',
  'round',
  'unitId',
  'handlerId',
  'waybillNo',
  'complainant',
  'chaseCount',
  'repeatCount',
  'nextDueAt',
  'createdAt',
  'updatedAt',
  'subjectStaffIds',
  // 签收 on the worklist (decision 047)
  'dispatchCount',
  'signedAt',
  'signDueAt',
  'returnCount',
  // The worklist queues' filters (decision 067)
  'qDueAt',
  'qWarnAt',
  'qNotice',
  // The leader's extensions to approve (decision 069)
  'qExtension',
];

/** How many partitions the open-by-due index is spread over, so no single key runs hot. */
export const DUE_SHARDS = 4;

export const TABLE = {
  partitionKey: 'PK',
  sortKey: 'SK',
  /**
   * Epoch seconds, for short-lived items only (idempotency keys, SMS parts and caps, cluster days,
   * receipts, escalation markers): complaints and their history pages never carry it (decision 065).
   */
  timeToLiveAttribute: 'expiresAt',
  indexes: [
    {
      indexName: 'GSI1',
      partitionKey: 'GSI1PK',
      sortKey: 'GSI1SK',
      projection: { type: 'INCLUDE', nonKeyAttributes: LIST_ATTRIBUTES },
      purpose: 'unit worklist by status and priority',
    },
    {
      indexName: 'GSI2',
      partitionKey: 'GSI2PK',
      sortKey: 'GSI2SK',
      projection: { type: 'KEYS_ONLY' },
      purpose: 'open complaints by next due time; unsent escalations by redrive time; ended cases by year for the archive',
    },
    {
      indexName: 'GSI3',
      partitionKey: 'GSI3PK',
      sortKey: 'GSI3SK',
      projection: { type: 'INCLUDE', nonKeyAttributes: ['id', 'status', 'waybillNo'] },
      purpose: 'complaints of one complainant phone',
    },
    { indexName: 'GSI4', partitionKey: 'GSI4PK', sortKey: 'GSI4SK', projection: { type: 'KEYS_ONLY' }, purpose: 'tracking code lookup' },
    {
      indexName: 'GSI5',
      partitionKey: 'GSI5PK',
      sortKey: 'GSI5SK',
      projection: { type: 'INCLUDE', nonKeyAttributes: LIST_ATTRIBUTES },
      purpose: 'centre lists by status',
    },
    {
      indexName: 'GSI6',
      partitionKey: 'GSI6PK',
      sortKey: 'GSI6SK',
      projection: { type: 'KEYS_ONLY' },
      purpose: 'complaints with side effects still owed (outbox)',
    },
    {
      indexName: 'GSI7',
      partitionKey: 'GSI7PK',
      sortKey: 'GSI7SK',
      projection: { type: 'INCLUDE', nonKeyAttributes: ['f'] },
      purpose: 'statistics drill-down: the complaints each month counts, with their figures',
    },
  ] satisfies IndexDefinition[],
} as const;

/**
 * Seed 004's minimum, in years: how long receipts and escalation markers live before TTL removes them.
 * Complaints are never removed by TTL; their retention is `DEFAULT_RETENTION_YEARS` (decision 065).
 */
export const RETENTION_YEARS = 3;

/** The CreateTable input for the local stack and the integration tests (on-demand, like production). */
export function createTableInput(tableName: string) {
  const attributes = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const index of TABLE.indexes) {
    attributes.add(index.partitionKey);
    attributes.add(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...attributes].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: TABLE.indexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection:
        index.projection.type === 'INCLUDE'
          ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.projection.nonKeyAttributes] }
          : { ProjectionType: index.projection.type },
    })),
  };
}
