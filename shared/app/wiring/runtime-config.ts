/**
 * The runtime directory and calendar of a Lambda (decisions 055, 056): loaded from the table's `DIR`
 * partition, cached for at most 60 s on the process clock; locally, the injected container's cache.
 */
import { DynamoDirectoryReader } from '#store/directory-reader.ts';
import { CachedRuntimeConfig } from '../runtime-config.ts';
import { clock, injectedContainer } from './registry.ts';
import { tableFromEnv } from './table.ts';

let built: CachedRuntimeConfig | undefined;

/** This process's cached runtime configuration; `refresh()` it before deciding. */
export function runtimeConfig(): CachedRuntimeConfig {
  const injected = injectedContainer();
  if (injected) return injected.config;
  const { doc, tableName } = tableFromEnv();
  built ??= new CachedRuntimeConfig({ source: new DynamoDirectoryReader(doc, tableName), clock: clock() });
  return built;
}
