import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { fetchFailurePaths, PartialDataSource } from './fetch-failures.ts';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { maskError } from '@measure-graph/errors';
import { createLogger, describeError } from '@measure-graph/subgraph-platform/log';
import { openApqStore } from './apq-cache.ts';
import type { GatewayConfig } from './config.ts';
import { createApiKeyAuthenticator } from './api-keys.ts';
import { createHttpHandler, GRAPHQL_PATH, type RequestContext } from './http.ts';
import { createTokenVerifier } from '@measure-graph/auth';
import { injectTraceContext } from '@measure-graph/subgraph-platform/tracing';
import { credentialRefusalCode, SUBGRAPH_CREDENTIAL_HEADER } from '@measure-graph/subgraph-platform/credential';
import { GraphQLError } from 'graphql';
import { createMetrics, operationLabeler, type GatewayMetrics } from './metrics.ts';
import { operationGuard } from './operation-guard.ts';
import { wrapPlanCache } from './plan-cache.ts';
import { createSupergraphSource, subgraphUrlOf, supergraphMetrics } from './supergraph-source.ts';
import { subgraphFetcher, type CircuitState, type SubgraphFetcher } from './subgraph-fetcher.ts';
import { startUsageRecording } from './usage.ts';

export { loadGatewayConfig, subgraphsOf, subgraphUrlVar, type GatewayConfig } from './config.ts';
export { supergraphHash } from './supergraph-source.ts';

export interface RunningGateway {
  /** Full URL of the GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  /** The supergraph being served: its hash, and when it was taken. */
  supergraph(): { hash: string; loadedAt: Date };
  stop(): Promise<void>;
}

const logger = createLogger('gateway');

type GatewayContext = Partial<RequestContext>;

/** Metrics and one access-log line per request: operation, duration, error codes, request id. */
function observe(
  metrics: GatewayMetrics,
  label: (name: string | null | undefined) => string,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, response, errors }) {
          const operation = label(operationName);
          const seconds = (performance.now() - started) / 1000;
          const status = String(response.http.status ?? 200);
          metrics.requests.inc({ operation, status });
          metrics.duration.observe({ operation }, seconds);
          const codes = (errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          for (const code of codes) metrics.errors.inc({ code });
          // Client errors are logged here, at info with their code; only unexpected ones (formatError) with a stack.
          logger.info('request', {
            requestId: contextValue.requestId,
            subject: contextValue.subject,
            operation: operationName?.slice(0, 100) ?? 'anonymous',
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
 * Asks every subgraph its `_ready` field (answered only when its database answers), in parallel,
 * with the gateway's credential (a subgraph that refuses it is `refused`: SUBGRAPH_SECRET differs).
 * The report names subgraphs and their state, never their addresses.
 */
async function checkSubgraphs(urls: Record<string, string>, timeoutMs: number, credential?: string) {
  const states = await Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(credential ? { [SUBGRAPH_CREDENTIAL_HEADER]: credential } : {}),
          },
          body: JSON.stringify({ query: '{ _ready }' }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (res.status === 401 || res.status === 403) {
          await res.body?.cancel();
          return [name, 'refused'] as const;
        }
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
 * Starts the federation gateway over the composed supergraph file (or URL). The supergraph is
 * composed and checked in CI, so the gateway never asks subgraphs for their schema; it takes a new
 * composed supergraph live when its file or URL changes (supergraph-source.ts). Only the subgraph
 * URLs come from configuration.
 */
export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  // @apollo/gateway otherwise reports usage metrics to Apollo and probes cloud metadata endpoints
  // (AWS, GCP, Azure) from every process: a government graph must not phone home.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const metrics = createMetrics();
  const fetchers = new Map<string, SubgraphFetcher>();
  const checkTimeoutMs = Math.min(config.subgraphTimeoutMs, 2_000);
  const source = createSupergraphSource({
    config: config.supergraphSource,
    initialSdl: config.supergraphSdl,
    metrics: supergraphMetrics(metrics.registry),
    logger,
    healthCheck: (urls) => checkSubgraphs(urls, checkTimeoutMs, config.subgraphSecret),
  });
  const gateway = new ApolloGateway({
    supergraphSdl: source.hook,
    buildService: ({ name, url }) =>
      new PartialDataSource<GatewayContext>({
        // A supergraph is refused before it gets here when a subgraph has no URL.
        url: subgraphUrlOf(config.supergraphSource, name, url) ?? url ?? '',
        fetcher: (() => {
          const fetcher = subgraphFetcher(name, config.subgraphTimeoutMs, config.circuit, metrics);
          fetchers.set(name, fetcher);
          return fetcher.fetch as never;
        })(),
        // The request id travels to every subgraph, whose logs carry it; the verified token and the
        // stated purpose too, since every subgraph checks the caller again.
        willSendRequest: ({ request, context }) => {
          const headers = request.http?.headers;
          if (context.requestId) headers?.set('x-request-id', context.requestId);
          if (context.authorization) headers?.set('authorization', context.authorization);
          if (context.purpose) headers?.set('x-purpose', context.purpose);
          // Subgraphs answer only the gateway: its own credential, beside the caller's token.
          if (config.subgraphSecret) headers?.set(SUBGRAPH_CREDENTIAL_HEADER, config.subgraphSecret);
          // Joins the subgraph's span to this fetch's span when tracing is on (a no-op otherwise).
          if (headers) injectTraceContext((key, value) => headers.set(key, value));
        },
        // A subgraph refusing the gateway's own credential is a deployment fault (SUBGRAPH_SECRET
        // differs), not the caller's: logged, and the caller sees the service as unavailable.
        async errorFromResponse(response) {
          const refusal = await credentialRefusalCode(response);
          if (!refusal) return RemoteGraphQLDataSource.prototype.errorFromResponse.call(this, response);
          logger.error('subgraph refused the gateway credential: is SUBGRAPH_SECRET the same on both?', {
            subgraph: name,
            code: refusal,
          });
          return new GraphQLError(`The ${name} service is unavailable`, {
            extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: name },
          });
        },
      }),
  });
  // Before anything else starts: in production an unreachable Redis refuses the start.
  const apqStore = config.apq.redisUrl
    ? await openApqStore({ ...config.apq, redisUrl: config.apq.redisUrl }, config.production, logger)
    : null;
  const usage = config.usage.enabled ? startUsageRecording(config.usage) : null;
  if (!wrapPlanCache(gateway, metrics, () => source.active().hash))
    logger.warn('query-plan cache metric unavailable in this @apollo/gateway');
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours: Apollo's own signal handlers would stop servers in the wrong order and re-raise the signal.
    stopOnTerminationSignals: false,
    // The gateway's own HTTP handler serves the offline IDE instead of Apollo's CDN landing page.
    // Parsing stops at the token limit on every path, persisted queries sent by hash included.
    parseOptions: { maxTokens: config.limits.maxTokens },
    // Automatic persisted queries: in Redis when replicas share it (REDIS_URL), otherwise in this
    // process's memory. Apollo's CSRF prevention stays on (its default) for every other request.
    persistedQueries: { ttl: config.apq.ttlSeconds, ...(apqStore ? { cache: apqStore.cache } : {}) },
    csrfPrevention: true,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      operationGuard(config.limits),
      fetchFailurePaths(),
      observe(metrics, operationLabeler(config.registeredOperations, config.metricsMaxOperations)),
      ...(usage ? [usage.plugin] : []),
    ],
    formatError: (formatted, original) =>
      maskError(formatted, original, (err) => logger.error('unexpected error', describeError(err))),
  });
  // A start that fails after Redis was opened closes it, or its reconnects would keep the process alive.
  const closeApqOnFailure = async (err: unknown): Promise<never> => {
    await apqStore?.close();
    throw err;
  };
  await apollo.start().catch(closeApqOnFailure);
  const apiKeys = createApiKeyAuthenticator(config.apiKeys, config.auth);
  const server = http.createServer(
    createHttpHandler(apollo, {
      ide: config.ide,
      maxBodyBytes: config.maxBodyBytes,
      limits: config.limits,
      ready: async () => {
        const active = source.active();
        const report = await checkSubgraphs(active.subgraphUrls, checkTimeoutMs, config.subgraphSecret);
        const circuits: Record<string, CircuitState> = {};
        for (const [name, fetcher] of fetchers) if (name in active.subgraphUrls) circuits[name] = fetcher.state();
        // A subgraph whose breaker is open is failing fast: the graph is not ready while it is.
        const ready = report.ready && Object.values(circuits).every((state) => state !== 'open');
        const supergraph = { hash: active.hash, loadedAt: active.loadedAt.toISOString() };
        return { ...report, ready, circuits, supergraph };
      },
      metrics: () => metrics.registry.metrics(),
      onRefused: (code, requestId) => {
        metrics.errors.inc({ code });
        // A client error: info with its code, never a stack.
        logger.info('request refused', { requestId, code });
      },
      safelist: config.safelist,
      // Tokens of the gateway's own issuer are for the subgraphs: a client presenting one is refused.
      authenticate: createTokenVerifier({ ...config.auth, gateway: undefined }),
      apiKeys,
      requestDeadlineMs: config.requestDeadlineMs,
      cors: config.cors,
      persistedDocuments: config.persistedDocuments,
      tables: config.tables,
    }),
  );
  // Bounds on slow clients: all headers within 10 s, the whole request (body included) within 30 s.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  }).catch(closeApqOnFailure);
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}${GRAPHQL_PATH}`;
  logger.info('gateway ready', {
    url,
    ide: config.ide,
    subgraphs: source.active().subgraphUrls,
    supergraph: source.active().hash,
    usage: usage ? usage.location : 'off',
    persistedDocuments: config.persistedDocuments.store.list().length,
    apq: apqStore ? 'redis' : 'memory',
    apiKeys: apiKeys ? 'on' : 'off',
  });
  if (config.auth.dev) {
    logger.warn(
      'development signing key in use: tokens of `npm run token` are accepted (set AUTH_JWKS_URL in production)',
    );
  }
  return {
    url,
    supergraph: () => ({ hash: source.active().hash, loadedAt: source.active().loadedAt }),
    async stop() {
      // Stop accepting connections and let in-flight requests finish for the grace period; then
      // close whatever is left (a client still sending its body, a request still waiting) and stop.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Keep-alive connections become idle as their requests finish: close them as they do.
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'grace over'>((resolve) => {
        timer = setTimeout(() => resolve('grace over'), config.shutdownGraceMs);
      });
      if ((await Promise.race([closed, graceOver])) === 'grace over') {
        logger.warn('shutdown grace period over: closing the remaining connections', {
          graceMs: config.shutdownGraceMs,
        });
        server.closeAllConnections();
        await closed;
      }
      clearTimeout(timer);
      clearInterval(sweep);
      await apollo.stop();
      // After the last request: what they used is written before the process ends.
      await usage?.stop();
      await apqStore?.close();
      await apiKeys?.close();
    },
  };
}
