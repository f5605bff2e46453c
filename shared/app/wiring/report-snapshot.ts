/**
 * The monthly snapshot service of the `report-snapshot` Lambda, from its environment (`TABLE_NAME`,
 * `REPORT_BUCKET`, `MAIL_FROM`, optional `REPORT_SNAPSHOT_SINCE`); the injected one locally (decision 061). The recipients are the directory's
 * quality managers, read through the cached runtime directory (decision 056), so an admin's change of who
 * holds the quality role reaches the next month's e-mail without a deploy.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3ArchiveStore } from '#adapters/aws/archive.ts';
import { mailerFromEnv } from '#adapters/aws/mail.ts';
import type { ReportSource } from '#domain/report-model.ts';
import { DynamoSnapshotStore } from '#store/snapshot-store.ts';
import type { ArchiveStore } from '../ports.ts';
import type { Clock, Mailer } from '../ports.ts';
import { ReportSnapshotService } from '../report-snapshot.ts';
import type { CachedRuntimeConfig } from '../runtime-config.ts';
import { clock, injectedContainer } from './registry.ts';
import { runtimeConfig } from './runtime-config.ts';
import { reportService } from './stats.ts';
import { tableFromEnv } from './table.ts';

/** The quality managers' addresses and the organisation's name, from the current directory. */
export function qualityManagersOf(config: Pick<CachedRuntimeConfig, 'refresh'>): () => Promise<{ to: string[]; organisation: string }> {
  return async () => {
    const { directory } = await config.refresh();
    const to = directory.organisation.qualityManagers.map((p) => p.email);
    if (to.length === 0) throw new Error('the directory names no quality manager: the monthly report has nobody to go to');
    return { to, organisation: `${directory.organisation.name} ${directory.organisation.centreName}` };
  };
}

/** Builds the service over a table, a report source, a report store and a mailer (the local stack, the tests, the Lambda). */
export function buildReportSnapshotService(opts: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  source: ReportSource;
  files: ArchiveStore;
  mailer: Mailer;
  clock: Clock;
  config: Pick<CachedRuntimeConfig, 'refresh'>;
  attachmentLimitBytes?: number;
  since?: string;
}): ReportSnapshotService {
  return new ReportSnapshotService({
    source: opts.source,
    snapshots: new DynamoSnapshotStore(opts.doc, opts.tableName),
    files: opts.files,
    mailer: opts.mailer,
    recipients: qualityManagersOf(opts.config),
    clock: opts.clock,
    ...(opts.attachmentLimitBytes !== undefined && { attachmentLimitBytes: opts.attachmentLimitBytes }),
    ...(opts.since !== undefined && { since: opts.since }),
  });
}

/**
 * The report source over the statistics counters: the same `ReportService` as `GET /reports` (decision 060),
 * built per call so each run reads the current directory (unit names) and calendar version.
 */
export function counterReportSource(): ReportSource {
  return {
    report: async (query) => (await reportService()).report(query),
    details: async function* (query) {
      yield* (await reportService()).details(query);
    },
  };
}

let built: ReportSnapshotService | undefined;

/** The injected container's service (the local stack), else one built from the environment. */
export function reportSnapshotService(): ReportSnapshotService {
  const injected = injectedContainer();
  if (injected) {
    if (!injected.reportSnapshot) throw new Error('The local stack was started without a report source for the monthly snapshot');
    return injected.reportSnapshot;
  }
  if (built) return built;
  const { doc, tableName } = tableFromEnv();
  const bucket = process.env['REPORT_BUCKET'];
  if (!bucket) throw new Error('REPORT_BUCKET is not set');
  const since = process.env['REPORT_SNAPSHOT_SINCE'] || undefined;
  built = buildReportSnapshotService({
    doc,
    tableName,
    source: counterReportSource(),
    files: new S3ArchiveStore({ bucket }),
    mailer: mailerFromEnv(),
    clock: clock(),
    config: runtimeConfig(),
    ...(since && { since }),
  });
  return built;
}
