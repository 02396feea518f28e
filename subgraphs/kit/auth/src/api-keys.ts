import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createDataSource, openAndMigrate } from '@measure-graph/db';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { ALL_SCOPES, purposeOf } from './scopes.ts';

/**
 * API keys: long-lived credentials of machine clients (BI connectors) that can send only one static
 * header or one URL. A key reads `mgk_<keyId>_<secret>`: the prefix makes a leaked key recognisable
 * (secret scanners, our log redaction), the id finds its row, the secret (256 random bits) proves it.
 */
export const API_KEY_PREFIX = 'mgk_';
const KEY_PATTERN = /^mgk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
/** Anything that looks like a key, well formed or not: what the gateway takes for one (not a JWT). */
export const looksLikeApiKey = (credential: string): boolean => credential.startsWith(API_KEY_PREFIX);

/** Subject of the tokens the gateway mints for a key, and of its personal-data log entries. */
export const apiKeySubject = (keyId: string): string => `apikey:${keyId}`;

export interface ParsedApiKey {
  keyId: string;
  secret: string;
}

/** Splits a presented key; undefined when it is not one of ours (wrong length, alphabet, prefix). */
export function parseApiKey(key: string): ParsedApiKey | undefined {
  const match = KEY_PATTERN.exec(key);
  return match ? { keyId: match[1]!, secret: match[2]! } : undefined;
}

/**
 * SHA-256 of the secret, what is stored. A slow password hash (bcrypt, scrypt) protects secrets a
 * person chose, which can be guessed; this one has 256 random bits, so no guessing succeeds whatever
 * the hash costs, and a fast hash keeps a key check from costing the gateway ~100 ms of CPU per
 * cache miss (which anyone could trigger with made-up keys).
 */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** A new key: its id and the full key, shown once. */
export function generateApiKey(): { keyId: string; key: string; secretHash: string } {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { keyId, key: `${API_KEY_PREFIX}${keyId}_${secret}`, secretHash: hashSecret(secret) };
}

/** Whether a presented secret is the one whose hash is stored (constant time). */
export function secretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** A key as stored; never its secret. */
export interface ApiKeyRecord {
  keyId: string;
  client: string;
  scopes: string[];
  purpose: string;
  subject: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** A refused request to the store: the CLI prints the code and exits 2. */
export class ApiKeyInputError extends Error {
  constructor(
    readonly code: 'API_KEY_BAD_CLIENT' | 'API_KEY_BAD_SCOPES' | 'API_KEY_BAD_PURPOSE' | 'API_KEY_BAD_LIFETIME',
    message: string,
  ) {
    super(message);
    this.name = 'ApiKeyInputError';
  }
}

export interface NewApiKey {
  client: string;
  scopes: readonly string[];
  purpose: string;
  /** Lifetime in days, 1 to `maxDays`. */
  days: number;
  maxDays: number;
}

/** Checks what a key is issued with, reporting every problem at once. */
export function checkNewApiKey(input: NewApiKey): void {
  const problems: ApiKeyInputError[] = [];
  if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(input.client)) {
    problems.push(
      new ApiKeyInputError(
        'API_KEY_BAD_CLIENT',
        `client must be 1 to 63 lower-case letters, digits, ".", "_" or "-" (e.g. powerbi), got "${input.client}"`,
      ),
    );
  }
  const unknown = input.scopes.filter((s) => !(ALL_SCOPES as readonly string[]).includes(s));
  if (input.scopes.length === 0 || unknown.length > 0) {
    problems.push(
      new ApiKeyInputError(
        'API_KEY_BAD_SCOPES',
        `${unknown.length > 0 ? `unknown scope ${unknown.map((s) => `"${s}"`).join(', ')}` : 'at least one scope is needed'}; scopes: ${ALL_SCOPES.join(', ')}`,
      ),
    );
  }
  if (purposeOf(input.purpose) !== input.purpose) {
    problems.push(
      new ApiKeyInputError(
        'API_KEY_BAD_PURPOSE',
        'purpose must be 3 to 200 printable characters without leading or trailing spaces (it is logged with every personal-data read)',
      ),
    );
  }
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > input.maxDays) {
    problems.push(
      new ApiKeyInputError(
        'API_KEY_BAD_LIFETIME',
        `days must be a whole number from 1 to ${input.maxDays} (API_KEY_MAX_DAYS), got "${input.days}"`,
      ),
    );
  }
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new ApiKeyInputError(problems[0]!.code, problems.map((p) => p.message).join('; '));
}

const S = 'access';

/** The key table. Only the secret's hash is kept; revocation is a date, so a revoked key stays listed. */
class AccessApiKeys1765900000000 implements MigrationInterface {
  name = 'AccessApiKeys1765900000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`
      CREATE TABLE ${S}.api_key (
        key_id text PRIMARY KEY CHECK (key_id ~ '^[0-9a-f]{16}$'),
        secret_sha256 text NOT NULL CHECK (secret_sha256 ~ '^[0-9a-f]{64}$'),
        client text NOT NULL CHECK (length(client) BETWEEN 1 AND 63),
        scopes text[] NOT NULL CHECK (cardinality(scopes) > 0),
        purpose text NOT NULL CHECK (length(purpose) BETWEEN 3 AND 200),
        subject text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        last_used_at timestamptz,
        CHECK (expires_at > created_at)
      )`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE ${S}.api_key`);
  }
}

export const API_KEY_MIGRATIONS = [AccessApiKeys1765900000000];

interface Row {
  key_id: string;
  secret_sha256: string;
  client: string;
  scopes: string[];
  purpose: string;
  subject: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const COLUMNS =
  'key_id, secret_sha256, client, scopes, purpose, subject, created_at, expires_at, revoked_at, last_used_at';

const recordOf = (row: Row): ApiKeyRecord => ({
  keyId: row.key_id,
  client: row.client,
  scopes: row.scopes,
  purpose: row.purpose,
  subject: row.subject,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
});

/** How often last_used_at is written per key at most: a busy connector costs one write a minute. */
export const LAST_USED_RESOLUTION_SECONDS = 60;

/**
 * All SQL about API keys, in the schema `access` of the database the gateway is given
 * (API_KEYS_DATABASE_URL, else DATABASE_URL, else the embedded one). The schema is migrated on
 * first use, by the gateway or by `npm run apikey`, whichever comes first.
 */
export class ApiKeyStore {
  private readonly ds: DataSource;
  private ready: Promise<void> | undefined;

  constructor(url: string, options: { poolSize?: number; connectTimeoutMs?: number; applicationName?: string } = {}) {
    this.ds = createDataSource({
      url,
      schema: S,
      migrations: API_KEY_MIGRATIONS,
      poolSize: options.poolSize ?? 2,
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      applicationName: options.applicationName ?? 'measure-graph-access',
    });
  }

  /** Opens the pool and applies pending migrations, once; a failure is retried on the next call. */
  migrate(): Promise<void> {
    this.ready ??= openAndMigrate(this.ds, S).catch((err) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  private async query<T>(sql: string, params: unknown[]): Promise<T[]> {
    await this.migrate();
    return (await this.ds.query(sql, params)) as T[];
  }

  /** Issues a key: the row keeps the secret's hash only; the returned key is the one copy of it. */
  async create(input: NewApiKey, now = new Date()): Promise<{ key: string; record: ApiKeyRecord }> {
    checkNewApiKey(input);
    const { keyId, key, secretHash } = generateApiKey();
    const expiresAt = new Date(now.getTime() + input.days * 86_400_000);
    const [row] = await this.query<Row>(
      `INSERT INTO ${S}.api_key (key_id, secret_sha256, client, scopes, purpose, subject, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [
        keyId,
        secretHash,
        input.client,
        [...new Set(input.scopes)],
        input.purpose,
        apiKeySubject(keyId),
        now,
        expiresAt,
      ],
    );
    return { key, record: recordOf(row!) };
  }

  /** The stored key and its secret's hash (the gateway compares it), or undefined. */
  async find(keyId: string): Promise<{ record: ApiKeyRecord; secretHash: string } | undefined> {
    const [row] = await this.query<Row>(`SELECT ${COLUMNS} FROM ${S}.api_key WHERE key_id = $1`, [keyId]);
    return row ? { record: recordOf(row), secretHash: row.secret_sha256 } : undefined;
  }

  /** Every key, newest first, without secrets. */
  async list(): Promise<ApiKeyRecord[]> {
    const rows = await this.query<Row>(`SELECT ${COLUMNS} FROM ${S}.api_key ORDER BY created_at DESC, key_id`, []);
    return rows.map(recordOf);
  }

  /**
   * Revokes a key; revoking it again keeps the first date. Resolves to the key, or undefined when
   * there is no such key.
   */
  async revoke(keyId: string, now = new Date()): Promise<ApiKeyRecord | undefined> {
    const [row] = await this.query<Row>(
      // In a CTE: TypeORM hands back an UPDATE's rows wrapped with its count, a SELECT's as they are.
      `WITH revoked AS (
         UPDATE ${S}.api_key SET revoked_at = coalesce(revoked_at, $2) WHERE key_id = $1 RETURNING ${COLUMNS}
       ) SELECT * FROM revoked`,
      [keyId, now],
    );
    return row ? recordOf(row) : undefined;
  }

  /**
   * Records a use, unless one was recorded less than a minute before: the condition is in the
   * statement, so several gateways sharing the database write at most once a minute per key too.
   * Resolves to whether it wrote.
   */
  async touch(keyId: string, now = new Date()): Promise<boolean> {
    const rows = await this.query<{ key_id: string }>(
      `WITH used AS (
         UPDATE ${S}.api_key SET last_used_at = $2
          WHERE key_id = $1 AND (last_used_at IS NULL OR last_used_at <= $2::timestamptz - make_interval(secs => $3))
          RETURNING key_id
       ) SELECT * FROM used`,
      [keyId, now, LAST_USED_RESOLUTION_SECONDS],
    );
    return rows.length > 0;
  }

  async close(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}
