/**
 * The runtime directory without the calendar (`directory-config.ts`), for a function that only names units
 * and notice versions: loaded from the table's `DIR` partition and cached for at most 60 s like
 * `runtimeConfig()`; locally, the injected container's cache (a superset: it holds the calendar too).
 */
import { DynamoDirectoryReader } from '#store/directory-reader.ts';
import { CachedConfig, directoryConfigFrom, emptyDirectoryConfig, type DirectoryConfig } from '../directory-config.ts';
import { clock, injectedContainer } from './registry.ts';
import { tableFromEnv } from './table.ts';

let built: CachedConfig<DirectoryConfig> | undefined;

/** This process's cached directory; `refresh()` it before reading. */
export function directoryConfig(): Pick<CachedConfig<DirectoryConfig>, 'refresh'> {
  const injected = injectedContainer();
  if (injected) return injected.config;
  const { doc, tableName } = tableFromEnv();
  built ??= new CachedConfig({
    source: new DynamoDirectoryReader(doc, tableName),
    clock: clock(),
    assemble: directoryConfigFrom,
    initial: emptyDirectoryConfig(),
  });
  return built;
}
