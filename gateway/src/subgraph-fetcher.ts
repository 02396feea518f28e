import { GraphQLError } from 'graphql';
import type { GatewayMetrics } from './metrics.ts';

/**
 * The fetch the gateway sends subgraph requests with: Node's fetch (keep-alive connection pool per
 * origin), cut at `timeoutMs`. A subgraph that is down or too slow becomes a coded error naming the
 * service, never its address: the plan's other fetches still answer (partial data).
 */
export function subgraphFetcher(serviceName: string, timeoutMs: number, metrics?: GatewayMetrics) {
  return async (url: string, init?: RequestInit): Promise<Response> => {
    const stop = metrics?.subgraphDuration.startTimer({ subgraph: serviceName });
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
      metrics?.subgraphErrors.inc({
        subgraph: serviceName,
        code: timedOut ? 'SUBGRAPH_TIMEOUT' : 'SUBGRAPH_UNAVAILABLE',
      });
      throw new GraphQLError(
        timedOut
          ? `The ${serviceName} service did not answer within ${timeoutMs} ms`
          : `The ${serviceName} service is unavailable`,
        { extensions: { code: timedOut ? 'SUBGRAPH_TIMEOUT' : 'SUBGRAPH_UNAVAILABLE', serviceName } },
      );
    } finally {
      stop?.();
    }
  };
}
