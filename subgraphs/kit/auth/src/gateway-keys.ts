import path from 'node:path';
import { readOrCreatePrivateFile, readPrivateFile } from '@measure-graph/db';
import type { JWK } from 'jose';
import { newPrivateJwk, publicHalf, type DevKeys } from './dev-keys.ts';

/**
 * Issuer of the short-lived tokens the gateway mints for a request authenticated with an API key.
 * The subgraphs verify every forwarded Authorization again; they accept this issuer only with the
 * gateway's public key (AUTH_GATEWAY_JWKS_FILE, or the embedded default's generated one), never with
 * the identity provider's, and the gateway itself never accepts it from a client.
 */
export const GATEWAY_ISSUER = 'urn:measure-graph:gateway';

const DEV_FILE = 'gateway-signing-key.jwk.json';

/** The embedded default's gateway key, made (mode 0600) beside its development key on first use. */
export function loadOrCreateDevGatewayKey(devKeysDir: string): DevKeys {
  const privateJwk = JSON.parse(
    readOrCreatePrivateFile(path.join(devKeysDir, DEV_FILE), () => JSON.stringify(newPrivateJwk())),
  ) as JWK;
  return { privateJwk, jwks: { keys: [publicHalf(privateJwk)] } };
}

/** A gateway signing key from a private JWK file (API_KEY_SIGNING_KEY_FILE): P-256, owner-only. */
export function readGatewaySigningKey(file: string): DevKeys {
  const privateJwk = JSON.parse(readPrivateFile(file)) as JWK;
  if (privateJwk.kty !== 'EC' || privateJwk.crv !== 'P-256' || typeof privateJwk.d !== 'string') {
    throw new Error('it must hold a private P-256 key as a JWK (kty EC, crv P-256, with "d")');
  }
  if (!privateJwk.kid) throw new Error('the key needs a "kid"');
  return { privateJwk: { ...privateJwk, alg: 'ES256' }, jwks: { keys: [publicHalf({ ...privateJwk, alg: 'ES256' })] } };
}

/** A new gateway key pair for `npm run apikey -- signing-key`: the private JWK and the public JWKS. */
export function newGatewayKeyPair(): { privateJwk: JWK; publicJwks: { keys: JWK[] } } {
  const privateJwk = newPrivateJwk();
  return { privateJwk, publicJwks: { keys: [publicHalf(privateJwk)] } };
}
