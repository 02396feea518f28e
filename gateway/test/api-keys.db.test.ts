import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiKeyInputError,
  ApiKeyStore,
  createEphemeralKeys,
  createTokenVerifier,
  GATEWAY_ISSUER,
  parseApiKey,
  type AuthConfig,
} from '@measure-graph/auth';
import { createTestDatabase, type TestDatabase } from '@measure-graph/db/testing';
import { ApiKeyAuthenticator, type ApiKeyError } from '../src/api-keys.ts';

let db: TestDatabase;
let store: ApiKeyStore;
let sql: pg.Client;
const powerbi = {
  client: 'powerbi',
  scopes: ['dossiers:read'],
  purpose: 'monthly VOP dashboard',
  days: 90,
  maxDays: 365,
};

beforeAll(async () => {
  db = await createTestDatabase();
  store = new ApiKeyStore(db.url);
  await store.migrate();
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await store?.close();
  await db?.drop();
});

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (err) {
    return (err as ApiKeyError).code;
  }
  return 'accepted';
};

describe('API key store (schema access)', () => {
  it('keeps the SHA-256 of the secret only: the key appears nowhere in the table', async () => {
    const { key, record } = await store.create(powerbi);
    const parsed = parseApiKey(key)!;
    expect(parsed.keyId).toBe(record.keyId);
    // 32 random bytes in base64url.
    expect(Buffer.from(parsed.secret, 'base64url')).toHaveLength(32);
    const { rows } = await sql.query(
      `SELECT row_to_json(k)::text AS row, secret_sha256 FROM access.api_key k WHERE key_id = $1`,
      [record.keyId],
    );
    expect(rows[0].row).not.toContain(parsed.secret);
    expect(rows[0].row).not.toContain(key);
    expect(rows[0].secret_sha256).toBe(createHash('sha256').update(parsed.secret).digest('hex'));
    expect(record).toMatchObject({ client: 'powerbi', scopes: ['dossiers:read'], subject: `apikey:${record.keyId}` });
    expect(record.expiresAt.getTime() - record.createdAt.getTime()).toBe(90 * 86_400_000);
    // The list carries no hash either.
    const listed = (await store.list()).find((k) => k.keyId === record.keyId)!;
    expect(JSON.stringify(listed)).not.toContain(rows[0].secret_sha256);
  });

  it('refuses what a key cannot be issued with, writing nothing', async () => {
    const before = (await store.list()).length;
    const attempts = [
      { ...powerbi, scopes: ['dossiers:write'] },
      { ...powerbi, scopes: [] },
      { ...powerbi, client: 'Power BI' },
      { ...powerbi, purpose: 'x' },
      { ...powerbi, days: 366 },
      { ...powerbi, days: 0 },
    ];
    const codes = [];
    for (const attempt of attempts) {
      const err = await store.create(attempt).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiKeyInputError);
      codes.push((err as ApiKeyInputError).code);
    }
    expect(codes).toEqual([
      'API_KEY_BAD_SCOPES',
      'API_KEY_BAD_SCOPES',
      'API_KEY_BAD_CLIENT',
      'API_KEY_BAD_PURPOSE',
      'API_KEY_BAD_LIFETIME',
      'API_KEY_BAD_LIFETIME',
    ]);
    expect(await store.list()).toHaveLength(before);
  });

  it('revokes once: a second revocation keeps the first date; an unknown id is not found', async () => {
    const { record } = await store.create(powerbi);
    const first = await store.revoke(record.keyId, new Date('2026-01-01T00:00:00Z'));
    const again = await store.revoke(record.keyId, new Date('2026-02-01T00:00:00Z'));
    expect(first!.revokedAt!.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(again!.revokedAt!.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(await store.revoke('0000000000000000')).toBeUndefined();
  });

  it('writes last_used_at at most once a minute per key', async () => {
    const { record } = await store.create(powerbi);
    const t0 = new Date('2026-06-01T10:00:00Z');
    expect(await store.touch(record.keyId, t0)).toBe(true);
    expect(await store.touch(record.keyId, new Date(t0.getTime() + 59_000))).toBe(false);
    expect((await store.find(record.keyId))!.record.lastUsedAt!.toISOString()).toBe(t0.toISOString());
    expect(await store.touch(record.keyId, new Date(t0.getTime() + 60_000))).toBe(true);
    expect((await store.find(record.keyId))!.record.lastUsedAt!.getTime()).toBe(t0.getTime() + 60_000);
  });
});

describe('the gateway verifying keys against the store', () => {
  const signingKey = createEphemeralKeys();
  // What a subgraph verifies the forwarded token with: its identity provider's keys and the gateway's.
  const subgraphAuth: AuthConfig = {
    keys: { kind: 'set', jwks: createEphemeralKeys().jwks },
    issuer: 'https://idp.example',
    audience: 'measure-graph',
    clockSkewSeconds: 30,
    maxLifetimeSeconds: 3600,
    algorithms: ['ES256'],
    gateway: { jwks: signingKey.jwks },
  };
  let clock = Date.now();
  const authenticator = () =>
    new ApiKeyAuthenticator(store, { cacheSeconds: 30, signingKey, audience: 'measure-graph', now: () => clock });

  it('forwards a gateway token the subgraphs accept, with the key subject, client and scopes', async () => {
    const { key, record } = await store.create({ ...powerbi, scopes: ['dossiers:read', 'persons:read'] });
    const caller = await authenticator().verify(key);
    expect(caller.purpose).toBe('monthly VOP dashboard');
    const principal = await createTokenVerifier(subgraphAuth)(caller.authorization);
    expect(principal).toEqual({
      subject: `apikey:${record.keyId}`,
      clientId: 'powerbi',
      scopes: new Set(['dossiers:read', 'persons:read']),
    });
    // A gateway token is refused where the gateway's key is not trusted (the gateway's own front door).
    const { gateway: _trusted, ...withoutGateway } = subgraphAuth;
    await expect(createTokenVerifier(withoutGateway)(caller.authorization)).rejects.toThrow(/not valid/);
    // Its issuer is the gateway's, and it lives minutes.
    const payload = JSON.parse(Buffer.from(caller.authorization.split('.')[1]!, 'base64url').toString());
    expect(payload.iss).toBe(GATEWAY_ISSUER);
    expect(payload.exp - payload.iat).toBeLessThanOrEqual(300);
  });

  it('refuses unknown keys and wrong secrets as API_KEY_INVALID', async () => {
    const { key } = await store.create(powerbi);
    const auth = authenticator();
    const wrongSecret = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(await codeOf(auth.verify(wrongSecret))).toBe('API_KEY_INVALID');
    expect(await codeOf(auth.verify(`mgk_0000000000000000_${'A'.repeat(43)}`))).toBe('API_KEY_INVALID');
    expect(await codeOf(auth.verify('mgk_short'))).toBe('API_KEY_INVALID');
  });

  it('refuses an expired key as API_KEY_EXPIRED, checked on every request', async () => {
    const { key } = await store.create({ ...powerbi, days: 1 }, new Date(Date.now() - 86_400_000 + 5_000));
    clock = Date.now();
    const auth = authenticator();
    expect(await codeOf(auth.verify(key))).toBe('accepted');
    clock += 10_000;
    expect(await codeOf(auth.verify(key))).toBe('API_KEY_EXPIRED');
  });

  it('refuses a revoked key as API_KEY_REVOKED once its cache entry is older than the cache time', async () => {
    clock = Date.now();
    const { key, record } = await store.create(powerbi);
    const auth = authenticator();
    expect(await codeOf(auth.verify(key))).toBe('accepted');
    await store.revoke(record.keyId);
    // Within the cache time the gateway has not asked the database again...
    clock += 29_000;
    expect(await codeOf(auth.verify(key))).toBe('accepted');
    // ...after it, the revocation holds.
    clock += 2_000;
    expect(await codeOf(auth.verify(key))).toBe('API_KEY_REVOKED');
    // A fresh gateway refuses it at once.
    expect(await codeOf(authenticator().verify(key))).toBe('API_KEY_REVOKED');
  });

  it('records use at most once a minute, not on every request', async () => {
    clock = Date.now();
    const { key, record } = await store.create(powerbi);
    const auth = authenticator();
    for (let i = 0; i < 5; i++) await auth.verify(key);
    // The write is not awaited by the request: wait for it to land.
    const lastUsed = async () => (await store.find(record.keyId))!.record.lastUsedAt?.getTime();
    await expect.poll(lastUsed).toBe(clock);
    const first = clock;
    clock += 30_000;
    for (let i = 0; i < 5; i++) await auth.verify(key);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await lastUsed()).toBe(first);
    clock += 31_000;
    await auth.verify(key);
    await expect.poll(lastUsed).toBe(clock);
  });
});
