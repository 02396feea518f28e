import { ConfigError, intVar, loadDatabaseConfig, subgraphDatabaseVar } from '@measure-graph/db';
import { readAuthConfig } from './auth/config.ts';
import { describeError, createLogger } from './log.ts';
import { seedProfileFromEnv } from './measure-module/seed.ts';
import { startSubgraph, type SubgraphDefinition } from './subgraph.ts';
import { startTracing } from './tracing.ts';

/**
 * Entry point of a subgraph deployed on its own: reads PORT, HOST and its database URL
 * (<NAME>_DATABASE_URL or DATABASE_URL), serves until SIGINT/SIGTERM, then drains and closes.
 */
export async function runSubgraphFromEnv<L>(def: SubgraphDefinition<L>): Promise<void> {
  const logger = createLogger(def.name);
  try {
    const db = loadDatabaseConfig(process.env, [def.name]);
    const problems: string[] = [];
    const port = intVar(process.env, 'PORT', def.defaultPort, problems, { max: 65535 });
    const databaseUrl = db.urlFor(def.name);
    if (!databaseUrl) {
      problems.push(
        `${subgraphDatabaseVar(def.name)} or DATABASE_URL is required to run this subgraph alone ` +
          '(`npm start` at the repository root runs everything on the embedded database)',
      );
    }
    const auth = readAuthConfig(process.env, problems);
    if (problems.length > 0) throw new ConfigError(problems);
    const tracing = startTracing(`measure-graph-${def.name}`);
    const running = await startSubgraph(def, {
      databaseUrl: databaseUrl!,
      auth,
      port,
      host: process.env.HOST || '0.0.0.0',
      poolSize: db.poolSize,
      statementTimeoutMs: db.statementTimeoutMs,
      connectTimeoutMs: db.connectTimeoutMs,
      seedProfile: seedProfileFromEnv(),
    });
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
