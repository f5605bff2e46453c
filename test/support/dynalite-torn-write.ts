/**
 * Preloaded into a child `local/start.ts` (`--import`) by the torn-write restart test: with
 * `DYNALITE_FAULT=kill-between-index-writes`, the process SIGKILLs itself inside dynalite's write of
 * the first SLA mark — after the complaint's old index entries are deleted, before the new ones and
 * the item are put. dynalite does those as separate LevelDB writes (`db/index.js` `updateIndexes`,
 * then the item), so a kill -9 there is a real window of the local stack, not of DynamoDB.
 */
import { createRequire } from 'node:module';

type Cb = (err?: unknown) => void;
type Action = { index: string; key: string; item?: unknown };
interface IndexDb {
  put(key: string, item: unknown, cb: Cb): void;
  del(key: string, cb: Cb): void;
}
interface Store {
  getIndexDb(type: string, table: string, index: string): IndexDb;
}
interface DynaliteDb {
  updateIndexes(store: Store, table: Record<string, unknown>, existing: unknown, item: unknown, cb: Cb): void;
  getIndexActions(indexes: unknown[], existing: unknown, item: unknown, table: unknown): { puts: Action[]; deletes: Action[] };
}

if (process.env['DYNALITE_FAULT'] === 'kill-between-index-writes') {
  const db = createRequire(import.meta.url)('dynalite/db') as DynaliteDb;
  const original = db.updateIndexes;
  db.updateIndexes = (store, table, existing, item, cb) => {
    const marks = (x: unknown) => JSON.stringify(x ?? null).includes('deadline_warned');
    if (!existing || !item || marks(existing) || !marks(item)) return original(store, table, existing, item, cb);
    const indexes = (table['GlobalSecondaryIndexes'] ?? []) as unknown[];
    const { deletes } = db.getIndexActions(indexes, existing, item, table);
    let left = deletes.length;
    const die = () => process.kill(process.pid, 'SIGKILL');
    if (left === 0) return die();
    for (const d of deletes)
      store.getIndexDb('Global', String(table['TableName']), d.index).del(d.key, () => {
        if (--left === 0) die();
      });
  };
}
