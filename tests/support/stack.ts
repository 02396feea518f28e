import { createTestDatabase, type TestDatabase } from '@measure-graph/db/testing';
import type { SeedProfile } from '@measure-graph/subgraph-kit';
import { startStack, type RunningStack } from '../../scripts/stack.ts';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
  /** The raw body, to check that nothing internal leaks. */
  text: string;
}

export interface TestStack {
  url: string;
  stack: RunningStack;
  database: TestDatabase;
  query<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** The data of a query that must succeed; any error fails the test with the errors shown. */
  data<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  post(body: string, headers?: Record<string, string>): Promise<GraphQLResponse>;
  stop(): Promise<void>;
}

/** POSTs a raw body to the gateway and parses whatever JSON comes back. */
export async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  let parsed: Partial<GraphQLResponse> = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    // Non-JSON bodies are asserted on through `text`.
  }
  return { status: res.status, text, ...parsed };
}

/**
 * The whole graph (every subgraph and the gateway, on free ports) over a fresh database: a new
 * database on the Postgres server when DATABASE_URL is set, an in-memory PGlite otherwise.
 */
export async function startTestStack(
  options: {
    env?: NodeJS.ProcessEnv;
    database?: TestDatabase;
    seedProfile?: SeedProfile;
    onQuery?: (subgraph: string, sql: string) => void;
  } = {},
): Promise<TestStack> {
  const database = options.database ?? (await createTestDatabase());
  let stack: RunningStack;
  try {
    stack = await startStack({
      database: { urlFor: () => database.url },
      env: options.env ?? {},
      poolSize: 3,
      // Tests about wiring use the small profile; figure tests ask for the full one.
      seedProfile: options.seedProfile ?? 'small',
      ...(options.onQuery ? { onQuery: options.onQuery } : {}),
    });
  } catch (err) {
    if (!options.database) await database.drop();
    throw err;
  }
  return {
    url: stack.url,
    stack,
    database,
    query: (query, variables) => post(stack.url, JSON.stringify({ query, variables })) as never,
    async data(query, variables) {
      const res = await post(stack.url, JSON.stringify({ query, variables }));
      if (res.errors) throw new Error(`unexpected errors: ${JSON.stringify(res.errors)}`);
      return res.data as never;
    },
    post: (body, headers) => post(stack.url, body, headers),
    async stop() {
      await stack.stop();
      if (!options.database) await database.drop();
    },
  };
}
