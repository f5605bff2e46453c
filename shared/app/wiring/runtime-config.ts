/**
 * The runtime directory and calendar of a Lambda (decisions 055, 056): loaded from the table's `DIR`
 * partition, cached for at most 60 s on the process clock; locally, the injected container's cache.
 */
import { DynamoDirectoryStore } from '#store/directory-store.ts';
import { CachedRuntimeConfig } from '../runtime-config.ts';
import { clock, injectedContainer } from './registry.ts';
import { tableFromEnv } from './table.ts';

let built: CachedRuntimeConfig | undefined;
let store: DynamoDirectoryStore | undefined;

/** The stored directory and notices of this function's table. */
export function directoryStore(): DynamoDirectoryStore {
  const injected = injectedContainer();
  if (injected) return injected.directoryStore;
  const { doc, tableName } = tableFromEnv();
  store ??= new DynamoDirectoryStore(doc, tableName);
  return store;
}

/** This process's cached runtime configuration; `refresh()` it before deciding. */
export function runtimeConfig(): CachedRuntimeConfig {
  const injected = injectedContainer();
  if (injected) return injected.config;
  built ??= new CachedRuntimeConfig({ source: directoryStore(), clock: clock() });
  return built;
}
