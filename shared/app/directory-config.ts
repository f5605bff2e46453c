/**
 * The directory and routing a function reads, loaded from the table and cached per process for at most a
 * minute (decisions 055, 056), without the work calendar: {@link CachedConfig} is the cache, generic over
 * what a snapshot holds. `runtime-config.ts` builds the full {@link RuntimeConfig} (calendar included) on
 * it; a function that only names units and notice versions (`read`'s drill-down, `reports`) caches a
 * {@link DirectoryConfig} and so bundles neither the holiday files nor the calendar (decision 064).
 */
import type { NoticeVersion } from '#domain/calendar/notice.ts';
import { assembleDirectory } from '#domain/directory-entries.ts';
import type { Routing, UnitDirectory } from '#domain/directory.ts';
import type { StoredDirectory } from './directory-ports.ts';
import type { Clock, DirectorySource } from './ports.ts';

/** The directory part of a function's configuration. */
export interface DirectoryConfig {
  directory: UnitDirectory;
  /** Undefined while the table holds no directory: no routing suggestion. */
  routing: Routing | undefined;
  /** The newest loaded notice of each year. */
  notices: NoticeVersion[];
  /** `table`: the admin-managed directory; `empty`: the table holds none yet (no units, no staff, no routing). */
  source: 'table' | 'empty';
}

/** The directory while the table holds none: no units, nobody to escalate to (decision 056). */
export const EMPTY_DIRECTORY: UnitDirectory = {
  organisation: { name: '', centreName: '', consoleUrl: '', operationsDirectors: [], qualityManagers: [] },
  units: [],
};

/** The longest a function decides on a directory or calendar older than the table's (SPEC: within a minute). */
export const CONFIG_MAX_AGE_MILLIS = 60_000;

/** No directory: what a function holds before its first load, and while the table holds none. */
export function emptyDirectoryConfig(): DirectoryConfig {
  return { directory: EMPTY_DIRECTORY, routing: undefined, notices: [], source: 'empty' };
}

/** The directory from what the table holds (empty while it holds none). */
export function directoryConfigFrom(stored: Pick<StoredDirectory, 'entries' | 'notices'>): DirectoryConfig {
  const assembled = stored.entries ? assembleDirectory(stored.entries) : undefined;
  return {
    directory: assembled?.directory ?? EMPTY_DIRECTORY,
    routing: assembled?.routing,
    notices: stored.notices,
    source: assembled ? 'table' : 'empty',
  };
}

/** A process's cached snapshot of the `DIR` partition, at most `maxAgeMillis` old after a refresh. */
export class CachedConfig<C> {
  private snapshot: C;
  private loadedAt: number | undefined;
  private loading: Promise<C> | undefined;
  private readonly maxAge: number;

  constructor(
    private readonly deps: {
      source: DirectorySource;
      clock: Clock;
      /** What a snapshot holds, from what the table holds. */
      assemble: (stored: StoredDirectory) => C;
      /** The snapshot before the first load. */
      initial: C;
      maxAgeMillis?: number;
    },
  ) {
    this.snapshot = deps.initial;
    this.maxAge = deps.maxAgeMillis ?? CONFIG_MAX_AGE_MILLIS;
  }

  /** The snapshot the last refresh left (no directory before the first). */
  get current(): C {
    return this.snapshot;
  }

  /** Reloads from the table when the snapshot is older than the limit; concurrent callers share one load. */
  async refresh(): Promise<C> {
    const now = this.deps.clock.now().getTime();
    if (this.loadedAt !== undefined && now - this.loadedAt < this.maxAge && now >= this.loadedAt) return this.snapshot;
    this.loading ??= this.deps.source
      .load()
      .then((stored) => {
        this.snapshot = this.deps.assemble(stored);
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
