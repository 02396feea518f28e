import { generateKeyPairSync, randomUUID } from 'node:crypto';
import path from 'node:path';
import { readOrCreatePrivateFile } from '@measure-graph/db';
import { importJWK, SignJWT, type JSONWebKeySet, type JWK } from 'jose';

/** The embedded default's signing key: a P-256 key made on first start, kept on this machine only. */
export interface DevKeys {
  /** Public half, what the gateway and subgraphs verify with. */
  jwks: JSONWebKeySet;
  privateJwk: JWK;
}

const FILE = 'signing-key.jwk.json';

/** A new P-256 signing key (private JWK with a random kid). */
export function newPrivateJwk(): JWK {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: randomUUID(), alg: 'ES256', use: 'sig' };
}

export const publicHalf = ({ d: _private, ...rest }: JWK): JWK => rest;

/**
 * Reads the development key from `dir`, making it the first time (file mode 0600, created
 * exclusively so two processes starting together agree on one key).
 */
export function loadOrCreateDevKeys(dir: string): DevKeys {
  const privateJwk = JSON.parse(
    readOrCreatePrivateFile(path.join(dir, FILE), () => JSON.stringify(newPrivateJwk())),
  ) as JWK;
  return { privateJwk, jwks: { keys: [publicHalf(privateJwk)] } };
}

/** An in-memory key pair (tests): same shape, nothing written. */
export function createEphemeralKeys(): DevKeys {
  const privateJwk = newPrivateJwk();
  return { privateJwk, jwks: { keys: [publicHalf(privateJwk)] } };
}

export interface TokenClaims {
  subject: string;
  scopes: readonly string[];
  issuer: string;
  audience: string;
  /** Lifetime in seconds (negative gives an already expired token, for tests). */
  ttlSeconds: number;
  clientId?: string;
  /** Seconds added to the issue time (a positive one gives a token issued in the future, for tests). */
  issuedAtOffsetSeconds?: number;
  /** The purpose an API key was issued for (tokens the gateway mints for a key carry it, for the record). */
  purpose?: string;
}

/** Signs an access token with a key pair of ours (development, tests, and the gateway's tokens for API keys). */
export async function signToken(keys: DevKeys, claims: TokenClaims): Promise<string> {
  const key = await importJWK(keys.privateJwk, 'ES256');
  const now = Math.floor(Date.now() / 1000) + (claims.issuedAtOffsetSeconds ?? 0);
  return new SignJWT({
    scope: claims.scopes.join(' '),
    ...(claims.clientId ? { azp: claims.clientId } : {}),
    ...(claims.purpose ? { purpose: claims.purpose } : {}),
  })
    .setProtectedHeader({ alg: 'ES256', kid: keys.privateJwk.kid!, typ: 'at+jwt' })
    .setSubject(claims.subject)
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + claims.ttlSeconds)
    .setJti(randomUUID())
    .sign(key);
}
