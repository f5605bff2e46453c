/**
 * The archive run (decision 065), by an EventBridge Scheduler schedule (monthly on the 1st, 02:00
 * Asia/Shanghai: the February run exports the year just ended, the others retry and minimise).
 * Exports every past year's ended cases not yet archived to the archive bucket, then minimises the
 * personal data of archived cases past their retention. Safe to re-run; `{ "year": 2026 }` limits the export.
 */
import type { ArchiveResult } from '#app/archive.ts';
import { archiveService } from '#app/wiring/archive.ts';

export interface ArchiveEvent {
  year?: number;
}

export const handler = async (event: ArchiveEvent = {}): Promise<ArchiveResult> =>
  archiveService().run(typeof event.year === 'number' && Number.isInteger(event.year) ? { year: event.year } : {});
