import fs from 'node:fs';
import path from 'node:path';
import { intVar, repoRoot, urlVar } from '@measure-graph/db';
import type { JSONWebKeySet } from 'jose';
import { loadOrCreateDevKeys, type DevKeys } from './dev-keys.ts';
import { loadOrCreateDevGatewayKey, readGatewaySigningKey } from './gateway-keys.ts';

/** How bearer tokens are verified; the gateway and every subgraph read the same variables. */
export interface AuthConfig {
  /** Where the verification keys come from: an issuer's JWKS endpoint or a key set held locally. */
  keys: { kind: 'url'; url: string } | { kind: 'set'; jwks: JSONWebKeySet };
  issuer: string;
  audience: string;
  /** Leeway for exp/nbf/iat between our clock and the issuer's. */
  clockSkewSeconds: number;
  /** Longest lifetime accepted (exp - iat): a stolen long-lived token is refused. */
  maxLifetimeSeconds: number;
  /** Signature algorithms accepted; `none` and HMAC never are (a public key set cannot verify them). */
  algorithms: string[];
  /** Set when the embedded default's development keys are in use (never in production). */
  dev?: DevKeys;
  /**
   * The gateway's public key, when set: tokens of GATEWAY_ISSUER (minted by the gateway for a
   * request authenticated with an API key) are accepted with it (AUTH_GATEWAY_JWKS_FILE).
   */
  gateway?: { jwks: JSONWebKeySet };
}

export const DEV_ISSUER = 'urn:measure-graph:dev';
export const DEV_AUDIENCE = 'measure-graph';
const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$/;

/** Folder of the development signing key (beside the embedded database's files). */
export const devKeysDir = (env: NodeJS.ProcessEnv): string =>
  path.resolve(env.AUTH_DEV_KEYS_DIR || path.join(repoRoot, '.data', 'dev-auth'));

function readJwks(file: string, problems: string[], variable = 'AUTH_JWKS_FILE'): JSONWebKeySet | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as JSONWebKeySet;
    if (!Array.isArray(parsed.keys) || parsed.keys.length === 0) throw new Error('no "keys" array');
    if (parsed.keys.some((k) => 'd' in k)) throw new Error('it holds a private key; publish public keys only');
    return parsed;
  } catch (err) {
    problems.push(`${variable}: cannot use ${file}: ${(err as Error).message}`);
    return undefined;
  }
}

/**
 * Reads the token verification settings, adding to `problems` instead of throwing. Without a key
 * set, and outside production, the embedded default signs and verifies with a development key kept
 * in AUTH_DEV_KEYS_DIR (`npm run token` issues tokens with it); production must name its issuer's keys.
 */
export function readAuthConfig(env: NodeJS.ProcessEnv, problems: string[]): AuthConfig {
  const production = env.NODE_ENV === 'production';
  const clockSkewSeconds = intVar(env, 'AUTH_CLOCK_SKEW_SECONDS', 30, problems, { max: 300 });
  const maxLifetimeSeconds = intVar(env, 'AUTH_MAX_TOKEN_LIFETIME_SECONDS', 86_400, problems, {
    min: 60,
    max: 30 * 86_400,
  });
  const algorithms = (env.AUTH_ALGORITHMS || 'RS256,PS256,ES256,EdDSA')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  for (const alg of algorithms) {
    if (!ASYMMETRIC.test(alg)) problems.push(`AUTH_ALGORITHMS: "${alg}" is not an accepted asymmetric algorithm`);
  }
  const url = env.AUTH_JWKS_URL;
  const file = env.AUTH_JWKS_FILE;
  const gatewayJwks = env.AUTH_GATEWAY_JWKS_FILE
    ? readJwks(path.resolve(env.AUTH_GATEWAY_JWKS_FILE), problems, 'AUTH_GATEWAY_JWKS_FILE')
    : undefined;
  const gateway = gatewayJwks ? { gateway: { jwks: gatewayJwks } } : {};
  if (url && file) problems.push('Set AUTH_JWKS_URL or AUTH_JWKS_FILE, not both');
  if (url || file) {
    for (const name of ['AUTH_ISSUER', 'AUTH_AUDIENCE']) {
      if (!env[name]) problems.push(`${name} is required with ${url ? 'AUTH_JWKS_URL' : 'AUTH_JWKS_FILE'}`);
    }
    if (url && !(URL.canParse(url) && /^https?:$/.test(new URL(url).protocol)))
      problems.push(`AUTH_JWKS_URL must be an http(s) URL, got "${url}"`);
    else if (url && production && new URL(url).protocol !== 'https:')
      problems.push('AUTH_JWKS_URL must use https in production');
    const jwks = file ? readJwks(path.resolve(file), problems) : undefined;
    return {
      keys: url ? { kind: 'url', url } : { kind: 'set', jwks: jwks ?? { keys: [] } },
      issuer: env.AUTH_ISSUER ?? '',
      audience: env.AUTH_AUDIENCE ?? '',
      clockSkewSeconds,
      maxLifetimeSeconds,
      algorithms,
      ...gateway,
    };
  }
  // The development key only where NODE_ENV says development or test (or nothing): a deployment
  // that names itself anything else (production, staging, prod ...) must name its issuer's keys.
  const development = ['', 'development', 'test'].includes(env.NODE_ENV ?? '');
  if (!development) {
    problems.push(
      `AUTH_JWKS_URL (or AUTH_JWKS_FILE) with AUTH_ISSUER and AUTH_AUDIENCE is required with NODE_ENV=${env.NODE_ENV}`,
    );
  }
  let dev: DevKeys | undefined;
  let devGateway: DevKeys | undefined;
  if (development) {
    try {
      dev = loadOrCreateDevKeys(devKeysDir(env));
      // The embedded default's gateway key too, so API keys work there without configuration.
      if (!gatewayJwks) devGateway = loadOrCreateDevGatewayKey(devKeysDir(env));
    } catch (err) {
      problems.push(`AUTH_DEV_KEYS_DIR: cannot use the development key: ${(err as Error).message}`);
    }
  }
  return {
    keys: { kind: 'set', jwks: dev?.jwks ?? { keys: [] } },
    issuer: DEV_ISSUER,
    audience: DEV_AUDIENCE,
    clockSkewSeconds,
    maxLifetimeSeconds,
    algorithms: ['ES256'],
    ...(dev ? { dev } : {}),
    ...(devGateway ? { gateway: { jwks: devGateway.jwks } } : gateway),
  };
}

/** API keys of machine clients, on the gateway and in `npm run apikey`. */
export interface ApiKeyConfig {
  /** Where keys are kept (schema `access`): API_KEYS_DATABASE_URL, else DATABASE_URL; unset: API keys off. */
  databaseUrl?: string;
  /** Longest lifetime a key is issued with (API_KEY_MAX_DAYS). */
  maxDays: number;
  /** How long a verified key is trusted without asking the database (API_KEY_CACHE_SECONDS): revocation's delay. */
  cacheSeconds: number;
  /** The key the gateway signs its tokens for API-key requests with; unset: API keys off. */
  signingKey?: DevKeys;
}

/**
 * Reads the API-key settings. The gateway takes keys when it has a database for them and a key to
 * sign the subgraphs' tokens with: API_KEY_SIGNING_KEY_FILE, or on the embedded default its
 * generated one (the one `auth.gateway` holds the public half of).
 */
export function readApiKeyConfig(env: NodeJS.ProcessEnv, problems: string[], auth?: AuthConfig): ApiKeyConfig {
  const databaseUrl = urlVar(env, 'API_KEYS_DATABASE_URL', problems) ?? urlVar(env, 'DATABASE_URL', []);
  const maxDays = intVar(env, 'API_KEY_MAX_DAYS', 365, problems, { min: 1, max: 3650 });
  const cacheSeconds = intVar(env, 'API_KEY_CACHE_SECONDS', 30, problems, { max: 300 });
  let signingKey: DevKeys | undefined;
  if (env.API_KEY_SIGNING_KEY_FILE) {
    try {
      signingKey = readGatewaySigningKey(path.resolve(env.API_KEY_SIGNING_KEY_FILE));
    } catch (err) {
      problems.push(`API_KEY_SIGNING_KEY_FILE: cannot use ${env.API_KEY_SIGNING_KEY_FILE}: ${(err as Error).message}`);
    }
    if (!databaseUrl) problems.push('API_KEY_SIGNING_KEY_FILE needs API_KEYS_DATABASE_URL (or DATABASE_URL)');
  } else if (auth?.dev) {
    try {
      signingKey = loadOrCreateDevGatewayKey(devKeysDir(env));
    } catch (err) {
      problems.push(`AUTH_DEV_KEYS_DIR: cannot use the gateway key: ${(err as Error).message}`);
    }
  }
  return { ...(databaseUrl ? { databaseUrl } : {}), maxDays, cacheSeconds, ...(signingKey ? { signingKey } : {}) };
}
