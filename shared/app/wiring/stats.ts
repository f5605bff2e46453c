/**
 * The statistics of a Lambda (decision 060): the aggregator (`stats-aggregator`, a stream consumer) and the
 * reports (`reports`), on the injected container's table locally and in tests, else on `TABLE_NAME`.
 */
import { DynamoSnapshotStore } from '#store/snapshot-store.ts';
import { DynamoStatsStore } from '#store/stats-store.ts';
import { ReportService } from '../reports.ts';
import { StatsAggregator } from '../stats-aggregator.ts';
import { clock, injectedContainer } from './registry.ts';
import { directoryConfig } from './directory-config.ts';
import { tableFromEnv } from './table.ts';

function table() {
  const injected = injectedContainer();
  if (injected) return { doc: injected.doc, tableName: injected.tableName, store: injected.store };
  return tableFromEnv();
}

export function statsStore(): DynamoStatsStore {
  const { doc, tableName, store } = table();
  return new DynamoStatsStore(doc, tableName, store);
}

export function statsAggregator(): StatsAggregator {
  return new StatsAggregator(statsStore());
}

/** `<year>v<version>` of every loaded State Council notice, or `built-in` (the holiday files only). */
export function calendarVersionOf(notices: readonly { year: number; version: number }[]): string {
  return notices.length === 0
    ? 'built-in'
    : [...notices]
        .sort((a, b) => a.year - b.year)
        .map((n) => `${n.year}v${n.version}`)
        .join(',');
}

export async function reportService(): Promise<ReportService> {
  const config = await directoryConfig().refresh();
  const stats = statsStore();
  const { doc, tableName } = table();
  return new ReportService({
    stats,
    snapshots: new DynamoSnapshotStore(doc, tableName),
    complaints: stats,
    units: () => config.directory.units.map((u) => ({ id: u.id, name: u.name })),
    calendarVersion: () => calendarVersionOf(config.notices),
    clock: clock(),
  });
}
