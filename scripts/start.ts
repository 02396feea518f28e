/**
 * `npm start`: the whole measure graph on one machine. Without DATABASE_URL it runs on an embedded
 * PostgreSQL (PGlite) persisted under .data/pglite, so a fresh clone needs nothing but Node.
 */
import path from 'node:path';
import { ConfigError, DataDirInUseError, EMBEDDED_PASSWORD_FILE, intVar, loadDatabaseConfig } from '@measure-graph/db';
import { seedProfileFromEnv } from '@measure-graph/demo-data';
import { startTracing } from '@measure-graph/subgraph-platform';
import { subgraphs } from '@measure-graph/schema/subgraphs';
import { startStack } from './stack.ts';

const started = Date.now();
try {
  const db = loadDatabaseConfig(
    process.env,
    subgraphs.map((s) => s.name),
  );
  const problems: string[] = [];
  const gatewayPort = intVar(process.env, 'PORT', 4000, problems, { max: 65535 });
  if (problems.length > 0) throw new ConfigError(problems);
  // One process runs every part: one tracer provider (OTEL_EXPORTER_OTLP_ENDPOINT switches it on).
  const tracing = startTracing('measure-graph');
  const stack = await startStack({
    database: db.url
      ? { urlFor: (name) => db.urlFor(name)! }
      : { embeddedDataDir: db.embeddedDataDir, embeddedPort: db.embeddedPort },
    gatewayPort,
    poolSize: db.poolSize,
    connectTimeoutMs: db.connectTimeoutMs,
    // The embedded database serves one statement at a time; a statement timeout is for servers.
    ...(db.url ? { statementTimeoutMs: db.statementTimeoutMs } : {}),
    // The report's volumes on every database; SEED_PROFILE=small for a quick look.
    seedProfile: seedProfileFromEnv(process.env, 'full'),
  });
  const where = db.url ? 'PostgreSQL server (DATABASE_URL)' : `embedded PostgreSQL in ${db.embeddedDataDir}`;
  // The embedded database's URL for psql, without its password (it is in a file of mode 0600).
  let database = '';
  if (stack.embeddedUrl) {
    const url = new URL(stack.embeddedUrl);
    url.password = '';
    const passwordFile = path.join(db.embeddedDataDir, EMBEDDED_PASSWORD_FILE);
    database =
      `  Database: ${url} (while running; its password is in ${passwordFile})\n` +
      `    psql: PGPASSWORD=$(cat '${passwordFile}') psql ${url}\n`;
  }
  process.stdout.write(
    `\nMeasure graph ready in ${((Date.now() - started) / 1000).toFixed(1)} s on ${where}\n` +
      `  GraphQL: ${stack.url}\n` +
      database +
      'Press Ctrl-C to stop.\n',
  );
  let stoppingSince = 0;
  const shutdown = async (signal: string) => {
    if (stoppingSince) {
      // A terminal's Ctrl-C reaches us both directly and relayed by npm; only a later one forces.
      if (Date.now() - stoppingSince < 2000) return;
      process.stdout.write('Forced exit.\n');
      process.exit(130);
    }
    stoppingSince = Date.now();
    process.stdout.write(`\n${signal}: stopping gateway, subgraphs and database...\n`);
    await stack.stop();
    await tracing?.shutdown();
    process.stdout.write('Stopped.\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
} catch (err) {
  process.stderr.write(
    `${err instanceof ConfigError || err instanceof DataDirInUseError ? err.message : ((err as Error).stack ?? String(err))}\n`,
  );
  process.exit(1);
}
