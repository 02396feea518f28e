import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The gateway's Prometheus metrics, in a registry of its own (several gateways in one process,
 * as in tests, never share counters): requests and their latency by operation name, errors by
 * code, subgraph fetch latency, errors and circuit state by subgraph, query-plan cache hits and
 * misses. Every label has a bounded set of values (see operationLabeler for operation names).
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({
      name: 'graphql_requests_total',
      help: 'GraphQL requests by operation name and HTTP status',
      labelNames: ['operation', 'status'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'graphql_request_duration_seconds',
      help: 'GraphQL request latency by operation name',
      labelNames: ['operation'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'graphql_errors_total',
      help: 'Errors returned to clients by code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    subgraphDuration: new Histogram({
      name: 'subgraph_fetch_duration_seconds',
      help: 'Latency of the requests the gateway sends to each subgraph',
      labelNames: ['subgraph'] as const,
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    subgraphErrors: new Counter({
      name: 'subgraph_fetch_errors_total',
      help: 'Subgraph requests that failed, by subgraph and code (SUBGRAPH_UNAVAILABLE, SUBGRAPH_TIMEOUT)',
      labelNames: ['subgraph', 'code'] as const,
      registers: [registry],
    }),
    circuitState: new Gauge({
      name: 'subgraph_circuit_state',
      help: 'Circuit breaker of each subgraph: 0 closed, 1 half-open (probing), 2 open (failing fast)',
      labelNames: ['subgraph'] as const,
      registers: [registry],
    }),
    circuitRejections: new Counter({
      name: 'subgraph_circuit_rejections_total',
      help: 'Subgraph requests refused at once because the breaker was open',
      labelNames: ['subgraph'] as const,
      registers: [registry],
    }),
    queryPlanCache: new Counter({
      name: 'query_plan_cache_total',
      help: 'Query-plan cache lookups by result (hit, miss): a low hit rate means clients send ever-new documents',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
  };
}

export type GatewayMetrics = ReturnType<typeof createMetrics>;

/** Label of requests whose operation name is neither registered nor among the first ones seen. */
export const OTHER_OPERATIONS = '__other';

/**
 * The `operation` label of a request. Client-chosen names would make a series each (5,000 new names
 * grew a scrape to 17 MB): registered operations (the safelist manifest) keep their names, the
 * first `maxOthers` unregistered ones too, anything after that is counted as `__other`.
 */
export function operationLabeler(registered: Iterable<string>, maxOthers: number) {
  const known = new Set(registered);
  const others = new Set<string>();
  return (name: string | null | undefined): string => {
    if (!name) return 'anonymous';
    if (known.has(name) || others.has(name)) return name;
    if (others.size < maxOthers && name.length <= 100) {
      others.add(name);
      return name;
    }
    return OTHER_OPERATIONS;
  };
}
