/** The admin use cases (`functions/admin`): the runtime directory and the calendar notices (decisions 055, 056). */
import { log } from '#adapters/log.ts';
import { AdminService } from '../admin.ts';
import { complaintService } from './complaints.ts';
import { clock } from './registry.ts';
import { DynamoDirectoryStore } from '#store/directory-store.ts';
import { injectedContainer } from './registry.ts';
import { runtimeConfig } from './runtime-config.ts';
import { tableFromEnv } from './table.ts';

let built: AdminService | undefined;
let builtFor: unknown;

/** Built once per container (again when the local stack or a test injects another container). */
export function adminService(): AdminService {
  const injected = injectedContainer();
  const store = injected ? injected.directoryStore : new DynamoDirectoryStore(tableFromEnv().doc, tableFromEnv().tableName);
  if (built && (injected ? builtFor === store : builtFor === 'env')) return built;
  built = new AdminService({ store, complaints: complaintService(), config: runtimeConfig(), clock: clock(), logger: log });
  builtFor = injected ? store : 'env';
  return built;
}
