import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@measure-graph/db';
import { configErrorOf } from '@measure-graph/db/testing';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createEphemeralKeys } from '@measure-graph/auth';
import {
  createCredentialCheck,
  credentialRefusalCode,
  generateSubgraphSecret,
  readSubgraphSecret,
  SUBGRAPH_CREDENTIAL_HEADER,
} from '../src/credential.ts';
import { loadSubgraphConfig } from '../src/main.ts';
import {
  checkSubgraphRequest,
  countRepresentations,
  DEFAULT_SUBGRAPH_LIMITS,
  documentDepth,
  readSubgraphLimits,
} from '../src/subgraph-http.ts';
import type { SubgraphDefinition } from '../src/subgraph.ts';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'subgraph-access-'));
const jwksFile = path.join(scratch, 'jwks.json');
fs.writeFileSync(jwksFile, JSON.stringify(createEphemeralKeys().jwks));
const SECRET = generateSubgraphSecret();
/** What a production subgraph needs besides NODE_ENV and SUBGRAPH_SECRET. */
const PRODUCTION = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://measure@db.internal:5432/measures',
  AUTH_JWKS_FILE: jwksFile,
  AUTH_ISSUER: 'https://idp.example/realms/wse',
  AUTH_AUDIENCE: 'measure-graph',
};
const def = { name: 'registry', defaultPort: 4001 } as SubgraphDefinition<unknown>;

describe('SUBGRAPH_SECRET', () => {
  it('is required in production (and any NODE_ENV but development or test)', () => {
    for (const NODE_ENV of ['production', 'staging']) {
      const problems: string[] = [];
      expect(readSubgraphSecret({ NODE_ENV }, problems)).toBeUndefined();
      expect(problems).toEqual([
        expect.stringMatching(new RegExp(`^SUBGRAPH_SECRET .* required with NODE_ENV=${NODE_ENV}$`)),
      ]);
    }
    for (const NODE_ENV of [undefined, '', 'development', 'test']) {
      const problems: string[] = [];
      expect(readSubgraphSecret({ NODE_ENV }, problems)).toBeUndefined();
      expect(problems).toEqual([]);
    }
  });

  it('must be 32 visible characters or more, and a bad one is never quoted', () => {
    for (const bad of ['short-secret', `${'a'.repeat(20)} ${'b'.repeat(20)}`, `${'é'.repeat(40)}`, 'x'.repeat(1025)]) {
      const problems: string[] = [];
      expect(readSubgraphSecret({ NODE_ENV: 'production', SUBGRAPH_SECRET: bad }, problems)).toBeUndefined();
      expect(problems).toEqual([expect.stringMatching(/^SUBGRAPH_SECRET must be 32 to 1024 visible ASCII/)]);
      expect(problems[0]).not.toContain(bad);
    }
    const problems: string[] = [];
    expect(readSubgraphSecret({ NODE_ENV: 'production', SUBGRAPH_SECRET: SECRET }, problems)).toBe(SECRET);
    expect(problems).toEqual([]);
  });

  it('generated secrets are long, header-safe and different each time', () => {
    expect(SECRET).toMatch(/^[\w-]{64}$/);
    expect(generateSubgraphSecret()).not.toBe(SECRET);
  });

  it('is checked: missing 401, wrong 403, right passes', () => {
    const check = createCredentialCheck(SECRET);
    expect(check({})).toMatchObject({ status: 401, code: 'SUBGRAPH_CREDENTIAL_REQUIRED' });
    expect(check({ [SUBGRAPH_CREDENTIAL_HEADER]: '' })).toMatchObject({ status: 401 });
    expect(check({ authorization: `Bearer ${SECRET}` })).toMatchObject({ status: 401 });
    for (const wrong of ['x', SECRET.slice(0, -1), `${SECRET}x`, SECRET.toUpperCase(), `${SECRET}, ${SECRET}`]) {
      expect(check({ [SUBGRAPH_CREDENTIAL_HEADER]: wrong })).toMatchObject({
        status: 403,
        code: 'SUBGRAPH_CREDENTIAL_INVALID',
      });
    }
    expect(check({ [SUBGRAPH_CREDENTIAL_HEADER]: SECRET })).toBeNull();
  });

  it('a refusal of the credential is told apart from a refused caller token (for the gateway)', async () => {
    const answer = (status: number, code: string) =>
      new Response(JSON.stringify({ errors: [{ message: 'no', extensions: { code } }] }), { status });
    expect(await credentialRefusalCode(answer(401, 'SUBGRAPH_CREDENTIAL_REQUIRED'))).toBe(
      'SUBGRAPH_CREDENTIAL_REQUIRED',
    );
    expect(await credentialRefusalCode(answer(403, 'SUBGRAPH_CREDENTIAL_INVALID'))).toBe('SUBGRAPH_CREDENTIAL_INVALID');
    expect(await credentialRefusalCode(answer(401, 'UNAUTHENTICATED'))).toBeNull();
    expect(await credentialRefusalCode(answer(500, 'SUBGRAPH_CREDENTIAL_INVALID'))).toBeNull();
    expect(await credentialRefusalCode(new Response('<html>', { status: 403 }))).toBeNull();
  });
});

describe('a subgraph run alone (loadSubgraphConfig)', () => {
  const load = (env: NodeJS.ProcessEnv) =>
    loadSubgraphConfig(def, { AUTH_DEV_KEYS_DIR: path.join(scratch, 'dev'), ...env });

  it('refuses to start in production without SUBGRAPH_SECRET, naming it among the other problems', () => {
    const err = configErrorOf(() => load({ ...PRODUCTION, SUBGRAPH_MAX_DEPTH: 'deep' }));
    expect(err.problems).toEqual([
      expect.stringMatching(/^SUBGRAPH_SECRET \(at least 32 characters.* is required with NODE_ENV=production$/),
      expect.stringMatching(/^SUBGRAPH_MAX_DEPTH must be an integer/),
    ]);
  });

  it('in production: the secret, no introspection, and 127.0.0.1 unless HOST names the internal interface', () => {
    const config = load({ ...PRODUCTION, SUBGRAPH_SECRET: SECRET });
    expect(config).toMatchObject({ credential: SECRET, introspection: false, host: '127.0.0.1', port: 4001 });
    expect(load({ ...PRODUCTION, SUBGRAPH_SECRET: SECRET, HOST: '10.0.3.12' }).host).toBe('10.0.3.12');
  });

  it('in development without a secret serves without the check (and says so at start)', () => {
    const config = load({ DATABASE_URL: PRODUCTION.DATABASE_URL });
    expect(config).toMatchObject({ credential: null, introspection: true, host: '127.0.0.1' });
    expect(config.limits).toEqual(DEFAULT_SUBGRAPH_LIMITS);
  });

  it('never writes demo data: SEED_PROFILE is a configuration error naming data:generate and data:import', () => {
    expect(load({ ...PRODUCTION, SUBGRAPH_SECRET: SECRET })).not.toHaveProperty('demoProfile');
    for (const env of [
      { DATABASE_URL: PRODUCTION.DATABASE_URL, SEED_PROFILE: 'small' },
      { ...PRODUCTION, SUBGRAPH_SECRET: SECRET, SEED_PROFILE: 'full' },
    ]) {
      const { problems } = configErrorOf(() => load(env));
      expect(problems).toEqual([expect.stringMatching(/^SEED_PROFILE is refused: a subgraph run alone migrates/)]);
      expect(problems[0]).toContain('npm run data:generate');
      expect(problems[0]).toContain('npm run data:import');
    }
  });

  it('reads the SUBGRAPH_MAX_* limits', () => {
    const problems: string[] = [];
    expect(
      readSubgraphLimits(
        {
          SUBGRAPH_MAX_BODY_BYTES: '10000000',
          SUBGRAPH_MAX_TOKENS: '2000',
          SUBGRAPH_MAX_DEPTH: '40',
          SUBGRAPH_MAX_REPRESENTATIONS: '500',
        },
        problems,
      ),
    ).toEqual({ maxBodyBytes: 10_000_000, maxTokens: 2000, maxDepth: 40, maxRepresentations: 500 });
    expect(problems).toEqual([]);
    readSubgraphLimits({ SUBGRAPH_MAX_REPRESENTATIONS: '0', SUBGRAPH_MAX_BODY_BYTES: '10' }, problems);
    expect(problems).toEqual([
      expect.stringMatching(/^SUBGRAPH_MAX_BODY_BYTES must be an integer between 1024/),
      expect.stringMatching(/^SUBGRAPH_MAX_REPRESENTATIONS must be an integer between 1/),
    ]);
  });

  it('the real entry point exits at start with the problem (a subgraph process in production)', async () => {
    const run = promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'subgraphs/registry/src/index.ts')],
      { cwd: repoRoot, env: { PATH: process.env.PATH, ...PRODUCTION, LOG_LEVEL: 'error' }, timeout: 60_000 },
    );
    const failure = (await run.then(
      () => null,
      (err: unknown) => err,
    )) as { code: number; stderr: string } | null;
    expect(failure).not.toBeNull();
    expect(failure!.code).toBe(1);
    expect(failure!.stderr).toMatch(
      /SUBGRAPH_SECRET \(at least 32 characters.*\) is required with NODE_ENV=production/,
    );
  });
});

describe('document limits of a subgraph request', () => {
  const limits = { maxTokens: 1000, maxDepth: 5, maxRepresentations: 3 };

  it('measures depth with fragments expanded, each fragment once, cycles as too deep', () => {
    expect(documentDepth(parse('{ a { b { c } } d }'), 10)).toBe(3);
    expect(documentDepth(parse('{ a { ...F } } fragment F on T { b { ... on T { c } } }'), 10)).toBe(3);
    expect(documentDepth(parse('{ a { b { c { d { e { f } } } } } }'), 4)).toBe(4);
    expect(documentDepth(parse('{ ...A } fragment A on Query { a ...A }'), 10)).toBe(10);
    // 40 levels of doubling: 2^40 expansions if spreads were re-expanded; here 40 steps.
    const levels = 40;
    const fragments = Array.from(
      { length: levels },
      (_, i) => `fragment F${i} on T { x { ${i + 1 < levels ? `...F${i + 1} ...F${i + 1}` : 'y'} } }`,
    );
    const started = performance.now();
    expect(documentDepth(parse(`{ ...F0 } ${fragments.join(' ')}`), 1000)).toBe(levels + 1);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('counts representations of every _entities field, from variables or literals', () => {
    const doc = parse(`query ($r: [_Any!]!, $s: [_Any!]!) {
      a: _entities(representations: $r) { __typename }
      b: _entities(representations: $s) { __typename }
      c: _entities(representations: [{ __typename: "T" }, { __typename: "T" }]) { __typename } }`);
    expect(countRepresentations(doc, { r: [1, 2, 3], s: [4] })).toBe(6);
    expect(countRepresentations(doc, {})).toBe(2);
  });

  it('refuses over the token, depth and representation limits, and leaves syntax errors to GraphQL', () => {
    const check = (query: string, variables: Record<string, unknown> = {}) =>
      checkSubgraphRequest({ query, variables }, limits)?.code ?? null;
    expect(check('{ _ready }')).toBeNull();
    expect(check(`{ ${'a '.repeat(1000)}}`)).toBe('TOO_MANY_TOKENS');
    expect(check('{ a { b { c { d { e { f } } } } } }')).toBe('QUERY_TOO_DEEP');
    expect(check(`${'{ a '.repeat(5000)}`)).toBe('TOO_MANY_TOKENS');
    expect(
      checkSubgraphRequest({ query: `${'{ a '.repeat(200_000)}${'}'.repeat(200_000)}` }, { ...limits, maxTokens: 1e7 })
        ?.code,
    ).toBe('QUERY_TOO_DEEP');
    const entities = 'query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }';
    expect(check(entities, { r: [{}, {}, {}] })).toBeNull();
    expect(check(entities, { r: [{}, {}, {}, {}] })).toBe('TOO_MANY_REPRESENTATIONS');
    expect(check('{ _ready ')).toBeNull();
    expect(checkSubgraphRequest({ variables: {} }, limits)).toBeNull();
  });
});
