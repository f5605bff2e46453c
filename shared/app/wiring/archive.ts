/** The archive service of the `archive` Lambda, from its environment; the injected one locally (decision 065). */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3ArchiveStore } from '#adapters/aws/archive.ts';
import { DEFAULT_RETENTION_YEARS } from '#domain/archive.ts';
import { HOLIDAYS_CN, HOLIDAYS_CN_PROVISIONAL } from '#domain/calendar/holidays.ts';
import { DEFAULT_POLICY } from '#domain/sla/policy.ts';
import { DynamoArchiveIndex } from '#store/archive-index.ts';
import { ArchiveService } from '../archive.ts';
import type { ArchiveStore, Clock, ComplaintRecords } from '../ports.ts';
import { clock, injectedContainer } from './registry.ts';
import { tableFromEnv } from './table.ts';

/** What the exported deadlines were computed with: the holiday data (official + provisional) and the SLA policy. */
const ARCHIVE_VERSIONS = { calendar: `${HOLIDAYS_CN.version}+${HOLIDAYS_CN_PROVISIONAL.version}`, policy: DEFAULT_POLICY.version };

/** The retention in years: `ARCHIVE_RETENTION_YEARS`, never below seed 004's 3 years. */
export function retentionYearsFrom(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_RETENTION_YEARS;
  const years = Number(value);
  if (!Number.isInteger(years) || years < DEFAULT_RETENTION_YEARS)
    throw new Error(`ARCHIVE_RETENTION_YEARS must be a whole number of at least ${DEFAULT_RETENTION_YEARS} (seed 004), not “${value}”`);
  return years;
}

/** Builds the service over a table and an archive store (the local stack, the tests, the Lambda). */
export function buildArchiveService(opts: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  store: ComplaintRecords;
  clock: Clock;
  archive: ArchiveStore;
  retentionYears?: number;
}): ArchiveService {
  return new ArchiveService({
    store: opts.store,
    index: new DynamoArchiveIndex(opts.doc, opts.tableName),
    archive: opts.archive,
    clock: opts.clock,
    retentionYears: opts.retentionYears ?? DEFAULT_RETENTION_YEARS,
    versions: ARCHIVE_VERSIONS,
  });
}

let built: ArchiveService | undefined;

/** The injected container's archive (the local stack), else one built from `TABLE_NAME`, `ARCHIVE_BUCKET`, `ARCHIVE_RETENTION_YEARS`. */
export function archiveService(): ArchiveService {
  const injected = injectedContainer();
  if (injected) {
    if (!injected.archive) throw new Error('The local stack was started without an archive store');
    return injected.archive;
  }
  if (built) return built;
  const { doc, tableName, store } = tableFromEnv();
  built = buildArchiveService({
    doc,
    tableName,
    store,
    clock: clock(),
    archive: new S3ArchiveStore(),
    retentionYears: retentionYearsFrom(process.env['ARCHIVE_RETENTION_YEARS']),
  });
  return built;
}
