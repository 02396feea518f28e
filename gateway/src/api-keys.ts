import type { IncomingMessage } from 'node:http';
import {
  API_KEY_PREFIX,
  ApiKeyStore,
  AuthError,
  GATEWAY_ISSUER,
  LAST_USED_RESOLUTION_SECONDS,
  looksLikeApiKey,
  parseApiKey,
  purposeOf,
  secretMatches,
  signToken,
  type ApiKeyConfig,
  type ApiKeyRecord,
  type AuthConfig,
  type DevKeys,
  type Principal,
  type TokenVerifier,
} from '@measure-graph/auth';
import { HttpError } from '@measure-graph/subgraph-platform/http';
import { createLogger, describeError } from '@measure-graph/subgraph-platform/log';

const logger = createLogger('gateway');

/** Header a connector that sets one custom header sends its key in (e.g. Grafana's Infinity). */
export const API_KEY_HEADER = 'x-api-key';
/**
 * Query parameter for connectors that can set only a URL (Tableau's web data, Excel "From Web"
 * without headers). Accepted on GET /tables/* only: a URL lands in browser histories, proxy and
 * server logs, so the gateway's own logs redact it and nowhere else takes it.
 */
export const API_KEY_QUERY_PARAMETER = 'api_key';
/** Paths where the query parameter is accepted (the named tables, read with GET). */
export const TABLES_PATH_PREFIX = '/tables/';

/** A refused API key: 401 with its code, the same challenge as a refused token. */
export class ApiKeyError extends AuthError {
  constructor(
    readonly keyCode: 'API_KEY_INVALID' | 'API_KEY_EXPIRED' | 'API_KEY_REVOKED',
    message: string,
  ) {
    super(message, 401);
    this.name = 'ApiKeyError';
  }

  override get code(): string {
    return this.keyCode;
  }
}

/** Whether the request may carry its key in the URL: a GET of a named table. */
export const acceptsKeyInQuery = (req: IncomingMessage, url: URL): boolean =>
  req.method === 'GET' && url.pathname.startsWith(TABLES_PATH_PREFIX);

/**
 * The API key a request presents, if any: `Authorization: Bearer mgk_...`, `X-API-Key: mgk_...`,
 * or (only where `queryParameter` is true: GET /tables/*) `?api_key=mgk_...`. Two credentials at
 * once (a token and a key, or a key twice) are refused rather than one chosen silently, and so is a
 * key in the URL where it is not accepted (it would otherwise be ignored and the request anonymous).
 */
export function apiKeyFromRequest(
  req: IncomingMessage,
  url: URL,
  { queryParameter = acceptsKeyInQuery(req, url) }: { queryParameter?: boolean } = {},
): string | undefined {
  const presented: string[] = [];
  const authorization = req.headers.authorization?.trim();
  const bearer = authorization ? /^Bearer +(\S+)$/i.exec(authorization)?.[1] : undefined;
  if (bearer && looksLikeApiKey(bearer)) presented.push(bearer);
  const header = req.headers[API_KEY_HEADER];
  if (header !== undefined) {
    if (Array.isArray(header)) {
      throw new HttpError(400, 'AMBIGUOUS_CREDENTIALS', `Send one ${API_KEY_HEADER} header, not several`);
    }
    presented.push(header.trim());
  }
  const inQuery = url.searchParams.getAll(API_KEY_QUERY_PARAMETER);
  if (inQuery.length > 0 && !queryParameter) {
    throw new HttpError(
      400,
      'API_KEY_IN_URL_NOT_ACCEPTED',
      `The ${API_KEY_QUERY_PARAMETER} query parameter is accepted on GET ${TABLES_PATH_PREFIX}* only; send the key in the Authorization or ${API_KEY_HEADER} header`,
    );
  }
  presented.push(...inQuery.map((value) => value.trim()));
  if (presented.length === 0) return undefined;
  if (presented.length > 1 || (authorization && !bearer?.startsWith(API_KEY_PREFIX))) {
    throw new HttpError(400, 'AMBIGUOUS_CREDENTIALS', 'Send one credential: an access token or an API key, once');
  }
  return presented[0];
}

/** A caller the gateway has verified, and what it forwards to the subgraphs for it. */
export interface Caller {
  principal: Principal;
  /** The Authorization header sent to the subgraphs (which verify it again). */
  authorization: string;
  /** The purpose sent with it (x-purpose): the caller's for a token, the key's own for a key. */
  purpose?: string;
}

/** Lifetime of the tokens minted for API-key requests (at most), and the remaining life at which one is renewed. */
const MINTED_TTL_SECONDS = 300;
const RENEW_BELOW_SECONDS = 30;

/**
 * Verifies API keys for the gateway. A verified key is kept in memory for `cacheSeconds` (30 by
 * default), so a revocation takes effect within that; expiry is checked on every request. For each
 * key the gateway mints a short-lived token (5 min, reused until its last 30 s) signed with its
 * own key, which the subgraphs accept as issuer GATEWAY_ISSUER: they verify that token as they
 * verify an identity provider's, and never see the API key. last_used_at is written at most once
 * a minute per key, after the request, without waiting for it.
 */
export class ApiKeyAuthenticator {
  private readonly verified = new Map<string, { record: ApiKeyRecord; secretHash: string; until: number }>();
  private readonly lookups = new Map<string, Promise<{ record: ApiKeyRecord; secretHash: string } | undefined>>();
  private readonly minted = new Map<string, { authorization: string; expiresAt: number }>();
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly store: ApiKeyStore,
    private readonly options: {
      cacheSeconds: number;
      signingKey: DevKeys;
      audience: string;
      /** The subgraphs' AUTH_MAX_TOKEN_LIFETIME_SECONDS: a minted token never lives longer (5 min otherwise). */
      maxTokenSeconds?: number;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** The stored key, from the cache or the store (one lookup at a time per key). */
  private async lookup(keyId: string) {
    const cached = this.verified.get(keyId);
    if (cached && cached.until > this.now()) return cached;
    let pending = this.lookups.get(keyId);
    if (!pending) {
      pending = this.store.find(keyId).finally(() => this.lookups.delete(keyId));
      this.lookups.set(keyId, pending);
    }
    let found;
    try {
      found = await pending;
    } catch (err) {
      logger.warn('API key store unavailable', describeError(err));
      throw new AuthError('The API key store is unavailable', 503);
    }
    if (found) this.verified.set(keyId, { ...found, until: this.now() + this.options.cacheSeconds * 1000 });
    else this.verified.delete(keyId);
    return found;
  }

  async verify(key: string): Promise<Caller> {
    const parsed = parseApiKey(key);
    if (!parsed) throw new ApiKeyError('API_KEY_INVALID', 'The API key is not valid');
    const found = await this.lookup(parsed.keyId);
    // An unknown id and a wrong secret read the same: the answer tells a guesser nothing.
    if (!found || !secretMatches(parsed.secret, found.secretHash)) {
      throw new ApiKeyError('API_KEY_INVALID', 'The API key is not valid');
    }
    const { record } = found;
    if (record.revokedAt) throw new ApiKeyError('API_KEY_REVOKED', 'The API key has been revoked');
    const now = this.now();
    if (record.expiresAt.getTime() <= now) {
      throw new ApiKeyError('API_KEY_EXPIRED', `The API key expired on ${record.expiresAt.toISOString()}`);
    }
    this.recordUse(record.keyId, now);
    return {
      principal: { subject: record.subject, clientId: record.client, scopes: new Set(record.scopes) },
      authorization: await this.token(record, now),
      ...(purposeOf(record.purpose) ? { purpose: record.purpose } : {}),
    };
  }

  /** The forwarded token for a key: minted once and reused while it has more than a minute left. */
  private async token(record: ApiKeyRecord, now: number): Promise<string> {
    const cached = this.minted.get(record.keyId);
    if (cached && cached.expiresAt - now > RENEW_BELOW_SECONDS * 1000) return cached.authorization;
    // Never beyond the key's own expiry.
    const ttlSeconds = Math.max(
      1,
      Math.min(
        MINTED_TTL_SECONDS,
        this.options.maxTokenSeconds ?? MINTED_TTL_SECONDS,
        Math.floor((record.expiresAt.getTime() - now) / 1000),
      ),
    );
    const token = await signToken(this.options.signingKey, {
      subject: record.subject,
      scopes: record.scopes,
      clientId: record.client,
      purpose: record.purpose,
      issuer: GATEWAY_ISSUER,
      audience: this.options.audience,
      ttlSeconds,
    });
    const authorization = `Bearer ${token}`;
    this.minted.set(record.keyId, { authorization, expiresAt: now + ttlSeconds * 1000 });
    return authorization;
  }

  private recordUse(keyId: string, now: number): void {
    const last = this.touched.get(keyId);
    if (last !== undefined && now - last < LAST_USED_RESOLUTION_SECONDS * 1000) return;
    this.touched.set(keyId, now);
    this.store
      .touch(keyId, new Date(now))
      .catch((err) => logger.warn('API key use not recorded', { keyId, ...describeError(err) }));
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** The authenticator the configuration asks for, or null when API keys are off. */
export function createApiKeyAuthenticator(config: ApiKeyConfig, auth: AuthConfig): ApiKeyAuthenticator | null {
  if (!config.databaseUrl || !config.signingKey) return null;
  return new ApiKeyAuthenticator(new ApiKeyStore(config.databaseUrl, { applicationName: 'measure-graph-gateway' }), {
    cacheSeconds: config.cacheSeconds,
    signingKey: config.signingKey,
    audience: auth.audience,
    maxTokenSeconds: auth.maxLifetimeSeconds,
  });
}

/**
 * Who is calling: the API key the request presents (see apiKeyFromRequest), else its bearer token,
 * else nobody (null). A refused credential is an HttpError: 401 with its code and the RFC 6750
 * challenge, 503 when the keys to check it with cannot be had. Exported for every route of the
 * gateway (GraphQL, the named tables).
 */
export async function authenticateRequest(
  req: IncomingMessage,
  url: URL,
  verifiers: { token: TokenVerifier; apiKeys?: ApiKeyAuthenticator | null },
): Promise<Caller | null> {
  const key = apiKeyFromRequest(req, url);
  try {
    if (key !== undefined) {
      if (!verifiers.apiKeys) {
        throw new ApiKeyError('API_KEY_INVALID', 'This gateway takes no API keys (it has no key store configured)');
      }
      return await verifiers.apiKeys.verify(key);
    }
    const authorization = req.headers.authorization;
    const principal = await verifiers.token(authorization);
    return principal
      ? { principal, authorization: authorization!, purpose: purposeOf(req.headers['x-purpose']) }
      : null;
  } catch (err) {
    if (!(err instanceof AuthError)) throw err;
    throw new HttpError(
      err.status,
      err.code,
      err.message,
      // RFC 6750 challenge; the description is a quoted-string, so the reason's own quotes become single ones.
      err.status === 401
        ? { 'www-authenticate': `Bearer error="invalid_token", error_description="${err.message.replace(/"/g, "'")}"` }
        : {},
    );
  }
}
