import type { ApolloGateway } from '@apollo/gateway';
import type { GatewayMetrics } from './metrics.ts';

interface PlanStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, options?: unknown): Promise<void>;
}

/**
 * Counts query-plan cache hits and misses, and keys every plan by the supergraph it was planned
 * on. @apollo/gateway keys plans by document and operation name only and empties the cache when it
 * takes a new supergraph; keyed by the supergraph's hash as well, a plan of the old supergraph can
 * never be served on the new one, even one stored by a request that planned just before a swap.
 * A lookup that spans a swap is a miss. The store is private to @apollo/gateway, so it is wrapped;
 * the metrics test fails if an upgrade moves it, and the gateway itself keeps working without it.
 */
export function wrapPlanCache(gateway: ApolloGateway, metrics: GatewayMetrics, supergraphHash: () => string): boolean {
  const store = (gateway as unknown as { queryPlanStore?: PlanStore }).queryPlanStore;
  if (!store || typeof store.get !== 'function' || typeof store.set !== 'function') return false;
  const lookup = store.get.bind(store);
  const save = store.set.bind(store);
  store.get = async (key) => {
    const hash = supergraphHash();
    const plan = await lookup(`${hash}:${key}`);
    const usable = plan && hash === supergraphHash() ? plan : undefined;
    metrics.queryPlanCache.inc({ result: usable ? 'hit' : 'miss' });
    return usable;
  };
  store.set = (key, value, options) => save(`${supergraphHash()}:${key}`, value, options);
  return true;
}
