import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { maskError } from '@measure-graph/subgraph-kit/errors';
import { createLogger, describeError } from '@measure-graph/subgraph-kit/log';
import type { GatewayConfig } from './config.ts';
import { createHttpHandler, GRAPHQL_PATH, type RequestContext } from './http.ts';
import { createTokenVerifier } from '@measure-graph/subgraph-kit/auth';
import { injectTraceContext } from '@measure-graph/subgraph-kit/tracing';
import { createMetrics, type GatewayMetrics } from './metrics.ts';
import { countPlanCacheLookups } from './plan-cache.ts';
import { subgraphFetcher } from './subgraph-fetcher.ts';

export { loadGatewayConfig, subgraphsOf, subgraphUrlVar, type GatewayConfig } from './config.ts';

export interface RunningGateway {
  /** Full URL of the GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  stop(): Promise<void>;
}

const logger = createLogger('gateway');

type GatewayContext = Partial<RequestContext>;

/** Metrics and one access-log line per request: operation, duration, error codes, request id. */
function observe(metrics: GatewayMetrics): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, response, errors }) {
          const operation = operationName ?? 'anonymous';
          const seconds = (performance.now() - started) / 1000;
          const status = String(response.http.status ?? 200);
          metrics.requests.inc({ operation, status });
          metrics.duration.observe({ operation }, seconds);
          const codes = (errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          for (const code of codes) metrics.errors.inc({ code });
          logger.info('request', {
            requestId: contextValue.requestId,
            subject: contextValue.subject,
            operation,
            status,
            ms: Math.round(seconds * 1000),
            errors: codes,
          });
        },
      };
    },
  };
}

/**
 * Asks every subgraph its `_ready` field (answered only when its database answers), in parallel.
 * The report names subgraphs and their state, never their addresses.
 */
async function checkSubgraphs(urls: Record<string, string>, timeoutMs: number) {
  const states = await Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ _ready }' }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const body = (await res.json()) as { data?: { _ready?: boolean } };
        return [name, body.data?._ready === true ? 'ok' : 'error'] as const;
      } catch (err) {
        return [name, (err as Error).name === 'TimeoutError' ? 'timeout' : 'unavailable'] as const;
      }
    }),
  );
  return { ready: states.every(([, state]) => state === 'ok'), subgraphs: Object.fromEntries(states) };
}

/**
 * Starts the federation gateway over the composed supergraph file. The supergraph is static
 * (composed and checked in CI), so the gateway never polls subgraphs for their schema; only the
 * subgraph URLs come from configuration.
 */
export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  // @apollo/gateway otherwise reports usage metrics to Apollo and probes cloud metadata endpoints
  // (AWS, GCP, Azure) from every process: a government graph must not phone home.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const metrics = createMetrics();
  const gateway = new ApolloGateway({
    supergraphSdl: config.supergraphSdl,
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        url: config.subgraphUrls[name] ?? url,
        fetcher: subgraphFetcher(name, config.subgraphTimeoutMs, metrics) as never,
        // The request id travels to every subgraph, whose logs carry it; the verified token and the
        // stated purpose too, since every subgraph checks the caller again.
        willSendRequest: ({ request, context }) => {
          const headers = request.http?.headers;
          if (context.requestId) headers?.set('x-request-id', context.requestId);
          if (context.authorization) headers?.set('authorization', context.authorization);
          if (context.purpose) headers?.set('x-purpose', context.purpose);
          // Joins the subgraph's span to this fetch's span when tracing is on (a no-op otherwise).
          if (headers) injectTraceContext((key, value) => headers.set(key, value));
        },
      }),
  });
  if (!countPlanCacheLookups(gateway, metrics))
    logger.warn('query-plan cache metric unavailable in this @apollo/gateway');
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours: Apollo's own signal handlers would stop servers in the wrong order and re-raise the signal.
    stopOnTerminationSignals: false,
    // The gateway's own HTTP handler serves the offline IDE instead of Apollo's CDN landing page.
    plugins: [ApolloServerPluginLandingPageDisabled(), observe(metrics)],
    formatError: (formatted, original) =>
      maskError(formatted, original, (err) => logger.error('unexpected error', describeError(err))),
  });
  await apollo.start();
  const server = http.createServer(
    createHttpHandler(apollo, {
      ide: config.ide,
      maxBodyBytes: config.maxBodyBytes,
      limits: config.limits,
      ready: () => checkSubgraphs(config.subgraphUrls, Math.min(config.subgraphTimeoutMs, 2_000)),
      metrics: () => metrics.registry.metrics(),
      onRefused: (code) => metrics.errors.inc({ code }),
      safelist: config.safelist,
      authenticate: createTokenVerifier(config.auth),
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}${GRAPHQL_PATH}`;
  logger.info('gateway ready', { url, ide: config.ide, subgraphs: config.subgraphUrls });
  if (config.auth.dev) {
    logger.warn(
      'development signing key in use: tokens of `npm run token` are accepted (set AUTH_JWKS_URL in production)',
    );
  }
  return {
    url,
    async stop() {
      // Stop accepting connections, let in-flight requests finish, then stop Apollo.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await apollo.stop();
    },
  };
}
