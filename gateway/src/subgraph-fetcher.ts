import { GraphQLError } from 'graphql';

/**
 * The fetch the gateway sends subgraph requests with: Node's fetch (keep-alive connection pool per
 * origin), cut at `timeoutMs`. A subgraph that is down or too slow becomes a coded error naming the
 * service, never its address: the plan's other fetches still answer (partial data).
 */
export function subgraphFetcher(serviceName: string, timeoutMs: number) {
  return async (url: string, init?: RequestInit): Promise<Response> => {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
      throw new GraphQLError(
        timedOut
          ? `The ${serviceName} service did not answer within ${timeoutMs} ms`
          : `The ${serviceName} service is unavailable`,
        { extensions: { code: timedOut ? 'SUBGRAPH_TIMEOUT' : 'SUBGRAPH_UNAVAILABLE', serviceName } },
      );
    }
  };
}
