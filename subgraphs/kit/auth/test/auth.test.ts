import { createHmac } from 'node:crypto';
import { SignJWT, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  AuthError,
  createEphemeralKeys,
  createTokenVerifier,
  GATEWAY_ISSUER,
  purposeOf,
  signToken,
  type AuthConfig,
} from '../src/index.ts';

const keys = createEphemeralKeys();
const config: AuthConfig = {
  keys: { kind: 'set', jwks: keys.jwks },
  issuer: 'https://idp.example',
  audience: 'measure-graph',
  clockSkewSeconds: 30,
  maxLifetimeSeconds: 3600,
  algorithms: ['ES256'],
};
const verify = createTokenVerifier(config);
const claims = {
  subject: 'alice',
  scopes: ['dossiers:read'],
  issuer: config.issuer,
  audience: config.audience,
  ttlSeconds: 60,
};
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

async function refusal(header: string | undefined): Promise<AuthError> {
  const err = await verify(header).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthError);
  return err as AuthError;
}

describe('token verification', () => {
  it('turns a valid token into the caller: subject, client, scopes', async () => {
    const token = await signToken(keys, {
      ...claims,
      clientId: 'bi-portal',
      scopes: ['dossiers:read', 'persons:read'],
    });
    const principal = await verify(`Bearer ${token}`);
    expect(principal).toEqual({
      subject: 'alice',
      clientId: 'bi-portal',
      scopes: new Set(['dossiers:read', 'persons:read']),
    });
  });

  it('reads scopes given as an scp array too, and treats no header as an anonymous caller', async () => {
    const key = await importJWK(keys.privateJwk, 'ES256');
    const token = await new SignJWT({ scp: ['inspections:read'] })
      .setProtectedHeader({ alg: 'ES256', kid: keys.privateJwk.kid! })
      .setSubject('svc')
      .setIssuer(config.issuer)
      .setAudience(config.audience)
      .setExpirationTime(now() + 60)
      .sign(key);
    expect((await verify(`Bearer ${token}`))!.scopes).toEqual(new Set(['inspections:read']));
    expect(await verify(undefined)).toBeNull();
    expect(await verify('')).toBeNull();
  });

  it('refuses unsigned (alg none) and HMAC tokens keyed with the public key', async () => {
    const payload = b64({
      sub: 'mallory',
      iss: config.issuer,
      aud: config.audience,
      exp: now() + 60,
      scope: 'audit:read',
    });
    expect((await refusal(`Bearer ${b64({ alg: 'none' })}.${payload}.`)).status).toBe(401);
    const header = b64({ alg: 'HS256', kid: keys.privateJwk.kid });
    const mac = createHmac('sha256', JSON.stringify(keys.jwks.keys[0]))
      .update(`${header}.${payload}`)
      .digest('base64url');
    expect((await refusal(`Bearer ${header}.${payload}.${mac}`)).message).toMatch(/not valid/);
  });

  it('requires a subject and an expiry, and honours not-before', async () => {
    const key = await importJWK(keys.privateJwk, 'ES256');
    const base = () =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: keys.privateJwk.kid! })
        .setIssuer(config.issuer)
        .setAudience(config.audience);
    expect(
      (
        await refusal(
          `Bearer ${await base()
            .setExpirationTime(now() + 60)
            .sign(key)}`,
        )
      ).message,
    ).toMatch(/"sub"/);
    expect((await refusal(`Bearer ${await base().setSubject('a').sign(key)}`)).message).toMatch(/"exp"/);
    const early = await base()
      .setSubject('a')
      .setExpirationTime(now() + 600)
      .setNotBefore(now() + 300)
      .sign(key);
    expect((await refusal(`Bearer ${early}`)).message).toMatch(/"nbf"/);
  });

  it('bounds the lifetime of a token and refuses one issued in the future beyond the skew', async () => {
    const signed = (ttlSeconds: number, issuedAtOffsetSeconds = 0) =>
      signToken(keys, { ...claims, ttlSeconds, issuedAtOffsetSeconds });
    expect((await verify(`Bearer ${await signed(3600)}`))?.subject).toBe('alice');
    expect((await refusal(`Bearer ${await signed(3600 + 31)}`)).message).toMatch(/lives longer than 3600 s/);
    expect((await refusal(`Bearer ${await signed(10 * 365 * 86_400)}`)).status).toBe(401);
    expect((await verify(`Bearer ${await signed(600, 20)}`))?.subject).toBe('alice');
    expect((await refusal(`Bearer ${await signed(600, 3600)}`)).message).toMatch(/"iat" claim is in the future/);
    // Without iat, the remaining lifetime counts.
    const key = await importJWK(keys.privateJwk, 'ES256');
    const noIat = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: keys.privateJwk.kid! })
      .setIssuer(config.issuer)
      .setAudience(config.audience)
      .setSubject('a')
      .setExpirationTime(now() + 7200)
      .sign(key);
    expect((await refusal(`Bearer ${noIat}`)).message).toMatch(/lives longer/);
  });

  it('refuses other schemes and malformed tokens with 401', async () => {
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer not-a-jwt', `Bearer ${'a'.repeat(20)}.b.c`]) {
      expect((await refusal(header)).status).toBe(401);
    }
  });

  it('reports an unreachable key set as 503, not as the caller’s fault', async () => {
    const remote = createTokenVerifier({ ...config, keys: { kind: 'url', url: 'http://127.0.0.1:9/certs' } });
    const err = await remote(`Bearer ${await signToken(keys, claims)}`).then(
      () => null,
      (e: unknown) => e as AuthError,
    );
    expect(err).toBeInstanceOf(AuthError);
    expect([err!.status, err!.code]).toEqual([503, 'AUTH_UNAVAILABLE']);
  });
});

describe('purposeOf', () => {
  it('keeps printable text of 3 to 200 characters, nothing else', () => {
    expect(purposeOf('  beroep dossier AC-2020-0042 ')).toBe('beroep dossier AC-2020-0042');
    expect(purposeOf('ok')).toBeUndefined();
    expect(purposeOf('x'.repeat(201))).toBeUndefined();
    expect(purposeOf('line\nbreak')).toBeUndefined();
    expect(purposeOf(undefined)).toBeUndefined();
  });
});

describe('tokens the gateway mints for API keys', () => {
  const gatewayKeys = createEphemeralKeys();
  const subgraph = createTokenVerifier({ ...config, gateway: { jwks: gatewayKeys.jwks } });
  const gatewayClaims = { ...claims, subject: 'apikey:0123456789abcdef', issuer: GATEWAY_ISSUER };

  it('are accepted with the gateway key where it is trusted, and nowhere else', async () => {
    const token = await signToken(gatewayKeys, gatewayClaims);
    expect(await subgraph(`Bearer ${token}`)).toMatchObject({ subject: 'apikey:0123456789abcdef' });
    await expect(verify(`Bearer ${token}`)).rejects.toThrow(AuthError);
  });

  it('cannot be signed by the identity provider, nor its tokens by the gateway key', async () => {
    await expect(subgraph(`Bearer ${await signToken(keys, gatewayClaims)}`)).rejects.toThrow(/not valid/);
    await expect(subgraph(`Bearer ${await signToken(gatewayKeys, claims)}`)).rejects.toThrow(/not valid/);
    // The identity provider's own tokens still pass.
    expect(await subgraph(`Bearer ${await signToken(keys, claims)}`)).toMatchObject({ subject: 'alice' });
  });
});
