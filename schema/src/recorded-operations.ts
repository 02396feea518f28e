import { openUsageStore, type RecordedOperation } from '@measure-graph/schema-usage';

/**
 * The operations the gateway recorded on or after `sinceDay`, from its usage store (PostgreSQL when
 * USAGE_DATABASE_URL is set, the embedded default's file otherwise), read with the same environment
 * as the gateway. A store that does not exist yet holds no operations.
 */
export async function recordedOperations(env: NodeJS.ProcessEnv, sinceDay: string): Promise<RecordedOperation[]> {
  const store = openUsageStore(env);
  try {
    return await store.operations({ sinceDay });
  } finally {
    await store.close();
  }
}
