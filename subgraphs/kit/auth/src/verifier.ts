import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { AuthConfig } from './config.ts';
import { GATEWAY_ISSUER } from './gateway-keys.ts';
import { scopesOf, type Principal } from './scopes.ts';

/**
 * A refused credential. `status` 401 is the caller's problem (bad, expired, foreign token); 503
 * means the issuer's key set could not be fetched, which no client can fix.
 */
export class AuthError extends Error {
  constructor(
    message: string,
    readonly status: 401 | 503 = 401,
  ) {
    super(message);
    this.name = 'AuthError';
  }

  get code(): string {
    return this.status === 401 ? 'UNAUTHENTICATED' : 'AUTH_UNAVAILABLE';
  }
}

/** Verifies an Authorization header; resolves to null when there is none (an anonymous caller). */
export type TokenVerifier = (authorization: string | undefined) => Promise<Principal | null>;

/** What is wrong with the token itself (the caller's problem: 401). */
const TOKEN_ERRORS = [
  errors.JWSInvalid,
  errors.JWTInvalid,
  errors.JWSSignatureVerificationFailed,
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
  errors.JOSEAlgNotAllowed,
  errors.JOSENotSupported,
  errors.JWKInvalid,
];

/**
 * Token problems are 401 with the reason; a key set that cannot be fetched or read (timeout,
 * network, a non-200 answer, bad JSON) is 503; anything else is a bug and is rethrown (500).
 */
function reason(err: unknown): AuthError {
  if (err instanceof errors.JWTExpired) return new AuthError('The access token has expired');
  if (err instanceof errors.JWTClaimValidationFailed) {
    return new AuthError(`The access token's "${err.claim}" claim is not accepted`);
  }
  if (TOKEN_ERRORS.some((type) => err instanceof type)) return new AuthError('The access token is not valid');
  if (err instanceof errors.JOSEError || (err instanceof TypeError && /fetch/i.test(err.message))) {
    return new AuthError('The identity provider keys are unavailable', 503);
  }
  throw err;
}

/**
 * One verifier per process: the remote key set is cached and refetched at most every 30 s when a
 * token names a key it does not know (key rotation).
 */
export function createTokenVerifier(config: AuthConfig): TokenVerifier {
  const keys: JWTVerifyGetKey =
    config.keys.kind === 'url'
      ? createRemoteJWKSet(new URL(config.keys.url), {
          timeoutDuration: 5_000,
          cooldownDuration: 30_000,
          cacheMaxAge: 600_000,
        })
      : createLocalJWKSet(config.keys.jwks);
  const gatewayKeys = config.gateway ? createLocalJWKSet(config.gateway.jwks) : undefined;
  return async (authorization) => {
    if (authorization === undefined || authorization.trim() === '') return null;
    const match = /^Bearer +([\w-]+\.[\w-]+\.[\w-]+)$/i.exec(authorization.trim());
    if (!match) throw new AuthError('The Authorization header must be "Bearer <access token>"');
    // A token of the gateway's (for a request made with an API key) is checked with the gateway's
    // key only, and the identity provider's with its keys only: neither key can sign for the other.
    // The claim read here unverified only chooses the key; the verification then requires it.
    let fromGateway = false;
    try {
      fromGateway = gatewayKeys !== undefined && decodeJwt(match[1]!).iss === GATEWAY_ISSUER;
    } catch {
      // Not decodable: jwtVerify below says why.
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(match[1]!, fromGateway ? gatewayKeys! : keys, {
        issuer: fromGateway ? GATEWAY_ISSUER : config.issuer,
        audience: config.audience,
        clockTolerance: config.clockSkewSeconds,
        algorithms: fromGateway ? ['ES256'] : config.algorithms,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (err) {
      throw reason(err);
    }
    // A token issued in the future or living longer than allowed is refused: both are what a forged
    // or stolen long-lived token looks like, and jose checks neither.
    const now = Math.floor(Date.now() / 1000);
    if (typeof payload.iat === 'number' && payload.iat > now + config.clockSkewSeconds) {
      throw new AuthError(`The access token's "iat" claim is in the future`);
    }
    const issuedAt = typeof payload.iat === 'number' ? payload.iat : now;
    if (payload.exp! - issuedAt > config.maxLifetimeSeconds + config.clockSkewSeconds) {
      throw new AuthError(`The access token lives longer than ${config.maxLifetimeSeconds} s`);
    }
    // jose checks that sub is present; an empty subject could not be audited.
    if (typeof payload.sub !== 'string' || payload.sub.trim() === '') {
      throw new AuthError(`The access token's "sub" claim is not accepted`);
    }
    const clientId = typeof payload.azp === 'string' ? payload.azp : payload.client_id;
    return {
      subject: payload.sub,
      ...(typeof clientId === 'string' ? { clientId } : {}),
      scopes: scopesOf(payload),
    };
  };
}
