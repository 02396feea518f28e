import { createDataSource, openAndMigrate } from '@measure-graph/db';
import { createTestDatabase } from '@measure-graph/db/testing';
import type { DataSource } from 'typeorm';
import { ALL_SCOPES, type CallerContext } from '@measure-graph/auth';
import { createSubgraphServer, type SubgraphDefinition } from './subgraph.ts';
import { memoryPartyDirectory, type PartyDirectory } from './party-directory.ts';

/** The caller of subgraph tests unless a test says otherwise: every scope, no purpose. */
export const TEST_CALLER: CallerContext = { principal: { subject: 'test', scopes: new Set(ALL_SCOPES) } };

export interface SubgraphUnderTest {
  dataSource: DataSource;
  /**
   * Runs an operation against the subgraph schema with a fresh loader set, like one HTTP request,
   * as `caller` (default: every scope).
   */
  execute<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    caller?: CallerContext,
  ): Promise<{ data?: T | null; errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }> }>;
  /**
   * Runs `work` and counts the SQL statements the subgraph's stores send meanwhile (they query
   * through the DataSource): batching tests compare the count for few and for many items.
   */
  countStatements<T>(work: () => Promise<T>): Promise<{ result: T; statements: number }>;
  stop(): Promise<void>;
}

/**
 * One subgraph on a fresh database (migrated, its reference data seeded, then `options.seed` run on
 * it: the generator's catalogue and demo data, see startSubgraphForTest of @measure-graph/demo-data/testing),
 * queried without HTTP. A subgraph that `usesRegistry` gets `options.parties` as its party
 * directory (none known by default), since no registry runs beside it.
 */
export async function startSubgraphForTest<L>(
  def: SubgraphDefinition<L>,
  options: { seed?: (ds: DataSource) => Promise<void>; parties?: PartyDirectory } = {},
): Promise<SubgraphUnderTest> {
  const parties = def.usesRegistry
    ? (options.parties ?? memoryPartyDirectory({ kboNumbers: [], persons: [] }))
    : undefined;
  const db = await createTestDatabase();
  const dataSource = createDataSource({ url: db.url, schema: def.schema, migrations: def.migrations, poolSize: 3 });
  await openAndMigrate(dataSource, def.schema);
  await def.seedReference?.(dataSource);
  await options.seed?.(dataSource);
  const server = createSubgraphServer(def);
  await server.start();
  return {
    dataSource,
    async execute(query, variables, caller = TEST_CALLER) {
      const response = await server.executeOperation(
        { query, variables },
        { contextValue: { ...caller, loaders: def.createLoaders(dataSource), ...(parties ? { parties } : {}) } },
      );
      if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
      return response.body.singleResult as never;
    },
    async countStatements(work) {
      const original = dataSource.query;
      let statements = 0;
      dataSource.query = ((...args: Parameters<typeof original>) => {
        statements++;
        return original.apply(dataSource, args);
      }) as typeof original;
      try {
        return { result: await work(), statements };
      } finally {
        dataSource.query = original;
      }
    },
    async stop() {
      await server.stop();
      await dataSource.destroy();
      await db.drop();
    },
  };
}

/** Norms of measures of one domain type, fetched the way the gateway does (`_entities`). */
export async function fetchNorms(
  subgraph: SubgraphUnderTest,
  typename: string,
  codes: string[],
): Promise<Array<{ norms: Array<Record<string, unknown>> } | null>> {
  const { data, errors } = await subgraph.execute<{
    _entities: Array<{ norms: Array<Record<string, unknown>> } | null>;
  }>(
    `query ($r: [_Any!]!) {
      _entities(representations: $r) {
        ... on ${typename} { norms { id label stage kind targetShare thresholdDays thresholdRule channel overviewRowId } }
      }
    }`,
    { r: codes.map((code) => ({ __typename: typename, code })) },
  );
  if (errors) throw new Error(errors.map((e) => e.message).join('; '));
  return data!._entities;
}
