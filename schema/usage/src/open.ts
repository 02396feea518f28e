import { loadUsageStoreConfig, type UsageStoreConfig } from './config.ts';
import { FileUsageStore } from './file-store.ts';
import type { RecordingUsageStore } from './model.ts';
import { PostgresUsageStore } from './pg-store.ts';

/** The store a parsed configuration names (the PostgreSQL one creates its schema on first use). */
export function createUsageStore(config: UsageStoreConfig): RecordingUsageStore {
  return config.kind === 'postgresql' ? new PostgresUsageStore(config) : new FileUsageStore(config);
}

/** The store the environment names (USAGE_DATABASE_URL or USAGE_FILE); a ConfigError for bad values. */
export function openUsageStore(env: NodeJS.ProcessEnv = process.env): RecordingUsageStore {
  return createUsageStore(loadUsageStoreConfig(env));
}
