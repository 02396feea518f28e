import net, { type AddressInfo } from 'node:net';
import { loadGatewayConfig, startGateway } from '@measure-graph/gateway';
import { ConfigError, startEmbeddedPostgres, type EmbeddedPostgres } from '@measure-graph/db';
import { writeDemoData, writeDemoDataInWorker, type SeedProfile } from '@measure-graph/demo-data';
import { readAuthConfig } from '@measure-graph/auth';
import {
  generateSubgraphSecret,
  migrateSubgraph,
  readSubgraphLimits,
  readSubgraphSecret,
  startSubgraph,
  subgraphUrlVariable,
  DOMAINS,
  type DomainName,
  type RunningSubgraph,
} from '@measure-graph/subgraph-platform';
import { subgraphs } from '@measure-graph/schema/subgraphs';

export interface StackOptions {
  /**
   * Where the data lives: a Postgres server URL per subgraph (`urlFor`), or an embedded PGlite
   * persisted in `embeddedDataDir` ('memory' for throwaway runs).
   */
  database: { urlFor: (subgraph: string) => string } | { embeddedDataDir: string; embeddedPort?: number };
  /** Gateway port (0 = free port). Subgraphs always take free ports: only the gateway (and each other) call them. */
  gatewayPort?: number;
  gatewayHost?: string;
  /** Environment the gateway configuration is read from (NODE_ENV, GRAPHQL_IDE, ...). */
  env?: NodeJS.ProcessEnv;
  poolSize?: number;
  /** Database timeouts of every subgraph (PostgreSQL servers; see DB_STATEMENT_TIMEOUT_MS). */
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
  /**
   * Size of the generated demo data the stack writes into every subgraph's empty database before it
   * serves (default full; null: none). The subgraphs never write it themselves.
   */
  seedProfile?: SeedProfile | null;
  /** Called with every SQL statement of every subgraph (statement-count tests). */
  onQuery?: (subgraph: string, sql: string) => void;
  /**
   * Subgraphs this process does not serve (`npm run dev`): the URL the gateway and the domains call,
   * and whether the stack still prepares (migrates, seeds) it on its database: yes for the subgraph
   * the dev loop runs from the working tree, no for one running elsewhere with a database of its own.
   */
  elsewhere?: Record<string, { url: string; prepare: boolean }>;
}

export interface RunningStack {
  url: string;
  subgraphs: RunningSubgraph[];
  /** URL of the embedded database, when one was started. */
  embeddedUrl?: string;
  /** The credential the gateway sends the subgraphs (SUBGRAPH_SECRET, or one generated for this start). */
  subgraphSecret: string;
  stop(): Promise<void>;
}

/**
 * Boots the whole graph in this process: database, every subgraph (migrated with its reference data,
 * then the generator's demo data written into it, then served) and the gateway. Used by `npm start` and by the end-to-end tests,
 * so both run exactly the same wiring.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  let embedded: EmbeddedPostgres | undefined;
  const started: RunningSubgraph[] = [];
  const stopAll = async () => {
    await Promise.allSettled(started.map((s) => s.stop()));
    await embedded?.stop();
  };
  try {
    const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), PORT: String(options.gatewayPort ?? 0) };
    // The subgraphs verify the token the gateway forwards with the same settings as the gateway.
    const problems: string[] = [];
    const auth = readAuthConfig(env, problems);
    // Only the gateway may call the subgraphs: the configured credential, or (in any NODE_ENV) a
    // random one for this start: gateway and subgraphs share the process, nobody else learns it.
    const subgraphSecret = (env.SUBGRAPH_SECRET && readSubgraphSecret(env, problems)) || generateSubgraphSecret();
    env.SUBGRAPH_SECRET = subgraphSecret;
    const limits = readSubgraphLimits(env, problems);
    // Settings only some subgraphs have (the registry's access-log key, AUDIT_LOG_KEY).
    const settings = new Map(subgraphs.map((def) => [def.name, def.readSettings?.(env, problems)]));
    if (problems.length > 0) throw new ConfigError(problems);
    let urlFor: (subgraph: string) => string;
    if ('urlFor' in options.database) {
      urlFor = options.database.urlFor;
    } else {
      embedded = await startEmbeddedPostgres({
        dataDir: options.database.embeddedDataDir,
        port: options.database.embeddedPort ?? 0,
      });
      const url = embedded.url;
      urlFor = () => url;
    }
    // All five are prepared (migrate, seed) in parallel, then served together. Started one after the
    // other, a domain's first connection waited behind another's seed transaction on the embedded
    // database (one session) until its connect timeout.
    const elsewhere = options.elsewhere ?? {};
    const profile = options.seedProfile === undefined ? 'full' : options.seedProfile;
    // The embedded database serves one connection's transaction at a time: a new connection may
    // wait behind another subgraph's load (up to a minute for the full profile's activation), so
    // startup connections there get minutes; served requests keep the configured bound.
    const connectTimeoutMs = embedded ? Math.max(options.connectTimeoutMs ?? 0, 60_000) : options.connectTimeoutMs;
    const setupConnectTimeoutMs = embedded ? 600_000 : Math.max(options.connectTimeoutMs ?? 0, 60_000);
    // Migrations and reference data (what the subgraph would do itself), then the demo data, which
    // only the stack (npm start, the tests) writes: every subgraph's before any serves, so no pool
    // of a served subgraph waits behind a load. The full profile is generated and written in worker
    // threads (the other core), the small one in this thread (a worker costs more than it saves).
    const prepare = async (def: (typeof subgraphs)[number]) => {
      const databaseUrl = urlFor(def.name);
      await migrateSubgraph(def, { databaseUrl, connectTimeoutMs: setupConnectTimeoutMs });
      if (!profile) return;
      const target = {
        subgraph: def.name,
        databaseUrl,
        schema: def.schema,
        profile,
        connectTimeoutMs: setupConnectTimeoutMs,
      };
      await (profile === 'full' ? writeDemoDataInWorker(target) : writeDemoData(target));
    };
    const prepared = await Promise.allSettled(
      subgraphs.filter((def) => elsewhere[def.name]?.prepare !== false).map(prepare),
    );
    const unprepared = prepared.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (unprepared) throw unprepared.reason;
    // The domains check organisations and persons in the registry and the registry's allDossiers
    // calls every domain, so each needs the others' URLs before it serves: the ports are chosen now,
    // just before the servers bind them. (Chosen before the preparation, minutes earlier, another
    // test's process could take one meanwhile: EADDRINUSE.)
    const ports = new Map<string, number>();
    for (const def of subgraphs) ports.set(def.name, await freePort());
    const urlOf = (name: string) => elsewhere[name]?.url ?? `http://127.0.0.1:${ports.get(name)}/graphql`;
    const registryUrl = urlOf('registry');
    const domainUrls = Object.fromEntries(DOMAINS.map((d) => [d.name, urlOf(d.name)])) as Record<DomainName, string>;
    const start = (def: (typeof subgraphs)[number]) =>
      startSubgraph(def, {
        databaseUrl: urlFor(def.name),
        migrate: false,
        auth,
        port: ports.get(def.name)!,
        poolSize: options.poolSize ?? 5,
        statementTimeoutMs: options.statementTimeoutMs,
        connectTimeoutMs,
        credential: subgraphSecret,
        limits,
        introspection: env.NODE_ENV !== 'production',
        settings: settings.get(def.name),
        ...(def.name === 'registry' ? { domainUrls } : { registryUrl }),
        ...(options.onQuery ? { onQuery: (sql: string) => options.onQuery!(def.name, sql) } : {}),
      });
    const results = await Promise.allSettled(subgraphs.filter((def) => !elsewhere[def.name]).map(start));
    for (const r of results) if (r.status === 'fulfilled') started.push(r.value);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;

    for (const s of started) env[subgraphUrlVariable(s.name)] = s.url;
    for (const [name, { url }] of Object.entries(elsewhere)) env[subgraphUrlVariable(name)] = url;
    if (options.gatewayHost) env.HOST = options.gatewayHost;
    // API keys live in the database the stack runs on: DATABASE_URL on a server (the gateway's own
    // default), the embedded one otherwise, so `npm run apikey` and the gateway share them.
    if (embedded && !env.API_KEYS_DATABASE_URL && !env.DATABASE_URL) env.API_KEYS_DATABASE_URL = embedded.url;
    const gateway = await startGateway(loadGatewayConfig(env));
    return {
      url: gateway.url,
      subgraphs: started,
      ...(embedded ? { embeddedUrl: embedded.url } : {}),
      subgraphSecret,
      async stop() {
        await gateway.stop();
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** A port free on 127.0.0.1 right now (the OS picks it), for a server started just after. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
