import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@measure-graph/db/testing';
import type { SeedProfile } from '@measure-graph/demo-data';
import { ALL_SCOPES, createEphemeralKeys, signToken, type DevKeys } from '@measure-graph/auth';
import { generateSubgraphSecret } from '@measure-graph/subgraph-platform/credential';
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
  /** POSTs a raw body with the all-scopes token unless `headers.authorization` says otherwise ('' = none). */
  post(body: string, headers?: Record<string, string>): Promise<GraphQLResponse>;
  /** Signs a token the stack accepts (or, with overrides, one it must refuse). */
  token(options?: Partial<TestTokenOptions>): Promise<string>;
  /** The all-scopes token `query`, `data` and `post` send by default. */
  allScopesToken: string;
  /** The AUTH_* variables and SUBGRAPH_SECRET of the stack, for another gateway or subgraph started beside it. */
  authEnv: NodeJS.ProcessEnv;
  /** The credential the stack's gateway sends its subgraphs (header x-gateway-credential). */
  subgraphSecret: string;
  /** The registry's access-log key (AUDIT_LOG_KEY, random per stack), to verify the log with. */
  auditLogKey: string;
  stop(): Promise<void>;
}

export interface TestTokenOptions {
  subject: string;
  scopes: readonly string[];
  ttlSeconds: number;
  issuer: string;
  audience: string;
  clientId?: string;
  /** Sign with these keys instead of the stack's (a forged token). */
  keys: DevKeys;
  /** Seconds added to the issue time (a token issued in the future). */
  issuedAtOffsetSeconds: number;
}

export const TEST_ISSUER = 'https://idp.test/realms/wse';
export const TEST_AUDIENCE = 'measure-graph-test';

/**
 * The identity provider of a test stack: a key pair in memory whose public half is written as a
 * JWKS file, so the stack verifies tokens exactly as production does with AUTH_JWKS_FILE.
 */
function testIdentityProvider() {
  const keys = createEphemeralKeys();
  const jwksFile = path.join(os.tmpdir(), `measure-graph-jwks-${process.pid}-${Date.now()}-${Math.random()}.json`);
  fs.writeFileSync(jwksFile, JSON.stringify(keys.jwks));
  return {
    env: { AUTH_JWKS_FILE: jwksFile, AUTH_ISSUER: TEST_ISSUER, AUTH_AUDIENCE: TEST_AUDIENCE },
    token: (options: Partial<TestTokenOptions> = {}) =>
      signToken(options.keys ?? keys, {
        subject: options.subject ?? 'test-user',
        scopes: options.scopes ?? ALL_SCOPES,
        ttlSeconds: options.ttlSeconds ?? 3600,
        issuer: options.issuer ?? TEST_ISSUER,
        audience: options.audience ?? TEST_AUDIENCE,
        ...(options.clientId ? { clientId: options.clientId } : {}),
        ...(options.issuedAtOffsetSeconds ? { issuedAtOffsetSeconds: options.issuedAtOffsetSeconds } : {}),
      }),
    remove: () => fs.rmSync(jwksFile, { force: true }),
  };
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
    /** Generated demo data (default small; null: none, reference data only). */
    seedProfile?: SeedProfile | null;
    onQuery?: (subgraph: string, sql: string) => void;
  } = {},
): Promise<TestStack> {
  const database = options.database ?? (await createTestDatabase());
  const idp = testIdentityProvider();
  // Chosen here rather than by the stack, so that a second gateway beside it (authEnv) can use it.
  const secretEnv = { SUBGRAPH_SECRET: generateSubgraphSecret() };
  const auditLogKey = randomBytes(32).toString('hex');
  let stack: RunningStack;
  try {
    stack = await startStack({
      database: { urlFor: () => database.url },
      // Usage recording writes a file by default: a test that is about it turns it on with a file of its own.
      env: { ...idp.env, ...secretEnv, AUDIT_LOG_KEY: auditLogKey, USAGE_RECORDING: 'off', ...options.env },
      poolSize: 3,
      // Test files run in parallel on two cores, several seeding at once: a new connection may wait
      // behind another subgraph's seed (one session on PGlite) or a saturated server. Tests are not
      // about that bound, so it is the startup one, not the 5 s a production request gets.
      connectTimeoutMs: 60_000,
      // Tests about wiring use the small profile; figure tests ask for the full one.
      seedProfile: options.seedProfile === undefined ? 'small' : options.seedProfile,
      ...(options.onQuery ? { onQuery: options.onQuery } : {}),
    });
  } catch (err) {
    idp.remove();
    if (!options.database) await database.drop();
    throw err;
  }
  const allScopesToken = await idp.token();
  const send = (body: string, headers: Record<string, string> = {}) =>
    post(stack.url, body, { authorization: `Bearer ${allScopesToken}`, ...headers });
  return {
    url: stack.url,
    stack,
    database,
    query: (query, variables) => send(JSON.stringify({ query, variables })) as never,
    async data(query, variables) {
      const res = await send(JSON.stringify({ query, variables }));
      if (res.errors) throw new Error(`unexpected errors: ${JSON.stringify(res.errors)}`);
      return res.data as never;
    },
    post: send,
    token: idp.token,
    allScopesToken,
    authEnv: { ...idp.env, SUBGRAPH_SECRET: stack.subgraphSecret },
    subgraphSecret: stack.subgraphSecret,
    auditLogKey,
    async stop() {
      await stack.stop();
      idp.remove();
      if (!options.database) await database.drop();
    },
  };
}
