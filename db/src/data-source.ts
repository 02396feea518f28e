import { DataSource, type EntitySchema, type Logger, type MixedList } from 'typeorm';

export interface SubgraphDataSourceOptions {
  /** postgres:// URL of the server (or of the embedded wire server). */
  url: string;
  /** The Postgres schema this subgraph owns; its migrations table lives there too. */
  schema: string;
  // TypeORM's own type for a list of migration classes.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
  entities?: EntitySchema[];
  poolSize?: number;
  statementTimeoutMs?: number;
  /** How long to wait for a connection (new or from the pool) before failing the statement. */
  connectTimeoutMs?: number;
  /** Name shown in pg_stat_activity, so operators see which subgraph holds a connection. */
  applicationName?: string;
  /** Called with every SQL statement sent (tests count statements to catch N+1 patterns). */
  onQuery?: (sql: string) => void;
}

/** A TypeORM logger that only reports each statement to a callback. */
function statementListener(onQuery: (sql: string) => void): Logger {
  const ignore = () => undefined;
  return {
    logQuery: (sql) => onQuery(sql),
    logQueryError: ignore,
    logQuerySlow: ignore,
    logSchemaBuild: ignore,
    logMigration: ignore,
    log: ignore,
  };
}

/**
 * Builds (but does not open) the TypeORM DataSource of one subgraph. Every subgraph gets its own
 * schema and migrations table, so no subgraph can depend on another's tables by accident.
 */
export function createDataSource(options: SubgraphDataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    entities: options.entities ?? [],
    // Schema changes only ever come from migrations.
    synchronize: false,
    migrationsRun: false,
    applicationName: options.applicationName ?? `measure-graph-${options.schema}`,
    ...(options.onQuery ? { logging: ['query'] as const, logger: statementListener(options.onQuery) } : {}),
    extra: {
      max: options.poolSize ?? 10,
      // pg sends these as startup parameters; a timeout of 0 leaves the server default.
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
      // JIT compilation costs ~300 ms on the norm-result statement (it crosses jit_above_cost)
      // and gains nothing on queries of this size; see docs/benchmarks.md.
      options: '-c jit=off',
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    },
  });
}

/**
 * Opens the DataSource and applies pending migrations, each in its own transaction. The schema is
 * created first because TypeORM puts its migrations table inside it.
 */
export async function openAndMigrate(ds: DataSource, schema: string): Promise<void> {
  if (!ds.isInitialized) await ds.initialize();
  await ds.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await ds.runMigrations({ transaction: 'each' });
}
