/**
 * The monthly snapshot (decision 061), by an EventBridge Scheduler schedule every day at 01:00 Asia/Shanghai:
 * on the 26th it closes the statistics month that just ended (26th–25th) into the immutable `SNAP#<period>`
 * item, writes the monthly XLSX to the report bucket and e-mails it to the quality managers; on the other days
 * it makes up a month a failed run left unclosed or unsent, and otherwise writes nothing. Safe to re-run.
 */
import type { SnapshotRunResult } from '#app/report-snapshot.ts';
import { reportSnapshotService } from '#app/wiring/report-snapshot.ts';

export const handler = async (): Promise<SnapshotRunResult> => reportSnapshotService().run();
