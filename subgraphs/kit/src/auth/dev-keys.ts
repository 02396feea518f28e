import { generateKeyPairSync, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { importJWK, SignJWT, type JSONWebKeySet, type JWK } from 'jose';

/** The embedded default's signing key: a P-256 key made on first start, kept on this machine only. */
export interface DevKeys {
  /** Public half, what the gateway and subgraphs verify with. */
  jwks: JSONWebKeySet;
  privateJwk: JWK;
}

const FILE = 'signing-key.jwk.json';

function newPrivateJwk(): JWK {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: randomUUID(), alg: 'ES256', use: 'sig' };
}

const publicHalf = ({ d: _private, ...rest }: JWK): JWK => rest;

/**
 * Reads the development key from `dir`, making it the first time (file mode 0600, created
 * exclusively so two processes starting together agree on one key).
 */
export function loadOrCreateDevKeys(dir: string): DevKeys {
  const file = path.join(dir, FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Written whole to a private temporary file, then linked into place: a process starting at the
    // same moment sees either no key or the complete one, and the first link wins.
    const temporary = path.join(dir, `.${FILE}.${process.pid}.${randomUUID()}`);
    fs.writeFileSync(temporary, JSON.stringify(newPrivateJwk()), { flag: 'wx', mode: 0o600 });
    try {
      fs.linkSync(temporary, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(temporary, { force: true });
    }
  }
  if ((fs.statSync(file).mode & 0o077) !== 0) {
    throw new Error(`${file} must be readable by its owner only (chmod 600)`);
  }
  const privateJwk = JSON.parse(fs.readFileSync(file, 'utf8')) as JWK;
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
}

/** Signs an access token with a key pair of ours (development and tests only). */
export async function signToken(keys: DevKeys, claims: TokenClaims): Promise<string> {
  const key = await importJWK(keys.privateJwk, 'ES256');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: claims.scopes.join(' '), ...(claims.clientId ? { azp: claims.clientId } : {}) })
    .setProtectedHeader({ alg: 'ES256', kid: keys.privateJwk.kid!, typ: 'at+jwt' })
    .setSubject(claims.subject)
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + claims.ttlSeconds)
    .setJti(randomUUID())
    .sign(key);
}
