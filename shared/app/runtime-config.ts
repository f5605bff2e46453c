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
 * from the demo files by the local stack). While it holds none, the directory is {@link EMPTY_DIRECTORY}:
 * intake keeps complaints at the centre without a suggested unit, escalations find no recipients and fail
 * loudly (decision 056) — nothing routes to units that are not the organisation's.
 */
import type { WorkCalendar } from '#domain/calendar/calendar.ts';
import { CN_WORK_CALENDAR } from '#domain/calendar/holidays.ts';
import { calendarWithNotices, type NoticeVersion } from '#domain/calendar/notice.ts';
import { assembleDirectory } from '#domain/directory-entries.ts';
import type { Routing, UnitDirectory } from '#domain/directory.ts';
import type { LifecycleContext } from '#domain/lifecycle.ts';
import type { Complaint } from '#domain/model.ts';
import { SlaPlanner, type DuePoint, type PointPlanner } from '#domain/sla/planner.ts';
import type { StoredDirectory } from './directory-ports.ts';
import type { Clock, DirectorySource } from './ports.ts';

/** What a function decides with. */
export interface RuntimeConfig {
  directory: UnitDirectory;
  /** Undefined while the table holds no directory: no routing suggestion. */
  routing: Routing | undefined;
  /** The office calendar: built-in holiday files plus every loaded State Council notice. */
  calendar: WorkCalendar;
  /** The newest loaded notice of each year. */
  notices: NoticeVersion[];
  /** `table`: the admin-managed directory; `empty`: the table holds none yet (no units, no staff, no routing). */
  source: 'table' | 'empty';
}

/** The directory while the table holds none: no units, nobody to escalate to. */
export const EMPTY_DIRECTORY: UnitDirectory = {
  organisation: { name: '', centreName: '', consoleUrl: '', operationsDirectors: [], qualityManagers: [] },
  units: [],
};

/** The longest a function decides on a directory or calendar older than the table's (SPEC: within a minute). */
export const CONFIG_MAX_AGE_MILLIS = 60_000;

/** No directory and the built-in holiday files: what a function holds before its first load. */
export function emptyConfig(): RuntimeConfig {
  return { directory: EMPTY_DIRECTORY, routing: undefined, calendar: CN_WORK_CALENDAR, notices: [], source: 'empty' };
}

/** The runtime configuration from what the table holds. */
export function configFrom(stored: Pick<StoredDirectory, 'entries' | 'notices'>): RuntimeConfig {
  const base = emptyConfig();
  const assembled = stored.entries ? assembleDirectory(stored.entries) : undefined;
  return {
    directory: assembled?.directory ?? base.directory,
    routing: assembled?.routing,
    calendar: stored.notices.length > 0 ? calendarWithNotices(stored.notices) : base.calendar,
    notices: stored.notices,
    source: assembled ? 'table' : 'empty',
  };
}

/** The process's cached {@link RuntimeConfig}, at most {@link CONFIG_MAX_AGE_MILLIS} old after a refresh. */
export class CachedRuntimeConfig {
  private snapshot: RuntimeConfig;
  private loadedAt: number | undefined;
  private loading: Promise<RuntimeConfig> | undefined;
  private readonly maxAge: number;

  constructor(private readonly deps: { source: DirectorySource; clock: Clock; maxAgeMillis?: number; initial?: RuntimeConfig }) {
    this.snapshot = deps.initial ?? emptyConfig();
    this.maxAge = deps.maxAgeMillis ?? CONFIG_MAX_AGE_MILLIS;
  }

  /** The snapshot the last refresh left (no directory before the first). */
  get current(): RuntimeConfig {
    return this.snapshot;
  }

  /** Reloads from the table when the snapshot is older than the limit; concurrent callers share one load. */
  async refresh(): Promise<RuntimeConfig> {
    const now = this.deps.clock.now().getTime();
    if (this.loadedAt !== undefined && now - this.loadedAt < this.maxAge && now >= this.loadedAt) return this.snapshot;
    this.loading ??= this.deps.source
      .load()
      .then((stored) => {
        this.snapshot = configFrom(stored);
        this.loadedAt = now;
        return this.snapshot;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  /** Forget the snapshot's age: the next refresh reloads (after this process's own admin change). */
  invalidate(): void {
    this.loadedAt = undefined;
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
