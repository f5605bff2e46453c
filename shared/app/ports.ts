/**
 * The small interfaces the use cases talk to. `shared/store` and `shared/adapters/{aws,local}`
 * implement them; tests may inject their own.
 */
import type { ListItemView } from '#domain/access.ts';
import type { Transition } from '#domain/lifecycle.ts';
import type { Complaint, Severity, Status } from '#domain/model.ts';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export interface ListSpec {
  /** Exactly one partition is read: a unit's worklist or a status list. */
  partition: { kind: 'unit'; unitId: string; status?: Status } | { kind: 'status'; status: Status };
  severity?: Severity;
  /** Hide complaints about this staff member (seed 001 art. 15). */
  excludeSubject?: string;
  limit: number;
  cursor?: string;
}

export interface ComplaintStore {
  /** Conditional put; when the id exists already, returns the stored complaint instead. */
  create(complaint: Complaint): Promise<{ created: boolean; complaint: Complaint }>;
  get(id: string): Promise<Complaint | undefined>;
  /** One conditional UpdateItem guarded by `expectedVersion`; throws Conflict when it moved on. */
  save(transition: Transition, expectedVersion: number): Promise<void>;
  findByTrackingCode(code: string): Promise<Complaint | undefined>;
  /** The complaints of one (canonical) phone, newest first, from the index projection. */
  findByPhone(phone: string, limit?: number): Promise<{ id: string; status: Status; waybillNo?: string }[]>;
  list(spec: ListSpec): Promise<{ items: ListItemView[]; cursor?: string }>;
  /** Open complaints whose next warn/due instant is at or before `instant`, across all shards. */
  dueBefore(instant: string, limit: number): Promise<{ id: string; nextDueAt: string }[]>;
}
