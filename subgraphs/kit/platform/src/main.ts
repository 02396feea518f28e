import { ConfigError, intVar, loadDatabaseConfig, subgraphDatabaseVar } from '@measure-graph/db';
import { readAuthConfig } from '@measure-graph/auth';
import { describeError, createLogger } from './log.ts';
import { startSubgraph, type StartSubgraphOptions, type SubgraphDefinition } from './subgraph.ts';
import { readSubgraphSecret } from './credential.ts';
import { readRegistryConfig } from './party-directory.ts';
import { readDomainUrls } from './domain-caller.ts';
import { readSubgraphLimits } from './subgraph-http.ts';
import { startTracing } from './tracing.ts';

/**
 * The settings of a subgraph deployed on its own, from its environment: PORT, HOST (default
 * 127.0.0.1: set the internal interface the gateway reaches it on), its database URL
 * (<NAME>_DATABASE_URL or DATABASE_URL), the AUTH_* variables, SUBGRAPH_SECRET (required in
 * production), the SUBGRAPH_MAX_* limits and, for a domain subgraph, REGISTRY_URL (required in
 * production) and REGISTRY_TIMEOUT_MS. Every problem is reported together (ConfigError).
 * SEED_PROFILE is one: a subgraph run alone migrates, seeds its reference data and serves, nothing
 * else (see refuseSeedProfile).
 */
export function loadSubgraphConfig<L>(
  def: SubgraphDefinition<L>,
  env: NodeJS.ProcessEnv = process.env,
): StartSubgraphOptions & { port: number; host: string } {
  const db = loadDatabaseConfig(env, [def.name]);
  const problems: string[] = [];
  const port = intVar(env, 'PORT', def.defaultPort, problems, { max: 65535 });
  const databaseUrl = db.urlFor(def.name);
  if (!databaseUrl) {
    problems.push(
      `${subgraphDatabaseVar(def.name)} or DATABASE_URL is required to run this subgraph alone ` +
        '(`npm start` at the repository root runs everything on the embedded database)',
    );
  }
  const auth = readAuthConfig(env, problems);
  const credential = readSubgraphSecret(env, problems);
  const limits = readSubgraphLimits(env, problems);
  const settings = def.readSettings?.(env, problems);
  refuseSeedProfile(env, problems);
  // A domain subgraph checks organisations and persons in the registry (REGISTRY_URL).
  const registry = def.usesRegistry ? readRegistryConfig(env, problems) : {};
  // The registry's allDossiers asks every domain subgraph (<DOMAIN>_URL).
  const domains = def.callsDomains ? readDomainUrls(env, problems) : {};
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    databaseUrl: databaseUrl!,
    auth,
    port,
    host: env.HOST || '127.0.0.1',
    poolSize: db.poolSize,
    statementTimeoutMs: db.statementTimeoutMs,
    connectTimeoutMs: db.connectTimeoutMs,
    credential: credential ?? null,
    limits,
    // The gateway serves a composed supergraph and never introspects a subgraph.
    introspection: env.NODE_ENV !== 'production',
    ...(settings !== undefined ? { settings } : {}),
    ...registry,
    ...domains,
  };
}

/**
 * A subgraph run alone never writes generated demo data: SEED_PROFILE (which `npm start` reads) is
 * a configuration error here rather than silently ignored, naming the way to load demo data.
 */
export function refuseSeedProfile(env: NodeJS.ProcessEnv, problems: string[]): void {
  if (!env.SEED_PROFILE) return;
  problems.push(
    'SEED_PROFILE is refused: a subgraph run alone migrates, seeds its reference data and serves, nothing else. ' +
      'To load demo data into its database, write a dataset with `npm run data:generate -- --profile full|small ' +
      '--out DIR` and load it with `npm run data:import -- DIR` (`npm start` seeds its in-process stack itself)',
  );
}

/** Entry point of a subgraph deployed on its own: serves until SIGINT/SIGTERM, then drains and closes. */
export async function runSubgraphFromEnv<L>(def: SubgraphDefinition<L>): Promise<void> {
  const logger = createLogger(def.name);
  try {
    const config = loadSubgraphConfig(def);
    const tracing = startTracing(`measure-graph-${def.name}`);
    const running = await startSubgraph(def, config);
    const shutdown = async (signal: string) => {
      logger.info('shutting down', { signal });
      await running.stop();
      await tracing?.shutdown();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  } catch (err) {
    if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
    else logger.error('failed to start', describeError(err));
    process.exit(1);
  }
}
