/**
 * The directory, routing and work calendar a function decides with, loaded from the table and cached
 * per process for at most a minute (decisions 055, 056): an admin's change reaches every function
 * within 60 s without a deploy, and a function reads the `DIR` partition at most once a minute.
 *
 * The lifecycle's context stays synchronous (`decide` is pure): a use case awaits {@link
 * CachedRuntimeConfig.refresh} before it decides, and the live views below ({@link liveLifecycle},
 * {@link LivePlanner}, {@link liveDirectory}) read the snapshot that refresh left in place. The clock is
 * the process clock (a `ManualClock` in tests), so the local stack ages its cache the same way.
 *
 * No function bundles a directory: the table's `DIR` partition is the only one (seeded at deploy time, or
 * from the demo files by the local stack). While it holds none, the directory is `EMPTY_DIRECTORY` (directory-config.ts):
 * intake keeps complaints at the centre without a suggested unit, escalations find no recipients and fail
 * loudly (decision 056) — nothing routes to units that are not the organisation's.
 */
import type { WorkCalendar } from '#domain/calendar/calendar.ts';
import { CN_WORK_CALENDAR } from '#domain/calendar/holidays.ts';
import { calendarWithNotices } from '#domain/calendar/notice.ts';
import type { LifecycleContext } from '#domain/lifecycle.ts';
import type { Complaint } from '#domain/model.ts';
import type { UnitDirectory } from '#domain/directory.ts';
import { SlaPlanner, type DuePoint, type PointPlanner } from '#domain/sla/planner.ts';
import { CachedConfig, directoryConfigFrom, emptyDirectoryConfig, type DirectoryConfig } from './directory-config.ts';

import type { StoredDirectory } from './directory-ports.ts';
import type { Clock, DirectorySource } from './ports.ts';

/** What a function decides with: the directory (`directory-config.ts`) and the work calendar. */
export interface RuntimeConfig extends DirectoryConfig {
  /** The office calendar: built-in holiday files plus every loaded State Council notice. */
  calendar: WorkCalendar;
}

/** No directory and the built-in holiday files: what a function holds before its first load. */
export function emptyConfig(): RuntimeConfig {
  return { ...emptyDirectoryConfig(), calendar: CN_WORK_CALENDAR };
}

/** The runtime configuration from what the table holds. */
export function configFrom(stored: Pick<StoredDirectory, 'entries' | 'notices'>): RuntimeConfig {
  return { ...directoryConfigFrom(stored), calendar: stored.notices.length > 0 ? calendarWithNotices(stored.notices) : CN_WORK_CALENDAR };
}

/** The process's cached {@link RuntimeConfig}, at most `CONFIG_MAX_AGE_MILLIS` old after a refresh. */
export class CachedRuntimeConfig extends CachedConfig<RuntimeConfig> {
  constructor(deps: { source: DirectorySource; clock: Clock; maxAgeMillis?: number; initial?: RuntimeConfig }) {
    super({ ...deps, assemble: configFrom, initial: deps.initial ?? emptyConfig() });
  }
}

/**
 * The SLA planner of the current snapshot: one {@link SlaPlanner} per snapshot (its unit calendars are
 * cached inside it), so a loaded notice or a changed unit takes effect on the next refresh.
 */
export class LivePlanner implements PointPlanner {
  private built: { for: RuntimeConfig; planner: SlaPlanner } | undefined;

  constructor(
    private readonly config: Pick<CachedRuntimeConfig, 'current'>,
    private readonly build: (c: RuntimeConfig) => SlaPlanner = (c) => new SlaPlanner({ directory: c.directory, calendar: c.calendar }),
  ) {}

  /** The planner of the current snapshot. */
  get planner(): SlaPlanner {
    const current = this.config.current;
    if (this.built?.for !== current) this.built = { for: current, planner: this.build(current) };
    return this.built.planner;
  }

  plan(previous: Complaint | undefined, next: Complaint, now: Date): Pick<Complaint, 'deadlines' | 'nextDueAt'> {
    return this.planner.plan(previous, next, now);
  }

  points(complaint: Complaint): DuePoint[] {
    return this.planner.points(complaint);
  }
}

/** A lifecycle context whose directory and routing are the current snapshot's. */
export function liveLifecycle(config: Pick<CachedRuntimeConfig, 'current'>, deadlines: LifecycleContext['deadlines']): LifecycleContext {
  return {
    get directory() {
      return config.current.directory;
    },
    get routing() {
      return config.current.routing;
    },
    deadlines,
  };
}

/** The current snapshot's directory, for the escalation consumer (recipients, names in e-mails). */
export function liveDirectory(config: Pick<CachedRuntimeConfig, 'current'>): UnitDirectory {
  return {
    get organisation() {
      return config.current.directory.organisation;
    },
    get units() {
      return config.current.directory.units;
    },
  };
}
