import type { ApolloGateway } from '@apollo/gateway';
import type { GatewayMetrics } from './metrics.ts';

interface PlanStore {
  get(key: string): Promise<unknown>;
}

/**
 * Counts query-plan cache hits and misses. @apollo/gateway keeps its plans in a private
 * `queryPlanStore` and reports nothing about it, so its lookup is wrapped; the metrics test fails if
 * an upgrade moves the store, and the gateway itself keeps working without the counter.
 */
export function countPlanCacheLookups(gateway: ApolloGateway, metrics: GatewayMetrics): boolean {
  const store = (gateway as unknown as { queryPlanStore?: PlanStore }).queryPlanStore;
  if (!store || typeof store.get !== 'function') return false;
  const lookup = store.get.bind(store);
  store.get = async (key) => {
    const plan = await lookup(key);
    metrics.queryPlanCache.inc({ result: plan ? 'hit' : 'miss' });
    return plan;
  };
  return true;
}
