import { AsyncLocalStorage } from 'node:async_hooks';
import CircuitBreaker from 'opossum';
import { GraphQLError } from 'graphql';
import type { GatewayMetrics } from './metrics.ts';

/**
 * The deadline of the client request being served. The HTTP handler runs each request inside
 * this scope; every subgraph fetch of its query plan is cut at the sooner of the subgraph timeout
 * and the request's deadline, so one request never holds the gateway longer than its deadline.
 */
export const requestDeadline = new AsyncLocalStorage<{ signal: AbortSignal; ms: number }>();

export interface CircuitOptions {
  /** Requests in the rolling window before the breaker may open (opossum's volumeThreshold). */
  volumeThreshold: number;
  /** Share of failed requests in the window, in per cent, above which it opens. */
  errorThresholdPercentage: number;
  /** How long it stays open before one probe request is let through (half-open). */
  resetMs: number;
  /** Length of the rolling window of counts. */
  windowMs: number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/** A subgraph answered 5xx: counted as a failure by the breaker, handed on as the response. */
class ServerError extends Error {
  constructor(readonly response: Response) {
    super(`HTTP ${response.status}`);
  }
}

/** An abort by the client request's deadline: not the subgraph's fault, so not counted against it. */
class DeadlineError extends Error {}

interface Signals {
  signal: AbortSignal;
  ownTimeout: AbortSignal;
  deadline?: AbortSignal;
}

const STATE_VALUE: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

export interface SubgraphFetcher {
  fetch(url: string, init?: RequestInit): Promise<Response>;
  state(): CircuitState;
}

/**
 * The fetch the gateway sends subgraph requests with: Node's fetch (keep-alive connection pool per
 * origin), cut at `timeoutMs` or the request's deadline, behind a circuit breaker (opossum). A
 * subgraph that is down, too slow or whose breaker is open becomes a coded error naming the
 * service, never its address: the plan's other fetches still answer (partial data). While the
 * breaker is open, requests fail at once instead of each waiting for the timeout.
 */
export function subgraphFetcher(
  serviceName: string,
  timeoutMs: number,
  circuit: CircuitOptions,
  metrics?: GatewayMetrics,
): SubgraphFetcher {
  const breaker = new CircuitBreaker(
    async (url: string, init: RequestInit | undefined, signals: Signals) => {
      try {
        const response = await fetch(url, { ...init, signal: signals.signal });
        if (response.status >= 500) throw new ServerError(response);
        return response;
      } catch (err) {
        if (!(err instanceof ServerError) && signals.deadline?.aborted && !signals.ownTimeout.aborted)
          throw new DeadlineError();
        throw err;
      }
    },
    {
      timeout: false, // The fetch's own signal bounds it.
      resetTimeout: circuit.resetMs,
      volumeThreshold: circuit.volumeThreshold,
      errorThresholdPercentage: circuit.errorThresholdPercentage,
      rollingCountTimeout: circuit.windowMs,
      errorFilter: (err: unknown) => err instanceof DeadlineError,
    },
  );
  const state = (): CircuitState => (breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed');
  const report = () => metrics?.circuitState.set({ subgraph: serviceName }, STATE_VALUE[state()]);
  breaker.on('open', report);
  breaker.on('halfOpen', report);
  breaker.on('close', report);
  report();

  const fail = (code: 'SUBGRAPH_UNAVAILABLE' | 'SUBGRAPH_TIMEOUT', message: string) => {
    metrics?.subgraphErrors.inc({ subgraph: serviceName, code });
    return new GraphQLError(message, { extensions: { code, serviceName } });
  };

  return {
    state,
    async fetch(url, init) {
      const deadline = requestDeadline.getStore();
      const ownTimeout = AbortSignal.timeout(timeoutMs);
      const signal = deadline ? AbortSignal.any([ownTimeout, deadline.signal]) : ownTimeout;
      const stop = metrics?.subgraphDuration.startTimer({ subgraph: serviceName });
      try {
        return (await breaker.fire(url, init, { signal, ownTimeout, deadline: deadline?.signal })) as Response;
      } catch (err) {
        if (err instanceof ServerError) return err.response;
        if (CircuitBreaker.isOurError(err as Error)) {
          metrics?.circuitRejections.inc({ subgraph: serviceName });
          throw fail('SUBGRAPH_UNAVAILABLE', `The ${serviceName} service is unavailable (failing; retried shortly)`);
        }
        if (err instanceof DeadlineError) {
          throw fail('SUBGRAPH_TIMEOUT', `The request's deadline of ${deadline?.ms} ms passed`);
        }
        const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
        throw timedOut
          ? fail('SUBGRAPH_TIMEOUT', `The ${serviceName} service did not answer within ${timeoutMs} ms`)
          : fail('SUBGRAPH_UNAVAILABLE', `The ${serviceName} service is unavailable`);
      } finally {
        stop?.();
      }
    },
  };
}
