import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createEphemeralKeys } from '@measure-graph/auth';
import { DOMAINS } from '@measure-graph/subgraph-platform/domains';
import { loadGatewayConfig as loadConfig, subgraphsOf, subgraphUrlVar } from '../src/config.ts';
import { configErrorOf as configError } from '@measure-graph/db/testing';

const committedPath = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));
const committedSdl = fs.readFileSync(committedPath, 'utf8');

// The development key of these loads lives in a temporary folder, not the repository's .data.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-config-'));
const jwksFile = path.join(scratch, 'jwks.json');
fs.writeFileSync(jwksFile, JSON.stringify(createEphemeralKeys().jwks));
/**
 * What production needs besides NODE_ENV: the identity provider's keys, issuer and audience, and
 * the credential the gateway sends its subgraphs.
 */
const SUBGRAPH_SECRET = 'k3Yq8vQ0pJ2mZ7wR4tN9xB1cF6hL5sD0gE8aU3iO7yT2';
const PRODUCTION = {
  NODE_ENV: 'production',
  AUTH_JWKS_FILE: jwksFile,
  AUTH_ISSUER: 'https://idp.example/realms/wse',
  AUTH_AUDIENCE: 'measure-graph',
  SUBGRAPH_SECRET,
};
const loadGatewayConfig = (env: NodeJS.ProcessEnv) =>
  loadConfig({ AUTH_DEV_KEYS_DIR: path.join(scratch, 'dev-auth'), ...env });

describe('subgraphsOf', () => {
  it('reads the five subgraphs and their default URLs from the committed supergraph', () => {
    const graphs = subgraphsOf(committedSdl);
    expect(Object.keys(graphs).sort()).toEqual([
      'activation',
      'competences',
      'inspection',
      'registry',
      'social-economy',
    ]);
    for (const url of Object.values(graphs)) expect(url).toMatch(/^http:\/\/localhost:\d+\/graphql$/);
    expect(new Set(Object.values(graphs)).size).toBe(5);
  });

  it('finds nothing in an SDL without join__Graph', () => {
    expect(subgraphsOf('type Query { hello: String }')).toEqual({});
  });
});

describe('loadGatewayConfig', () => {
  it('defaults to port 4000 on localhost with the IDE and introspection on', () => {
    const config = loadGatewayConfig({});
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      production: false,
      ide: true,
      introspection: true,
      maxBodyBytes: 2_000_000,
      subgraphTimeoutMs: 10_000,
      safelist: null,
      limits: {
        maxDocumentBytes: 100_000,
        maxTokens: 10_000,
        maxDepth: 15,
        maxAliases: 30,
        maxRootFields: 20,
        maxCost: 500_000,
      },
    });
    expect(path.resolve(config.supergraphPath)).toBe(path.resolve(committedPath));
    expect(config.supergraphSdl).toBe(committedSdl);
    expect(config.subgraphUrls).toEqual(subgraphsOf(committedSdl));
  });

  it('turns the IDE and introspection off in production', () => {
    const config = loadGatewayConfig(PRODUCTION);
    expect(config.production).toBe(true);
    expect(config.ide).toBe(false);
    expect(config.introspection).toBe(false);
  });

  it('lets GRAPHQL_IDE and GRAPHQL_INTROSPECTION re-enable them in production, independently', () => {
    const ide = loadGatewayConfig({ ...PRODUCTION, GRAPHQL_IDE: 'true' });
    expect(ide.ide).toBe(true);
    expect(ide.introspection).toBe(false);
    const both = loadGatewayConfig({ ...PRODUCTION, GRAPHQL_IDE: 'YES', GRAPHQL_INTROSPECTION: '1' });
    expect([both.ide, both.introspection]).toEqual([true, true]);
    const off = loadGatewayConfig({ GRAPHQL_IDE: 'off', GRAPHQL_INTROSPECTION: 'false' });
    expect([off.ide, off.introspection]).toEqual([false, false]);
  });

  it('knows every domain of the list of domains, with its URL variable', () => {
    const defaults = subgraphsOf(committedSdl);
    for (const d of DOMAINS) {
      expect(defaults[d.name]).toBe(`http://localhost:${d.defaultPort}/graphql`);
      const url = `http://${d.name}.internal:8080/graphql`;
      expect(loadGatewayConfig({ [subgraphUrlVar(d.name)]: url }).subgraphUrls[d.name]).toBe(url);
    }
  });

  it('overrides one subgraph URL with <NAME>_URL and keeps the others', () => {
    expect(subgraphUrlVar('social-economy')).toBe('SOCIAL_ECONOMY_URL');
    const config = loadGatewayConfig({ SOCIAL_ECONOMY_URL: 'http://social-economy.internal:8080/graphql' });
    const defaults = subgraphsOf(committedSdl);
    expect(config.subgraphUrls).toEqual({
      ...defaults,
      'social-economy': 'http://social-economy.internal:8080/graphql',
    });
    expect(config.subgraphUrls['social-economy']).not.toBe(defaults['social-economy']);
  });

  it('reads PORT, HOST and MAX_BODY_BYTES', () => {
    const config = loadGatewayConfig({ PORT: '0', HOST: '0.0.0.0', MAX_BODY_BYTES: '4096' });
    expect(config).toMatchObject({ port: 0, host: '0.0.0.0', maxBodyBytes: 4096 });
  });

  it('reports every bad value together', () => {
    // Subgraph names come from the supergraph, so ACTIVATION_URL cannot be checked when it is unreadable;
    // the next test covers it with the committed file.
    const missing = path.join(path.dirname(committedPath), 'does-not-exist.graphql');
    const err = configError(() =>
      loadGatewayConfig({ PORT: 'abc', GRAPHQL_IDE: 'maybe', ACTIVATION_URL: 'not a url', SUPERGRAPH_PATH: missing }),
    );
    expect(err.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT must be an integer between 0 and 65535, got "abc"$/),
        'GRAPHQL_IDE must be true or false, got "maybe"',
        expect.stringContaining(`SUPERGRAPH_PATH: cannot read ${missing}`),
      ]),
    );
  });

  it('reports a bad subgraph URL together with the other problems when the supergraph is readable', () => {
    const err = configError(() =>
      loadGatewayConfig({
        PORT: '70000',
        GRAPHQL_INTROSPECTION: 'maybe',
        ACTIVATION_URL: 'not a url',
        MAX_BODY_BYTES: '10',
        COMPETENCES_URL: 'ftp://files.example/graphql',
      }),
    );
    expect(err.problems).toEqual([
      'ACTIVATION_URL must be an http(s) URL, got "not a url"',
      'COMPETENCES_URL must be an http(s) URL, got "ftp://files.example/graphql"',
      expect.stringMatching(/^PORT must be an integer/),
      'GRAPHQL_INTROSPECTION must be true or false, got "maybe"',
      expect.stringMatching(/^MAX_BODY_BYTES must be an integer between 1024 and/),
    ]);
  });

  it('loads the safelist of SAFELIST_PATH, and refuses a file that is not one', () => {
    const committed = path.join(path.dirname(committedPath), 'safelist.json');
    const config = loadGatewayConfig({ SAFELIST_PATH: committed });
    expect(config.safelist!.size).toBe(JSON.parse(fs.readFileSync(committed, 'utf8')).operations.length);
    const err = configError(() => loadGatewayConfig({ SAFELIST_PATH: committedPath }));
    expect(err.problems).toEqual([expect.stringContaining(`SAFELIST_PATH: cannot use ${committedPath}`)]);
  });

  it('refuses production without the identity provider, and names each missing piece', () => {
    const err = configError(() => loadGatewayConfig({ NODE_ENV: 'production' }));
    expect(err.problems).toEqual([
      expect.stringMatching(/^AUTH_JWKS_URL \(or AUTH_JWKS_FILE\).* is required with NODE_ENV=production$/),
      expect.stringMatching(/^SUBGRAPH_SECRET \(at least 32 characters.* is required with NODE_ENV=production$/),
    ]);
    // Any deployment name but development or test needs the identity provider too.
    const staging = configError(() => loadGatewayConfig({ NODE_ENV: 'staging' }));
    expect(staging.problems).toEqual([
      expect.stringMatching(/^AUTH_JWKS_URL .* is required with NODE_ENV=staging$/),
      expect.stringMatching(/^SUBGRAPH_SECRET .* is required with NODE_ENV=staging$/),
    ]);
    const partial = configError(() =>
      loadGatewayConfig({
        SUBGRAPH_SECRET,
        NODE_ENV: 'production',
        AUTH_JWKS_URL: 'http://idp.example/certs',
        AUTH_ALGORITHMS: 'HS256',
      }),
    );
    expect(partial.problems).toEqual([
      'AUTH_ALGORITHMS: "HS256" is not an accepted asymmetric algorithm',
      'AUTH_ISSUER is required with AUTH_JWKS_URL',
      'AUTH_AUDIENCE is required with AUTH_JWKS_URL',
      'AUTH_JWKS_URL must use https in production',
    ]);
  });

  it('reads SUBGRAPH_SECRET, the credential sent to every subgraph: optional in development, never quoted', () => {
    expect(loadGatewayConfig(PRODUCTION).subgraphSecret).toBe(SUBGRAPH_SECRET);
    expect(loadGatewayConfig({}).subgraphSecret).toBeUndefined();
    const short = configError(() => loadGatewayConfig({ ...PRODUCTION, SUBGRAPH_SECRET: 'too-short-a-secret' }));
    expect(short.problems).toEqual([expect.stringMatching(/^SUBGRAPH_SECRET must be 32 to 1024 visible ASCII/)]);
    expect(short.problems[0]).not.toContain('too-short-a-secret');
  });

  it('uses the development key outside production, made once and kept', () => {
    const first = loadGatewayConfig({});
    expect(first.auth).toMatchObject({
      issuer: 'urn:measure-graph:dev',
      audience: 'measure-graph',
      clockSkewSeconds: 30,
    });
    expect(first.auth.dev!.jwks.keys[0]).not.toHaveProperty('d');
    expect(loadGatewayConfig({}).auth.dev!.privateJwk).toEqual(first.auth.dev!.privateJwk);
    const keyFile = path.join(scratch, 'dev-auth', 'signing-key.jwk.json');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    // Beside it the gateway's own key (API keys), private to its owner too; the subgraphs trust its public half.
    expect(fs.readdirSync(path.dirname(keyFile)).sort()).toEqual([
      'gateway-signing-key.jwk.json',
      'signing-key.jwk.json',
    ]);
    expect(fs.statSync(path.join(scratch, 'dev-auth', 'gateway-signing-key.jwk.json')).mode & 0o777).toBe(0o600);
    expect(first.auth.gateway!.jwks.keys[0]).not.toHaveProperty('d');
    expect(first.auth.gateway!.jwks.keys[0]!.kid).toBe(first.apiKeys.signingKey!.privateJwk.kid);
    expect(first.auth.gateway!.jwks.keys[0]!.kid).not.toBe(first.auth.dev!.privateJwk.kid);
    // A key others can read is refused, not used.
    fs.chmodSync(keyFile, 0o644);
    const err = configError(() => loadGatewayConfig({}));
    expect(err.problems).toEqual([expect.stringMatching(/^AUTH_DEV_KEYS_DIR: .*readable by its owner only/)]);
    fs.chmodSync(keyFile, 0o600);
  });

  it('refuses a key file that holds a private key, and both key sources at once', () => {
    const privateFile = path.join(scratch, 'private.json');
    fs.writeFileSync(privateFile, JSON.stringify({ keys: [createEphemeralKeys().privateJwk] }));
    const err = configError(() =>
      loadGatewayConfig({ ...PRODUCTION, AUTH_JWKS_FILE: privateFile, AUTH_JWKS_URL: 'https://idp.example/certs' }),
    );
    expect(err.problems).toEqual([
      'Set AUTH_JWKS_URL or AUTH_JWKS_FILE, not both',
      expect.stringMatching(/AUTH_JWKS_FILE: cannot use .*private key/),
    ]);
  });
});

describe('CORS, persisted documents and APQ settings', () => {
  it('allows the loopback origins by default outside production, and no origin in production', () => {
    const dev = loadGatewayConfig({}).cors;
    expect(dev).toMatchObject({ loopback: true, maxAgeSeconds: 600 });
    expect(dev.origins.size).toBe(0);
    const production = loadGatewayConfig(PRODUCTION).cors;
    expect(production.loopback).toBe(false);
    expect(production.origins.size).toBe(0);
  });

  it('reads CORS_ORIGINS as exact origins, which replace the loopback default', () => {
    const cors = loadGatewayConfig({
      ...PRODUCTION,
      CORS_ORIGINS: 'https://dashboard.werk.vlaanderen, http://localhost:5173',
      CORS_MAX_AGE_SECONDS: '120',
    }).cors;
    expect([...cors.origins]).toEqual(['https://dashboard.werk.vlaanderen', 'http://localhost:5173']);
    expect(cors).toMatchObject({ loopback: false, maxAgeSeconds: 120 });
  });

  it('names every bad CORS_ORIGINS entry and what a browser would send instead', () => {
    const err = configError(() =>
      loadGatewayConfig({
        CORS_ORIGINS: 'https://ok.example,https://slash.example/,ftp://files.example,*,https://Upper.Example:443',
        CORS_MAX_AGE_SECONDS: '-1',
      }),
    );
    expect(err.problems).toEqual([
      'CORS_MAX_AGE_SECONDS must be an integer between 0 and 86400, got "-1"',
      expect.stringMatching(/^CORS_ORIGINS: "https:\/\/slash.example\/" .* write "https:\/\/slash.example"/),
      'CORS_ORIGINS: "ftp://files.example" is not an http(s) origin (scheme://host[:port])',
      'CORS_ORIGINS: "*" is not an http(s) origin (scheme://host[:port])',
      expect.stringMatching(/^CORS_ORIGINS: "https:\/\/Upper.Example:443" .* write "https:\/\/upper.example"/),
    ]);
  });

  it('loads the repository operations as persisted documents with sha256 ids of their text', () => {
    const { persistedDocuments } = loadGatewayConfig({});
    expect(persistedDocuments.maxAgeSeconds).toBe(60);
    const manifest = JSON.parse(fs.readFileSync(path.join(path.dirname(committedPath), 'safelist.json'), 'utf8')) as {
      operations: Array<{ name: string; file: string }>;
    };
    const repoRoot = path.resolve(path.dirname(committedPath), '..');
    for (const op of manifest.operations) {
      const text = fs.readFileSync(path.join(repoRoot, op.file), 'utf8');
      const id = createHash('sha256').update(text).digest('hex');
      expect(persistedDocuments.store.get(id)).toEqual({ id, name: op.name, kind: 'operation', source: op.file, text });
    }
  });

  it('refuses a client manifest whose id is not the sha256 of its document, naming file and id', () => {
    const dir = fs.mkdtempSync(path.join(scratch, 'persisted-'));
    const text = 'query Hello { __typename }';
    const good = createHash('sha256').update(text).digest('hex');
    const wrong = createHash('sha256').update('query Other { __typename }').digest('hex');
    fs.writeFileSync(path.join(dir, 'app.json'), JSON.stringify({ [good]: text, [wrong]: text }));
    fs.writeFileSync(path.join(dir, 'broken.json'), '{ not json');
    const err = configError(() => loadGatewayConfig({ PERSISTED_DOCUMENTS_DIR: dir }));
    expect(err.problems).toEqual([
      `PERSISTED_DOCUMENTS_DIR: ${path.basename(dir)}/app.json: ${wrong} is not the sha256 of its document`,
      expect.stringMatching(/^PERSISTED_DOCUMENTS_DIR: .*broken\.json is not JSON/),
    ]);
    fs.rmSync(path.join(dir, 'broken.json'));
    fs.writeFileSync(path.join(dir, 'app.json'), JSON.stringify({ [`sha256:${good}`]: text }));
    const loaded = loadGatewayConfig({ PERSISTED_DOCUMENTS_DIR: dir }).persistedDocuments.store.get(good);
    expect(loaded).toMatchObject({ name: 'Hello', kind: 'operation', source: `${path.basename(dir)}/app.json` });
    expect(
      configError(() => loadGatewayConfig({ PERSISTED_DOCUMENTS_DIR: path.join(dir, 'absent') })).problems,
    ).toEqual([expect.stringMatching(/^PERSISTED_DOCUMENTS_DIR: .*absent does not exist$/)]);
  });

  it('reads REDIS_URL, REDIS_KEY_PREFIX and APQ_TTL_SECONDS, and refuses bad ones', () => {
    expect(loadGatewayConfig({}).apq).toEqual({ redisUrl: null, keyPrefix: 'measure-graph:', ttlSeconds: 86_400 });
    expect(
      loadGatewayConfig({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: 'mg-test:', APQ_TTL_SECONDS: '60' })
        .apq,
    ).toEqual({ redisUrl: 'redis://127.0.0.1:6379', keyPrefix: 'mg-test:', ttlSeconds: 60 });
    const err = configError(() =>
      loadGatewayConfig({ REDIS_URL: 'http://cache:6379', REDIS_KEY_PREFIX: 'has space', APQ_TTL_SECONDS: '0' }),
    );
    expect(err.problems).toEqual([
      'REDIS_URL must be a redis:// or rediss:// URL',
      'REDIS_KEY_PREFIX may hold letters, digits and _ . : - (at most 100), got "has space"',
      'APQ_TTL_SECONDS must be an integer between 1 and 31536000, got "0"',
    ]);
  });
});

describe('API keys', () => {
  const signingKeyFile = path.join(scratch, 'gateway-signing-key.jwk.json');
  fs.writeFileSync(signingKeyFile, JSON.stringify(createEphemeralKeys().privateJwk), { mode: 0o600 });
  const database = 'postgres://gateway@db.internal:5432/measure_graph';

  it('are off in production until a signing key is configured, and then kept in DATABASE_URL', () => {
    expect(loadGatewayConfig({ ...PRODUCTION, DATABASE_URL: database }).apiKeys.signingKey).toBeUndefined();
    const on = loadGatewayConfig({ ...PRODUCTION, DATABASE_URL: database, API_KEY_SIGNING_KEY_FILE: signingKeyFile });
    expect(on.apiKeys).toMatchObject({ databaseUrl: database, maxDays: 365, cacheSeconds: 30 });
    expect(on.apiKeys.signingKey!.jwks.keys[0]).not.toHaveProperty('d');
    const own = loadGatewayConfig({
      ...PRODUCTION,
      DATABASE_URL: database,
      API_KEYS_DATABASE_URL: 'postgres://keys@access.internal/keys',
      API_KEY_SIGNING_KEY_FILE: signingKeyFile,
    });
    expect(own.apiKeys.databaseUrl).toBe('postgres://keys@access.internal/keys');
  });

  it('report every bad setting together', () => {
    const publicOnly = path.join(scratch, 'public.json');
    fs.writeFileSync(publicOnly, JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'a', y: 'b', kid: 'k' }), {
      mode: 0o600,
    });
    const err = configError(() =>
      loadGatewayConfig({
        ...PRODUCTION,
        API_KEY_SIGNING_KEY_FILE: publicOnly,
        API_KEY_MAX_DAYS: '0',
        API_KEY_CACHE_SECONDS: 'soon',
        API_KEYS_DATABASE_URL: 'mysql://x',
      }),
    );
    expect(err.problems).toEqual([
      'API_KEYS_DATABASE_URL must be a postgres:// URL',
      'API_KEY_MAX_DAYS must be an integer between 1 and 3650, got "0"',
      'API_KEY_CACHE_SECONDS must be an integer between 0 and 300, got "soon"',
      expect.stringMatching(/^API_KEY_SIGNING_KEY_FILE: cannot use .*private P-256 key/),
      'API_KEY_SIGNING_KEY_FILE needs API_KEYS_DATABASE_URL (or DATABASE_URL)',
    ]);
  });
});
