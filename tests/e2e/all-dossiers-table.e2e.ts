import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@measure-graph/db';
import { createTestDatabase, type TestDatabase } from '@measure-graph/db/testing';
import { SCOPES } from '@measure-graph/auth';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type GraphQLResponse, type TestStack } from '../support/stack.ts';

/**
 * The all-dossiers table as a URL-only connector uses it (issue 15): ONE GET of
 * /tables/all-dossiers.csv?year=2020 holds every 2020 dossier of every domain, as many rows as
 * allDossiers' totalCount and as the measures' own counts summed, no id twice, with a page size
 * small enough that the gateway follows many pages of the registry's merge. List parameters
 * (measureCodes, statuses) narrow it like the GraphQL filter; an API key in the URL works here and
 * only here.
 */
const PAGE_SIZE = 173;
const run = promisify(execFile);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'measure-graph-all-dossiers-table-'));

/** `npm run apikey -- <args>` as a real process (as tests/e2e/api-keys.e2e.ts does). */
async function apikey(args: string[], env: NodeJS.ProcessEnv) {
  const { DATABASE_URL: _server, API_KEYS_DATABASE_URL: _keys, ...inherited } = process.env;
  const { stdout } = await run('node', ['--import', 'tsx', 'scripts/apikey.ts', ...args], {
    cwd: repoRoot,
    env: { ...inherited, LOG_LEVEL: 'error', ...env },
    timeout: 120_000,
  });
  return stdout;
}

let database: TestDatabase;
let graph: TestStack;
let base: string;
let cliEnv: NodeJS.ProcessEnv;
beforeAll(async () => {
  database = await createTestDatabase();
  await apikey(['signing-key', '--out', path.join(tmp, 'keys')], {});
  cliEnv = { API_KEYS_DATABASE_URL: database.url };
  graph = await startTestStack({
    database,
    env: {
      ...cliEnv,
      API_KEY_SIGNING_KEY_FILE: path.join(tmp, 'keys', 'gateway-signing-key.jwk.json'),
      AUTH_GATEWAY_JWKS_FILE: path.join(tmp, 'keys', 'gateway.jwks.json'),
      TABLES_PAGE_SIZE: String(PAGE_SIZE),
    },
  });
  base = graph.url.replace(/\/graphql$/, '');
}, 300_000);
afterAll(async () => {
  await graph?.stop();
  await database?.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Row {
  dossierType: string;
  id: string;
  measureCode: string;
  status: string;
  receivedAt: string;
  applicantType: string;
  applicantKboNumber: string;
}
const get = (query: string, headers: Record<string, string> = { authorization: `Bearer ${graph.allScopesToken}` }) =>
  fetch(`${base}/tables/all-dossiers.csv?${query}`, { headers });
const rowsOf = async (res: Response) => parse(await res.text(), { columns: true, bom: true }) as Row[];
const errorOf = async (res: Response) =>
  ((await res.json()) as { errors: Array<{ message: string; extensions: Record<string, unknown> }> }).errors[0]!;

interface Counts {
  measures: Array<{ code: string; domain: string; dossiers: { totalCount: number } | null }>;
}
const measureCounts = async (filter: Record<string, unknown>) =>
  (
    await graph.data<Counts>(
      'query ($filter: DossierFilter) { measures { code domain dossiers(first: 1, filter: $filter) { totalCount } } }',
      { filter },
    )
  ).measures;
const sum = (measures: Counts['measures']) => measures.reduce((n, m) => n + (m.dossiers?.totalCount ?? 0), 0);

/** Every id of allDossiers for a filter, through GraphQL, page after page. */
async function graphqlIds(filter: Record<string, unknown>) {
  const ids: string[] = [];
  let after: string | null = null;
  let totalCount = 0;
  for (;;) {
    type Page = {
      allDossiers: {
        totalCount: number;
        nodes: Array<{ id: string }>;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
    const { allDossiers }: Page = await graph.data<Page>(
      `query ($filter: AllDossiersFilter, $after: String) { allDossiers(first: 1000, after: $after, filter: $filter) {
        totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`,
      { filter, after },
    );
    totalCount = allDossiers.totalCount;
    ids.push(...allDossiers.nodes.map((n) => n.id));
    if (!allDossiers.pageInfo.hasNextPage) break;
    after = allDossiers.pageInfo.endCursor;
  }
  return { ids, totalCount };
}

let rows2020: Row[];

describe('GET /tables/all-dossiers.csv?year=2020: every 2020 dossier of every domain in one download', () => {
  it('has as many rows as allDossiers.totalCount and as the measures’ counts summed, no id twice', async () => {
    const res = await get('year=2020');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="all-dossiers-2020.csv"');
    rows2020 = await rowsOf(res);
    const { totalCount } = (
      await graph.data<{ allDossiers: { totalCount: number } }>(
        '{ allDossiers(first: 1, filter: { year: 2020 }) { totalCount } }',
      )
    ).allDossiers;
    // Several pages were followed: the download is not one page of the connection.
    expect(totalCount).toBeGreaterThan(3 * PAGE_SIZE);
    expect(rows2020).toHaveLength(totalCount);
    expect(rows2020).toHaveLength(sum(await measureCounts({ year: 2020 })));
    expect(new Set(rows2020.map((r) => r.id)).size).toBe(rows2020.length);
    expect(rows2020.every((r) => r.receivedAt.startsWith('2020-'))).toBe(true);
    // Newest received first, across the pages' seams too.
    for (let i = 1; i < rows2020.length; i++)
      expect(rows2020[i - 1]!.receivedAt >= rows2020[i]!.receivedAt, rows2020[i]!.id).toBe(true);
    // Each domain's dossiers, told apart by their type.
    expect(new Set(rows2020.map((r) => r.dossierType))).toEqual(
      new Set(['ActivationDossier', 'CompetencesDossier', 'SocialEconomyDossier', 'InspectionDossier']),
    );
    // The applicant union flattened: an organisation's KBO number, empty for a person.
    for (const row of rows2020) {
      expect(['Organisation', 'Person']).toContain(row.applicantType);
      if (row.applicantType === 'Organisation') expect(row.applicantKboNumber).toMatch(/^\d{10}$/);
      else expect(row.applicantKboNumber).toBe('');
    }
  });

  it('is the same set of dossiers as allDossiers pages through', async () => {
    const { ids } = await graphqlIds({ year: 2020 });
    expect(rows2020.map((r) => r.id)).toEqual(ids);
  });
});

describe('list parameters', () => {
  it('measureCodes of two domains and a status: exactly the GraphQL answer for that filter', async () => {
    const counts = (await measureCounts({ year: 2020, status: 'GRANTED' })).filter(
      (m) => (m.dossiers?.totalCount ?? 0) > 0,
    );
    const codes = ['ACTIVATION', 'SOCIAL_ECONOMY'].map((d) => counts.find((m) => m.domain === d)!.code);
    const res = await get(`year=2020&measureCodes=${codes.join(',')}&statuses=GRANTED`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="all-dossiers-2020-${codes.join('+')}-GRANTED.csv"`,
    );
    const rows = await rowsOf(res);
    const { ids, totalCount } = await graphqlIds({ year: 2020, measureCodes: codes, statuses: ['GRANTED'] });
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(rows).toHaveLength(totalCount);
    expect(totalCount).toBe(sum(counts.filter((m) => codes.includes(m.code))));
    expect(new Set(rows.map((r) => r.measureCode))).toEqual(new Set(codes));
    expect(rows.every((r) => r.status === 'GRANTED')).toBe(true);
    // The key repeated is the same list.
    const repeated = await rowsOf(
      await get(`year=2020&measureCodes=${codes[0]}&measureCodes=${codes[1]}&statuses=GRANTED`),
    );
    expect(repeated.map((r) => r.id)).toEqual(ids);
  });

  it('GET /tables shows the list parameters with their item values', async () => {
    const { tables } = (await (await fetch(`${base}/tables`)).json()) as {
      tables: Array<{ name: string; parameters: Array<{ name: string; list?: boolean; values?: string[] }> }>;
    };
    const table = tables.find((t) => t.name === 'all-dossiers')!;
    const byName = Object.fromEntries(table.parameters.map((p) => [p.name, p]));
    expect(byName.measureCodes).toMatchObject({ list: true, type: 'string' });
    expect(byName.statuses).toMatchObject({ list: true, values: expect.arrayContaining(['GRANTED', 'REFUSED']) });
    expect(byName.domains).toMatchObject({ list: true, values: expect.arrayContaining(['ACTIVATION']) });
    expect(byName.year!.list).toBeUndefined();
  });

  it('a bad item is 400 BAD_TABLE_PARAMETER naming the parameter and the item; an unknown code is NOT_FOUND', async () => {
    const res = await get('year=2020&statuses=GRANTED,GRANTD');
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.extensions).toMatchObject({ code: 'BAD_TABLE_PARAMETER', parameter: 'statuses', item: 'GRANTD' });
    expect(error.message).toMatch(/statuses.*GRANTD/);
    const empty = await get('year=2020&domains=ACTIVATION,');
    expect(empty.status).toBe(400);
    expect((await errorOf(empty)).extensions).toMatchObject({ code: 'BAD_TABLE_PARAMETER', parameter: 'domains' });
    const unknown = await get('year=2020&measureCodes=VOP,NOPE');
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).extensions.code).toBe('NOT_FOUND');
  });
});

describe('an API key in the URL', () => {
  let key: string;
  beforeAll(async () => {
    key = (
      await apikey(
        [
          'create',
          '--client',
          'powerbi-web',
          '--scopes',
          SCOPES.dossiersRead,
          '--purpose',
          'all-dossiers refresh',
          '--days',
          '30',
        ],
        cliEnv,
      )
    ).trim();
    expect(key).toMatch(/^mgk_[0-9a-f]{16}_[\w-]{43}$/);
  }, 120_000);

  it('downloads the table with api_key=… and no header, as a URL-only connector does', async () => {
    const res = await get(`year=2020&api_key=${key}`, {});
    expect(res.status).toBe(200);
    expect((await rowsOf(res)).map((r) => r.id)).toEqual(rows2020.map((r) => r.id));
  });

  it('is refused on /graphql with API_KEY_IN_URL_NOT_ACCEPTED', async () => {
    const query = encodeURIComponent('{ allDossiers(first: 1, filter: { year: 2020 }) { totalCount } }');
    const res = await fetch(`${graph.url}?query=${query}&api_key=${key}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as GraphQLResponse).errors![0]!.extensions!.code).toBe('API_KEY_IN_URL_NOT_ACCEPTED');
  });
});
