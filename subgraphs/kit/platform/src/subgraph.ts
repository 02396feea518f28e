import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { resolverMapProblems, type ResolverMap } from './resolver-map.ts';
import { createDataSource, openAndMigrate } from '@measure-graph/db';
import { GraphQLError, parse, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import { parseSdlParts, scopeDirectivePart, type SdlPart } from './sdl-parts.ts';
import { scalarResolvers, scalarsSdlPart } from './scalars.ts';
import type { DataSource, EntitySchema } from 'typeorm';
import {
  AuthError,
  createTokenVerifier,
  type AuthConfig,
  enforceScopes,
  purposeOf,
  type CallerContext,
} from '@measure-graph/auth';
import { isClientError, maskError } from '@measure-graph/errors';
import { subgraphTracingPlugin } from './tracing.ts';
import { createCredentialCheck } from './credential.ts';
import { createSubgraphHttpHandler, DEFAULT_SUBGRAPH_LIMITS, type SubgraphHttpLimits } from './subgraph-http.ts';
import { createLogger, describeError, type Logger } from './log.ts';
import { DEFAULT_DOMAIN_TIMEOUT_MS, domainCallers, type DomainCaller } from './domain-caller.ts';
import type { DomainName } from './domains.ts';
import { DEFAULT_REGISTRY_TIMEOUT_MS, registryPartyDirectories, type PartyDirectory } from './party-directory.ts';

/** Per-request context: a fresh loader set, so batching and caching never leak across requests. */
export interface SubgraphContext<L> extends CallerContext {
  loaders: L;
  /** Runs one statement on the subgraph's database (readiness). */
  ping?: () => Promise<unknown>;
  /** The gateway's request id (x-request-id), for the logs. */
  requestId?: string;
  /**
   * The registry's organisations and persons for this request's commands (subgraphs with
   * `usesRegistry`), calling the registry as this request's caller.
   */
  parties?: PartyDirectory;
  /**
   * The domain subgraphs' internal fields for this request (subgraphs with `callsDomains`), called
   * as this request's caller.
   */
  domains?: DomainCaller;
}

/**
 * A root field every subgraph has for the gateway's /ready: it answers only when the subgraph's
 * database does. Shared and inaccessible, so clients of the supergraph never see it.
 */
const READINESS_SDL = parse(`
  extend type Query {
    "Readiness of this subgraph and its database (gateway /ready only)."
    _ready: Boolean! @shareable @inaccessible
  }
`);
const readinessResolvers = {
  Query: {
    _ready: async (_: unknown, __: unknown, ctx: { ping?: () => Promise<unknown> }) => {
      await ctx.ping?.();
      return true;
    },
  },
};

/**
 * Everything that makes one subgraph; `index.ts` of each subgraph only adds environment and port.
 * `S`: settings only this subgraph has (e.g. the registry's access-log key), see readSettings.
 */
export interface SubgraphDefinition<L, S = unknown> {
  /** Service name as used in the supergraph, e.g. `social-economy`. */
  name: string;
  /** Postgres schema owned by this subgraph. */
  schema: string;
  /** Port it listens on when deployed alone; also the URL written into the composed supergraph. */
  defaultPort: number;
  typeDefs: DocumentNode;
  /**
   * The parts typeDefs was parsed from (loadSdl, parseSdlParts), so that composition errors and
   * the schema check name the file and line of a node.
   */
  sdlParts?: readonly SdlPart[];
  resolvers: ResolverMap;
  // TypeORM migration classes, applied in order.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  entities?: EntitySchema[];
  /**
   * Static reference data the runtime needs to answer at all and that is no department's data nor
   * any report's figure (the provinces, the working days of the Belgian calendar, inspection's
   * control domains): idempotent (an upsert), run after the migrations on every start, production
   * included. The catalogue, norms, card rows and norm index are data: the import tool loads them
   * (measures.jsonl, docs/data-format.md), the generator's demo seed writes the published report's.
   * A subgraph seeds nothing else and never reads the report (a test of db/generate checks).
   */
  seedReference?: (ds: DataSource) => Promise<void>;
  /**
   * Reads this subgraph's own settings from the environment, beside the shared ones (problems go
   * to `problems`, reported together); the result reaches createLoaders.
   */
  readSettings?: (env: NodeJS.ProcessEnv, problems: string[]) => S | undefined;
  createLoaders(ds: DataSource, settings?: S): L;
  /**
   * Its commands check organisations and persons in the registry (ctx.parties): it needs the
   * registry's URL to start (REGISTRY_URL when run alone).
   */
  usesRegistry?: boolean;
  /**
   * It calls the domain subgraphs' internal fields (the registry's allDossiers): it needs their URLs
   * to start (<DOMAIN>_URL when run alone).
   */
  callsDomains?: boolean;
}

/**
 * A subgraph definition whatever its loaders; code that only starts subgraphs (the stack, the
 * composition script) never touches the loader types, which differ per subgraph.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySubgraphDefinition = SubgraphDefinition<any>;

/**
 * A subgraph's typeDefs from its SDL parts (files, filled templates, generated text), after the
 * @scope directive and the scalars (Date, DateTime, Decimal, Share) every subgraph may use, with the parts kept for locating its nodes.
 */
export function loadSdl(...parts: SdlPart[]): Pick<SubgraphDefinition<unknown>, 'typeDefs' | 'sdlParts'> {
  const sdlParts = [scopeDirectivePart(), scalarsSdlPart(parts), ...parts];
  return { typeDefs: parseSdlParts(sdlParts), sdlParts };
}

/** The resolvers of the scalars a subgraph's SDL declares (loadSdl declares only those it uses). */
const scalarResolversOf = (typeDefs: DocumentNode) =>
  Object.fromEntries(
    Object.entries(scalarResolvers).filter(([name]) =>
      typeDefs.definitions.some((d) => d.kind === 'ScalarTypeDefinition' && d.name.value === name),
    ),
  );

/**
 * The executable schema of a subgraph with every @scope checked; `guarded` lists the checked fields
 * (`Type.field` -> scope) for the access-policy test.
 */
export function buildGuardedSchema<L>(def: SubgraphDefinition<L>) {
  const schema = buildSubgraphSchema([
    // Typed per subgraph by its generated resolver types; @apollo/subgraph's own (unexported) type
    // knows no `__isTypeOf` or reference resolvers of interfaces, which it accepts at run time.
    { typeDefs: def.typeDefs, resolvers: { ...scalarResolversOf(def.typeDefs), ...def.resolvers } as never },
    { typeDefs: READINESS_SDL, resolvers: readinessResolvers as never },
  ]);
  // A resolver the schema has no place for is a bug (e.g. a field renamed in the SDL only): refused
  // here, so no subgraph serves with it and every test that builds the subgraph fails.
  const problems = resolverMapProblems(schema, def.resolvers);
  if (problems.length > 0) {
    throw new Error(`${def.name}: resolvers the schema does not have:\n  ${problems.join('\n  ')}`);
  }
  return { schema, guarded: enforceScopes(schema) };
}

export interface SubgraphServerOptions {
  /** Answer introspection queries (default true; off in production: the gateway never introspects). */
  introspection?: boolean;
  /** The parser stops at this many tokens (default: the HTTP limit's). */
  maxTokens?: number;
}

/** Builds the Apollo Server of a subgraph over an open DataSource. */
export function createSubgraphServer<L>(
  def: SubgraphDefinition<L>,
  logger: Logger = createLogger(def.name),
  options: SubgraphServerOptions = {},
): ApolloServer<SubgraphContext<L>> {
  const { schema } = buildGuardedSchema(def);
  return new ApolloServer<SubgraphContext<L>>({
    schema,
    introspection: options.introspection ?? true,
    parseOptions: { maxTokens: options.maxTokens ?? DEFAULT_SUBGRAPH_LIMITS.maxTokens },
    // The gateway sends whole documents; a hash alone would skip the document limits.
    persistedQueries: false,
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours: Apollo's own signal handlers would stop servers in the wrong order and re-raise the signal.
    stopOnTerminationSignals: false,
    // Inline traces only feed Apollo's hosted studio, which this deployment does not use.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      scalarInputStatusPlugin as never,
      subgraphTracingPlugin(def.name) as never,
      {
        // Unexpected errors are logged here, with the request id the gateway passed, and masked below.
        async requestDidStart() {
          return {
            async didEncounterErrors({ contextValue, errors }) {
              for (const err of errors) {
                if (isClientError(err)) continue;
                logger.error('unexpected error', {
                  requestId: contextValue.requestId,
                  ...describeError(err.originalError ?? err),
                });
              }
            },
          };
        },
      },
    ],
    formatError: (formatted, original) => maskError(scalarInputError(formatted, original), original, () => {}),
  });
}

/**
 * A scalar's parseLiteral/parseValue refuses a bad day, time or amount with BAD_USER_INPUT
 * (scalars.ts); Apollo Server reports a refused literal as GRAPHQL_VALIDATION_FAILED and answers
 * both with HTTP 400, which the gateway takes for a failed fetch (an internal error for the client).
 * The error keeps the scalar's code here and the response is a 200 (scalarInputStatusPlugin), so the
 * client gets BAD_USER_INPUT as for any other bad input.
 */
function scalarInputError(formatted: GraphQLFormattedError, original: unknown): GraphQLFormattedError {
  const cause = (original as { originalError?: { extensions?: Record<string, unknown> } } | null)?.originalError;
  if (cause?.extensions?.code !== 'BAD_USER_INPUT') return formatted;
  const field = refusedVariablePath(formatted.message);
  return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT', ...(field ? { field } : {}) } };
}

/**
 * Where in the variables graphql-js found the refused value (`filter.receivedFrom`), from its
 * message `Variable "$filter" got invalid value "..." at "filter.receivedFrom"; ...`: the `field`
 * every other BAD_USER_INPUT of the graph carries. A mutation's `input` is left out, as the
 * commands name their input's fields (`startsOn`, not `input.startsOn`). Null for a literal.
 */
export function refusedVariablePath(message: string): string | null {
  const variable = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)" got invalid value /.exec(message);
  if (!variable) return null;
  const at = /" at "([_A-Za-z][_0-9A-Za-z]*(?:\.[_A-Za-z][_0-9A-Za-z]*|\[\d+\])*)"; /.exec(message);
  const path = at ? at[1]! : variable[1]!;
  return path.startsWith('input.') ? path.slice('input.'.length) : path;
}

const scalarInputStatusPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }: GraphQLRequestContextWillSendResponse<never>) {
        const body = response.body;
        if (response.http.status !== 400 || body.kind !== 'single') return;
        const errors = body.singleResult.errors ?? [];
        if (errors.length > 0 && errors.every((e) => e.extensions?.code === 'BAD_USER_INPUT')) {
          response.http.status = 200;
        }
      },
    };
  },
};

/** Connect timeout of the migrations' and reference seed's connection. */
const SETUP_CONNECT_TIMEOUT_MS = 60_000;

export interface StartSubgraphOptions {
  databaseUrl: string;
  /** How the bearer token the gateway forwards is verified again here. */
  auth: AuthConfig;
  port?: number;
  host?: string;
  poolSize?: number;
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Apply migrations and the reference seed before listening (default true). */
  migrate?: boolean;
  /** Called with every SQL statement (statement-count tests). */
  onQuery?: (sql: string) => void;
  /**
   * The gateway's credential (SUBGRAPH_SECRET) every request must carry; null serves without the
   * check (a development subgraph run alone without a secret, never production).
   */
  credential: string | null;
  /** Body, document and `_entities` limits (default DEFAULT_SUBGRAPH_LIMITS). */
  limits?: Partial<SubgraphHttpLimits>;
  /** Answer introspection (default true; runSubgraphFromEnv and the stack turn it off in production). */
  introspection?: boolean;
  /** What the definition's readSettings returned, handed to its createLoaders. */
  settings?: unknown;
  /** The registry subgraph's URL, for a definition that `usesRegistry` (required then). */
  registryUrl?: string;
  /** A call to the registry is cut after this long (default DEFAULT_REGISTRY_TIMEOUT_MS). */
  registryTimeoutMs?: number;
  /** Every domain subgraph's URL, for a definition that `callsDomains` (required then). */
  domainUrls?: Readonly<Record<DomainName, string>>;
}

export interface RunningSubgraph {
  name: string;
  url: string;
  dataSource: DataSource;
  stop(): Promise<void>;
}

export interface MigrateSubgraphOptions {
  databaseUrl: string;
  /** Connect timeout; the setup connection waits at least the startup bound (a minute). */
  connectTimeoutMs?: number;
}

/**
 * Prepares a subgraph's database: applies the migrations and upserts the reference data
 * (seedReference), on a short-lived connection of its own. startSubgraph does this before serving
 * unless told not to (`migrate: false`).
 */
export async function migrateSubgraph<L>(def: SubgraphDefinition<L>, options: MigrateSubgraphOptions): Promise<void> {
  // Migrations and the seed run on their own short-lived connections, without the statement
  // timeout that bounds request work (a reference seed has statements of seconds).
  // Startup work may wait for a connection behind the other subgraphs' seeds (one session on the
  // embedded database, a busy server during a full seed): a minute, not the request bound.
  const setup = createDataSource({
    url: options.databaseUrl,
    schema: def.schema,
    migrations: def.migrations,
    entities: def.entities ?? [],
    poolSize: 2,
    connectTimeoutMs: Math.max(options.connectTimeoutMs ?? 0, SETUP_CONNECT_TIMEOUT_MS),
  });
  try {
    await openAndMigrate(setup, def.schema);
    await def.seedReference?.(setup);
  } finally {
    if (setup.isInitialized) await setup.destroy();
  }
}

/**
 * Opens the database, migrates and seeds its reference data (migrateSubgraph, unless `migrate` is
 * false), and serves the subgraph over HTTP. Nothing else: no generated demo data.
 */
export async function startSubgraph<L>(
  def: SubgraphDefinition<L>,
  options: StartSubgraphOptions,
): Promise<RunningSubgraph> {
  const logger = createLogger(def.name);
  if (def.usesRegistry && !options.registryUrl) {
    throw new Error(`${def.name} checks parties in the registry: registryUrl (REGISTRY_URL) is required`);
  }
  const partyDirectory = def.usesRegistry
    ? registryPartyDirectories({
        url: options.registryUrl!,
        credential: options.credential,
        timeoutMs: options.registryTimeoutMs ?? DEFAULT_REGISTRY_TIMEOUT_MS,
        logger,
      })
    : null;
  if (def.callsDomains && !options.domainUrls) {
    throw new Error(`${def.name} calls the domain subgraphs: domainUrls (<DOMAIN>_URL) are required`);
  }
  const domainCaller = def.callsDomains
    ? domainCallers({
        urls: options.domainUrls!,
        credential: options.credential,
        timeoutMs: DEFAULT_DOMAIN_TIMEOUT_MS,
        logger,
      })
    : null;
  const base = {
    url: options.databaseUrl,
    schema: def.schema,
    migrations: def.migrations,
    entities: def.entities ?? [],
  };
  if (options.migrate ?? true) {
    await migrateSubgraph(def, { databaseUrl: options.databaseUrl, connectTimeoutMs: options.connectTimeoutMs });
  }
  const dataSource = createDataSource({
    ...base,
    poolSize: options.poolSize,
    statementTimeoutMs: options.statementTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs,
    ...(options.onQuery ? { onQuery: options.onQuery } : {}),
  });
  await dataSource.initialize();
  const limits: SubgraphHttpLimits = { ...DEFAULT_SUBGRAPH_LIMITS, ...options.limits };
  const server = createSubgraphServer(def, logger, {
    introspection: options.introspection ?? true,
    maxTokens: limits.maxTokens,
  });
  const verify = createTokenVerifier(options.auth);
  if (options.credential === null) {
    logger.warn('no SUBGRAPH_SECRET: this subgraph answers anyone who reaches it (development only)');
  }
  const httpServer = http.createServer(
    createSubgraphHttpHandler(server, {
      limits,
      checkCredential: options.credential === null ? null : createCredentialCheck(options.credential),
      logger,
      context: async (req) => {
        const requestId =
          typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'].slice(0, 100) : undefined;
        let principal;
        try {
          principal = await verify(req.headers.authorization);
        } catch (err) {
          if (!(err instanceof AuthError)) throw err;
          logger.info('token refused', { requestId, reason: err.message });
          throw new GraphQLError(err.message, { extensions: { code: err.code, http: { status: err.status } } });
        }
        const purpose = purposeOf(req.headers['x-purpose']);
        return {
          loaders: def.createLoaders(dataSource, options.settings),
          ping: () => dataSource.query('SELECT 1'),
          requestId,
          principal,
          purpose,
          ...(partyDirectory
            ? { parties: partyDirectory({ authorization: req.headers.authorization, purpose, requestId }) }
            : {}),
          ...(domainCaller
            ? { domains: domainCaller({ authorization: req.headers.authorization, purpose, requestId }) }
            : {}),
        };
      },
    }),
  );
  // Bounds for slow clients: the whole request (headers and body) must arrive within these.
  httpServer.headersTimeout = 10_000;
  httpServer.requestTimeout = 30_000;
  // Stop drains HTTP (in-flight requests finish, idle keep-alive connections close) before Apollo stops.
  server.addPlugin(ApolloServerPluginDrainHttpServer({ httpServer }));
  try {
    await server.start();
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
    const { address, port } = httpServer.address() as AddressInfo;
    const host = address === '0.0.0.0' || address === '::' ? 'localhost' : address;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/graphql`;
    logger.info('subgraph ready', { url, gatewayCredential: options.credential !== null });
    return {
      name: def.name,
      url,
      dataSource,
      async stop() {
        // Drain HTTP first so in-flight requests still have their connections.
        await server.stop();
        await dataSource.destroy();
      },
    };
  } catch (err) {
    await server.stop().catch(() => {});
    await dataSource.destroy();
    throw err;
  }
}
