import { createDataSource, openAndMigrate } from '@measure-graph/db';
import type { AnySubgraphDefinition } from '@measure-graph/subgraph-platform';
import pg from 'pg';
import { CannotRunError } from './errors.ts';
import type { Stager } from './staging.ts';

/** One database the import writes to, with its connection and how it stages rows. */
export interface Database {
  url: string;
  client: pg.Client;
  /** COPY on PostgreSQL servers, INSERT of JSON on the embedded PGlite (see staging.ts). */
  staging: Stager['method'];
}

/**
 * One connection per distinct database: subgraphs sharing DATABASE_URL share it, so a file of
 * several domains is one transaction there. On the embedded PGlite this is also a necessity: it runs
 * one transaction at a time, and a second connection would wait for the first.
 */
export class Databases {
  private readonly open = new Map<string, Promise<Database>>();

  constructor(private readonly urlFor: (subgraph: string) => string) {}

  of(subgraph: string): Promise<Database> {
    const url = this.urlFor(subgraph);
    let db = this.open.get(url);
    if (!db) {
      db = connect(url);
      this.open.set(url, db);
    }
    return db;
  }

  async close(): Promise<void> {
    const all = await Promise.allSettled(this.open.values());
    await Promise.allSettled(all.flatMap((r) => (r.status === 'fulfilled' ? [r.value.client.end()] : [])));
  }
}

async function connect(url: string): Promise<Database> {
  const client = new pg.Client({ connectionString: url, application_name: 'measure-graph-import' });
  // A connection error after connect (server gone) surfaces on the next query; no crash meanwhile.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    throw new CannotRunError(`cannot connect to ${redact(url)}: ${(err as Error).message}`);
  }
  const [{ version }] = (await client.query<{ version: string }>('SELECT version()')).rows as [{ version: string }];
  return { url, client, staging: version.includes('PGlite') ? 'insert' : 'copy' };
}

/** A URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

/**
 * Brings every subgraph's schema up to date with the same migrations and the same `openAndMigrate`
 * the subgraphs run at start, or (with `migrate: false`) checks that none is pending.
 */
export async function migrateSubgraphs(
  subgraphs: readonly AnySubgraphDefinition[],
  urlFor: (subgraph: string) => string,
  migrate: boolean,
): Promise<void> {
  for (const def of subgraphs) {
    const ds = createDataSource({
      url: urlFor(def.name),
      schema: def.schema,
      migrations: def.migrations,
      poolSize: 1,
      applicationName: 'measure-graph-import',
    });
    try {
      try {
        await ds.initialize();
      } catch (err) {
        throw new CannotRunError(`cannot connect to ${redact(urlFor(def.name))}: ${(err as Error).message}`);
      }
      if (migrate) {
        // As the subgraph's own start leaves it (migrateSubgraph): migrated, with its static
        // reference data (provinces, working days, control domains), which the files refer to; so a
        // dataset can be imported before any subgraph has started. Idempotent upserts.
        await openAndMigrate(ds, def.schema);
        await def.seedReference?.(ds);
      } else {
        const [{ present }] = await ds.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [
          `"${def.schema}".migrations`,
        ]);
        if (!present || (await ds.showMigrations())) {
          throw new CannotRunError(
            `the ${def.name} schema has pending migrations: start the subgraph once, or import without --no-migrate`,
          );
        }
      }
    } finally {
      if (ds.isInitialized) await ds.destroy();
    }
  }
}
