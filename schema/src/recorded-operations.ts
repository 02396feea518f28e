import type { RecordedOperation } from '@measure-graph/schema-usage';

/**
 * The operations the gateway recorded on or after `sinceDay`, from its usage store (PostgreSQL when
 * configured, a file for the embedded default), read with the same environment as the gateway.
 */
// wired to openUsageStore by the lead at merge
export async function recordedOperations(env: NodeJS.ProcessEnv, sinceDay: string): Promise<RecordedOperation[]> {
  void env;
  void sinceDay;
  return [];
}
