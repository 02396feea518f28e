import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { showcasePerson } from '@measure-graph/demo-data';
import {
  ApiKeyStore,
  GATEWAY_ISSUER,
  readGatewaySigningKey,
  SCOPES,
  signToken,
  type ApiKeyRecord,
} from '@measure-graph/auth';
import { repoRoot, startEmbeddedPostgres } from '@measure-graph/db';
import { createTestDatabase, type TestDatabase } from '@measure-graph/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startTestStack, TEST_AUDIENCE, type GraphQLResponse, type TestStack } from '../support/stack.ts';
import { startStack } from '../../scripts/stack.ts';

/**
 * API keys of machine clients through the gateway: issued, listed and revoked by `npm run apikey`
 * as a real process, presented as one static header, forwarded to the subgraphs as the gateway's
 * token, refused with their codes.
 */
const run = promisify(execFile);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'measure-graph-apikeys-'));

/** `npm run apikey -- <args>` as a process: its exit code, stdout and stderr. */
async function apikey(args: string[], env: NodeJS.ProcessEnv) {
  const { DATABASE_URL: _server, API_KEYS_DATABASE_URL: _keys, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await run('node', ['--import', 'tsx', 'scripts/apikey.ts', ...args], {
      cwd: repoRoot,
      env: { ...inherited, LOG_LEVEL: 'error', ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code?: number; stdout: string; stderr: string };
    if (typeof failed.code !== 'number') throw err;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let database: TestDatabase;
let graph: TestStack;
let cliEnv: NodeJS.ProcessEnv;
let signingKeyFile: string;
beforeAll(async () => {
  database = await createTestDatabase();
  // The production set-up: a signing key pair made by the CLI, its private half for the gateway,
  // its public half for the subgraphs.
  const made = await apikey(['signing-key', '--out', path.join(tmp, 'keys')], {});
  expect(made.code).toBe(0);
  signingKeyFile = path.join(tmp, 'keys', 'gateway-signing-key.jwk.json');
  expect(fs.statSync(signingKeyFile).mode & 0o777).toBe(0o600);
  cliEnv = { API_KEYS_DATABASE_URL: database.url };
  graph = await startTestStack({
    database,
    env: {
      ...cliEnv,
      API_KEY_SIGNING_KEY_FILE: signingKeyFile,
      AUTH_GATEWAY_JWKS_FILE: path.join(tmp, 'keys', 'gateway.jwks.json'),
      // Every request asks the database, so a revocation shows at once here (30 s by default).
      API_KEY_CACHE_SECONDS: '0',
    },
  });
}, 300_000);
afterAll(async () => {
  await graph?.stop();
  await database?.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const MIXED = `{ measure(code: "VOP") { name dossiers(first: 2) { totalCount } } }`;
const body = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
const send = (headers: Record<string, string>, query = MIXED, variables: Record<string, unknown> = {}) =>
  post(graph.url, body(query, variables), headers);
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);

/** Issues a key with the CLI; returns the key (its stdout) and its id. */
async function create(client: string, scopes: string[], purpose = 'e2e dashboard refresh') {
  const res = await apikey(
    ['create', '--client', client, '--scopes', scopes.join(','), '--purpose', purpose, '--days', '30'],
    cliEnv,
  );
  expect(res.code, res.stderr).toBe(0);
  const key = res.stdout.trim();
  expect(key).toMatch(/^mgk_[0-9a-f]{16}_[\w-]{43}$/);
  return { key, keyId: key.slice(4, 20) };
}

describe('API keys at the gateway', () => {
  let reader: { key: string; keyId: string };
  beforeAll(async () => {
    reader = await create('powerbi', [SCOPES.dossiersRead]);
  }, 120_000);

  it('a key with dossiers:read reads dossiers, as Authorization: Bearer and as X-API-Key', async () => {
    const ways: Array<Record<string, string>> = [
      { authorization: `Bearer ${reader.key}` },
      { 'x-api-key': reader.key },
    ];
    for (const headers of ways) {
      const res = await send(headers);
      expect(res.errors, JSON.stringify(headers)).toBeUndefined();
      expect(res.data!.measure.dossiers.totalCount).toBeGreaterThan(0);
    }
  });

  it('a key without the scope is refused on that field with the code a token without it gets', async () => {
    const { key } = await create('grafana', [SCOPES.personsRead]);
    const byKey = await send({ 'x-api-key': key });
    const byToken = await send({ authorization: `Bearer ${await graph.token({ scopes: [SCOPES.personsRead] })}` });
    expect(byKey.status).toBe(200);
    expect(byKey.data!.measure).toEqual({ name: expect.any(String), dossiers: null });
    expect(byKey.errors).toEqual([
      expect.objectContaining({
        path: ['measure', 'dossiers'],
        extensions: expect.objectContaining({ code: 'FORBIDDEN', scope: 'dossiers:read' }),
      }),
    ]);
    expect(codes(byKey)).toEqual(codes(byToken));
  });

  const refused = async (headers: Record<string, string>) => {
    const res = await fetch(graph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: body(MIXED),
    });
    const parsed = (await res.json()) as GraphQLResponse;
    return {
      status: res.status,
      code: parsed.errors?.[0]?.extensions?.code,
      challenge: res.headers.get('www-authenticate'),
    };
  };

  it('an unknown key, or a known id with a wrong secret, is 401 API_KEY_INVALID with the challenge', async () => {
    const wrongSecret = `${reader.key.slice(0, 21)}${'A'.repeat(43)}`;
    for (const key of [`mgk_0000000000000000_${'A'.repeat(43)}`, wrongSecret, 'mgk_garbage']) {
      expect(await refused({ authorization: `Bearer ${key}` })).toEqual({
        status: 401,
        code: 'API_KEY_INVALID',
        challenge: expect.stringMatching(/^Bearer error="invalid_token", error_description="/),
      });
    }
  });

  it('an expired key is 401 API_KEY_EXPIRED', async () => {
    const store = new ApiKeyStore(database.url);
    try {
      // Issued 31 days ago for 30 days.
      const { key } = await store.create(
        { client: 'tableau', scopes: [SCOPES.dossiersRead], purpose: 'old extract', days: 30, maxDays: 365 },
        new Date(Date.now() - 31 * 86_400_000),
      );
      expect(await refused({ 'x-api-key': key })).toMatchObject({ status: 401, code: 'API_KEY_EXPIRED' });
    } finally {
      await store.close();
    }
  });

  it('a key revoked with the CLI is 401 API_KEY_REVOKED; list shows it revoked, its use, and no secret', async () => {
    const { key, keyId } = await create('excel', [SCOPES.dossiersRead]);
    expect((await send({ 'x-api-key': key })).errors).toBeUndefined();
    const revoked = await apikey(['revoke', keyId], cliEnv);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`Revoked ${keyId} (excel)`);
    expect(await refused({ 'x-api-key': key })).toMatchObject({ status: 401, code: 'API_KEY_REVOKED' });

    const listed = await apikey(['list', '--json'], cliEnv);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).not.toContain(key.slice(21));
    const keys = JSON.parse(listed.stdout) as Array<ApiKeyRecord & { state: string }>;
    const excel = keys.find((k) => k.keyId === keyId)!;
    expect(excel).toMatchObject({ client: 'excel', state: 'revoked', subject: `apikey:${keyId}` });
    expect(excel.lastUsedAt).not.toBeNull();
    expect(keys.find((k) => k.keyId === reader.keyId)).toMatchObject({ client: 'powerbi', state: 'active' });
  });

  it('a national number read with a key is logged with the key as subject and its purpose', async () => {
    const person = showcasePerson();
    const { key, keyId } = await create(
      'case-export',
      [SCOPES.personsRead, SCOPES.personIdentify],
      'monthly appeal export',
    );
    // The key's registered purpose is what counts; a header cannot replace it.
    const res = await send(
      { 'x-api-key': key, 'x-purpose': 'something else', 'x-request-id': 'api-key-e2e-1' },
      'query ($id: ID!) { person(id: $id) { nationalNumber } }',
      { id: person.id },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.person.nationalNumber).toMatch(/^\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}$/);
    const log = await graph.data(
      `query ($id: ID) { personalDataAccessLog(personId: $id, first: 50) { nodes { subject clientId purpose requestId } } }`,
      { id: person.id },
    );
    expect(log.personalDataAccessLog.nodes).toContainEqual({
      subject: `apikey:${keyId}`,
      clientId: 'case-export',
      purpose: 'monthly appeal export',
      requestId: 'api-key-e2e-1',
    });
  });

  it('a key in the URL of /graphql, or a key beside a token, is refused', async () => {
    const res = await fetch(`${graph.url}?query=${encodeURIComponent(MIXED)}&api_key=${reader.key}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as GraphQLResponse).errors![0]!.extensions!.code).toBe('API_KEY_IN_URL_NOT_ACCEPTED');
    const both = await refused({ authorization: `Bearer ${graph.allScopesToken}`, 'x-api-key': reader.key });
    expect(both).toMatchObject({ status: 400, code: 'AMBIGUOUS_CREDENTIALS' });
  });

  it('a token of the gateway issuer is for the subgraphs: a client presenting one is refused', async () => {
    const token = await signToken(readGatewaySigningKey(signingKeyFile), {
      subject: 'apikey:0000000000000000',
      scopes: [SCOPES.dossiersRead],
      issuer: GATEWAY_ISSUER,
      audience: TEST_AUDIENCE,
      ttlSeconds: 300,
    });
    expect(await refused({ authorization: `Bearer ${token}` })).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });
});

describe('npm run apikey', () => {
  it('refuses bad arguments with exit code 2 and a coded message, writing nothing', async () => {
    const before = JSON.parse((await apikey(['list', '--json'], cliEnv)).stdout) as unknown[];
    const cases: Array<[string[], RegExp]> = [
      [
        ['create', '--client', 'powerbi', '--scopes', 'dossiers:write', '--purpose', 'weekly refresh'],
        /^API_KEY_BAD_SCOPES: /,
      ],
      [
        ['create', '--client', 'powerbi', '--scopes', 'dossiers:read', '--purpose', 'weekly', '--days', '4000'],
        /^API_KEY_BAD_LIFETIME: .*API_KEY_MAX_DAYS/,
      ],
      [['create', '--client', 'powerbi'], /^API_KEY_BAD_ARGUMENT: create needs --scopes, --purpose/],
      [['revoke', 'not-an-id'], /^API_KEY_BAD_ARGUMENT: /],
      [['revoke', 'ffffffffffffffff'], /^API_KEY_NOT_FOUND: /],
      [['rotate'], /^API_KEY_BAD_ARGUMENT: unknown command "rotate"/],
    ];
    for (const [args, message] of cases) {
      const res = await apikey(args, cliEnv);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr, args.join(' ')).toMatch(message);
      expect(res.stdout).toBe('');
    }
    expect(JSON.parse((await apikey(['list', '--json'], cliEnv)).stdout)).toHaveLength(before.length);
  }, 180_000);

  it('on the embedded default: opens the data folder when nothing runs, connects to the running server otherwise', async () => {
    const env = { PGLITE_DATA_DIR: path.join(tmp, 'pglite') };
    const made = await apikey(
      ['create', '--client', 'powerbi', '--scopes', SCOPES.dossiersRead, '--purpose', 'local dashboard'],
      env,
    );
    expect(made.code, made.stderr).toBe(0);
    const keyId = made.stdout.trim().slice(4, 20);
    // As `npm start` does: the embedded server holds the folder, with its port and password files.
    const running = await startEmbeddedPostgres({ dataDir: env.PGLITE_DATA_DIR });
    try {
      const listed = await apikey(['list'], env);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toMatch(new RegExp(`running embedded database[\\s\\S]*${keyId}\\s+powerbi\\s+active`));
    } finally {
      await running.stop();
    }
  }, 180_000);
});

describe('on the embedded default, without configuration', () => {
  it('the gateway keeps keys in the embedded database and the subgraphs trust its generated key', async () => {
    const stack = await startStack({
      database: { embeddedDataDir: 'memory' },
      // No AUTH_*, no API_KEY_*: the development keys, made in a folder of this test's.
      env: { AUTH_DEV_KEYS_DIR: path.join(tmp, 'dev-auth'), USAGE_RECORDING: 'off', LOG_LEVEL: 'error' },
      seedProfile: null,
    });
    const store = new ApiKeyStore(stack.embeddedUrl!);
    try {
      const { key } = await store.create({
        client: 'powerbi',
        scopes: [SCOPES.auditRead],
        purpose: 'local audit report',
        days: 7,
        maxDays: 365,
      });
      // A protected field that answers on an empty database: the registry accepted the gateway's token.
      const LOG = '{ personalDataAccessLog(first: 1) { nodes { subject } } }';
      const res = await post(stack.url, body(LOG), { 'x-api-key': key });
      expect(res.errors, res.text).toBeUndefined();
      expect(res.data!.personalDataAccessLog).toEqual({ nodes: expect.any(Array) });
      expect(fs.statSync(path.join(tmp, 'dev-auth', 'gateway-signing-key.jwk.json')).mode & 0o777).toBe(0o600);
    } finally {
      await store.close();
      await stack.stop();
    }
  }, 300_000);
});
