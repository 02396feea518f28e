import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { repoRoot } from '@measure-graph/db';
import { createTestDatabase, type TestDatabase } from '@measure-graph/db/testing';
import { ALL_SCOPES, createEphemeralKeys, signToken } from '@measure-graph/auth';
import { generateSubgraphSecret, SUBGRAPH_CREDENTIAL_HEADER } from '@measure-graph/subgraph-platform/credential';
import { DOMAINS, subgraphUrlVariable } from '@measure-graph/subgraph-platform/domains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoDataset } from '@measure-graph/demo-data';
import { post, TEST_AUDIENCE, TEST_ISSUER } from '../support/stack.ts';

/**
 * A production subgraph never fills its database with fictitious data (issue 13): the registry and
 * a domain subgraph, each a real process started with NODE_ENV=production on an empty database,
 * migrate, seed their static reference data (provinces, working days) and serve; no organisation,
 * person or dossier is generated, and neither is the report's catalogue: measures and norms are
 * the department's data, loaded with `data:import` (measures.jsonl) before anything else.
 */

interface SubgraphProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
}

const keys = createEphemeralKeys();
const jwksFile = path.join(os.tmpdir(), `measure-graph-production-jwks-${process.pid}-${Date.now()}.json`);
const secret = generateSubgraphSecret();
let database: TestDatabase;
const running: ChildProcess[] = [];

/** The environment of a production subgraph: its database, identity provider, secret and port. */
const productionEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  NODE_ENV: 'production',
  DATABASE_URL: database.url,
  AUTH_JWKS_FILE: jwksFile,
  AUTH_ISSUER: TEST_ISSUER,
  AUTH_AUDIENCE: TEST_AUDIENCE,
  SUBGRAPH_SECRET: secret,
  PORT: '0',
  LOG_LEVEL: 'info',
  ...extra,
});

/** Starts `node --import tsx subgraphs/<name>/src/index.ts` and waits for its "subgraph ready" log line. */
async function startSubgraphProcess(name: string, env: NodeJS.ProcessEnv): Promise<SubgraphProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('subgraphs', name, 'src', 'index.ts')], {
    cwd: repoRoot,
    env,
  });
  running.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      out += d;
      for (const line of out.split('\n')) {
        if (!line.includes('"subgraph ready"')) continue;
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before ready:\n${out}`)));
  });
  return { child, url, output: () => out };
}

async function count(sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(`SELECT (${sql})::int AS n`);
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

let registry: SubgraphProcess;
let socialEconomy: SubgraphProcess;
beforeAll(async () => {
  fs.writeFileSync(jwksFile, JSON.stringify(keys.jwks));
  database = await createTestDatabase();
  // The registry's allDossiers calls every domain (<DOMAIN>_URL, required in production); only
  // social-economy runs here, the others' addresses are never called by these tests.
  const domainUrls = Object.fromEntries(
    DOMAINS.map((d) => [subgraphUrlVariable(d.name), `http://127.0.0.1:${d.defaultPort}/graphql`]),
  );
  registry = await startSubgraphProcess(
    'registry',
    productionEnv({ AUDIT_LOG_KEY: randomBytes(32).toString('hex'), ...domainUrls }),
  );
  socialEconomy = await startSubgraphProcess('social-economy', productionEnv({ REGISTRY_URL: registry.url }));
}, 180_000);

afterAll(async () => {
  await Promise.all(
    running.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
  await database?.drop();
  fs.rmSync(jwksFile, { force: true });
}, 60_000);

/** A request as the gateway sends it: its credential and the caller's token. */
async function ask(url: string, query: string, variables: Record<string, unknown> = {}) {
  const token = await signToken(keys, {
    subject: 'production-test',
    scopes: ALL_SCOPES,
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    ttlSeconds: 600,
  });
  return post(url, JSON.stringify({ query, variables }), {
    authorization: `Bearer ${token}`,
    [SUBGRAPH_CREDENTIAL_HEADER]: secret,
  });
}

describe('subgraphs started with NODE_ENV=production on an empty database', () => {
  it('the registry holds its reference data and no generated organisations or persons, nor the report', async () => {
    expect(await count('SELECT count(*) FROM registry.organisation')).toBe(0);
    expect(await count('SELECT count(*) FROM registry.person')).toBe(0);
    expect(await count('SELECT count(*) FROM registry.measure')).toBe(0);
    expect(await count('SELECT count(*) FROM registry.norm_index')).toBe(0);
    expect(await count('SELECT count(*) FROM registry.province')).toBeGreaterThan(0);
    const res = await ask(registry.url, '{ measures { code } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.measures).toEqual([]);
  });

  it('a domain subgraph holds its calendar, and no measure modules, norms, dossiers or sector data', async () => {
    expect(await count('SELECT count(*) FROM social_economy.dossier')).toBe(0);
    expect(await count('SELECT count(*) FROM social_economy.dossier_event')).toBe(0);
    expect(await count('SELECT count(*) FROM social_economy.payment')).toBe(0);
    expect(await count('SELECT count(*) FROM social_economy.sector_organisation')).toBe(0);
    expect(await count('SELECT count(*) FROM social_economy.measure_module')).toBe(0);
    expect(await count('SELECT count(*) FROM social_economy.norm')).toBe(0);
    expect(await count('SELECT count(*) FROM social_economy.volume_definition')).toBe(0);
    expect(await count('SELECT count(*) FROM social_economy.working_day')).toBeGreaterThan(0);
    const res = await ask(
      socialEconomy.url,
      `query ($r: [_Any!]!) {
        _entities(representations: $r) { ... on SocialEconomyMeasure { norms { id } dossiers(first: 1) { totalCount } } }
      }`,
      { r: [{ __typename: 'SocialEconomyMeasure', code: 'MAATWERK' }] },
    );
    expect(res.errors).toBeUndefined();
    // No measure module: the subgraph knows no MAATWERK until measures.jsonl is imported.
    expect(res.data!._entities).toEqual([null]);
  });

  it('refuses SEED_PROFILE: a subgraph asked for demo data exits with the problem and writes nothing', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('subgraphs', 'registry', 'src', 'index.ts')], {
      cwd: repoRoot,
      env: productionEnv({ AUDIT_LOG_KEY: randomBytes(32).toString('hex'), SEED_PROFILE: 'small' }),
    });
    running.push(child);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/SEED_PROFILE is refused: a subgraph run alone migrates.*npm run data:generate/);
    expect(await count('SELECT count(*) FROM registry.person')).toBe(0);
  });

  // Last: it fills the database the tests above find empty.
  it('serves the dossiers of a generated small dataset once `npm run data:import` loaded it, with no restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'measure-graph-production-dataset-'));
    let expected = 0;
    try {
      await writeDemoDataset(dir, 'small');
      expected = fs
        .readFileSync(path.join(dir, 'dossiers.jsonl'), 'utf8')
        .split('\n')
        .filter((line) => line.includes('"measureCode":"MAATWERK"')).length;
      // The import's own command, a real process, as an operator runs it against the same database.
      const child = spawn(process.execPath, ['--import', 'tsx', 'db/import/src/cli.ts', dir], {
        cwd: repoRoot,
        env: { PATH: process.env.PATH, DATABASE_URL: database.url },
      });
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (out += d));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code, out).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(expected).toBeGreaterThan(0);
    const res = await ask(
      socialEconomy.url,
      `query ($r: [_Any!]!) {
        _entities(representations: $r) { ... on SocialEconomyMeasure { norms { id } dossiers(first: 1) { totalCount } } }
      }`,
      { r: [{ __typename: 'SocialEconomyMeasure', code: 'MAATWERK' }] },
    );
    expect(res.errors).toBeUndefined();
    const [measure] = res.data!._entities as Array<{ norms: unknown[]; dossiers: { totalCount: number } }>;
    expect(measure!.norms.length).toBeGreaterThan(0);
    expect(measure!.dossiers.totalCount).toBe(expected);
  }, 300_000);
});
