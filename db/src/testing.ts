import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ConfigError } from './config.ts';
import { startEmbeddedPostgres } from './embedded.ts';

/** A database that exists only for one test file. */
export interface TestDatabase {
  /** postgres:// URL of the fresh database. */
  url: string;
  /** Which kind of server the tests are running against (for test names and logs). */
  kind: 'server' | 'embedded';
  drop(): Promise<void>;
}

/**
 * A fresh, empty database. With DATABASE_URL set (CI, a developer's Postgres), it creates a
 * uniquely named database on that server and drops it afterwards; otherwise it starts an
 * in-memory embedded PGlite. The same tests therefore run against both.
 */
export async function createTestDatabase(env: NodeJS.ProcessEnv = process.env): Promise<TestDatabase> {
  const serverUrl = env.DATABASE_URL;
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres({ dataDir: 'memory' });
    return { url: embedded.url, kind: 'embedded', drop: () => embedded.stop() };
  }
  const name = `measure_graph_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: 'server',
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Runs `fn` and returns the ConfigError it throws; anything else (or nothing) fails the caller. */
export function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}
