import { readSeedFile } from '@measure-graph/db';
import { SCOPES } from '@measure-graph/auth';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Named tables over GET /tables through the real gateway (small profile: the report's catalogue,
 * norms and targets, fictitious figures): the listing, the three formats of the norm table compared
 * cell by cell with the graph's own answer and with the published overview, ETags, refusals, and a
 * connection table read page after page with a small page size.
 */
const PAGE_SIZE = 97;

interface OverviewRow {
  id: string;
  measureCode: string;
  target: number;
}
const overview = readSeedFile<{ rows: OverviewRow[] }>('norm-overview-2020.json').rows;

let graph: TestStack;
let base: string;
beforeAll(async () => {
  graph = await startTestStack({ env: { TABLES_PAGE_SIZE: String(PAGE_SIZE) } });
  base = graph.url.replace(/\/graphql$/, '');
}, 300_000);
afterAll(() => graph?.stop());

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { headers: { authorization: `Bearer ${graph.allScopesToken}`, ...headers } });
const errorOf = async (res: Response) =>
  ((await res.json()) as { errors: Array<{ message: string; extensions: Record<string, unknown> }> }).errors[0]!;

interface Listed {
  name: string;
  formats: Record<string, string>;
  paged: boolean;
  etag: boolean;
  columns: Array<{ name: string; type: string }>;
  parameters: Array<{ name: string; type: string; required: boolean; values?: string[] }>;
}

describe('GET /tables', () => {
  it('lists every table with its formats, typed columns and parameters', async () => {
    const res = await fetch(`${base}/tables`);
    expect(res.status).toBe(200);
    const { tables } = (await res.json()) as { tables: Listed[] };
    expect(tables.map((t) => t.name).sort()).toEqual(
      [
        'all-dossiers',
        'budgets',
        'card-volumes',
        'contingents',
        'dossiers',
        'growth-path-allocations',
        'norm-results',
        'payments',
        'trajectories',
        'vsi',
      ].sort(),
    );
    const norm = tables.find((t) => t.name === 'norm-results')!;
    expect(norm.formats).toEqual({
      csv: '/tables/norm-results.csv',
      jsonl: '/tables/norm-results.jsonl',
      json: '/tables/norm-results.json',
    });
    expect(norm.parameters).toEqual([expect.objectContaining({ name: 'year', type: 'integer', required: true })]);
    const typeOf = Object.fromEntries(norm.columns.map((c) => [c.name, c.type]));
    expect(typeOf).toMatchObject({
      normId: 'string',
      'measure.code': 'string',
      target: 'decimal',
      result: 'decimal',
      met: 'boolean',
      counted: 'integer',
    });
    const dossiers = tables.find((t) => t.name === 'dossiers')!;
    expect(dossiers).toMatchObject({ paged: true, etag: false });
    expect(dossiers.parameters.map((p) => p.name)).toEqual(['code', 'year', 'status']);
    expect(dossiers.parameters.find((p) => p.name === 'status')!.values).toContain('GRANTED');
    const vsi = tables.find((t) => t.name === 'vsi')!;
    expect(vsi.columns.map((c) => c.name)).toContain('previous.controls');
  });
});

describe('the norm table', () => {
  type Row = Record<string, unknown>;
  let graphRows: Row[];
  beforeAll(async () => {
    const data = await graph.data<{ normResultsTable: Row[] }>(`{ normResultsTable(year: 2020) {
      normId overviewRowId year measure { code name domain } label target result met
      changeVsPreviousYearPpt counted onTime late } }`);
    graphRows = data.normResultsTable;
  });

  it('as CSV: a header and the report’s 69 rows, RFC 4180, every cell the graph’s value', async () => {
    const res = await get('/tables/norm-results.csv?year=2020');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="norm-results-2020.csv"');
    const text = await res.text();
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...records] = parse(text, { relax_column_count: false }) as string[][];
    expect(header).toEqual([
      'normId',
      'overviewRowId',
      'year',
      'measure.code',
      'measure.name',
      'measure.domain',
      'label',
      'target',
      'result',
      'met',
      'changeVsPreviousYearPpt',
      'counted',
      'onTime',
      'late',
    ]);
    expect(records).toHaveLength(overview.length);
    expect(records.map((r) => r[1])).toEqual(overview.map((o) => o.id));
    expect(records.map((r) => r[3])).toEqual(overview.map((o) => o.measureCode));
    // Targets are the report's own figures on every profile: exact, as printed.
    expect(records.map((r) => Number(r[7]))).toEqual(overview.map((o) => o.target));
    records.forEach((r, i) => {
      const g = graphRows[i]! as Record<string, any>;
      const cell = (value: unknown) => (value === null ? '' : String(value));
      expect(r, g.normId).toEqual([
        g.normId,
        g.overviewRowId,
        String(g.year),
        g.measure.code,
        g.measure.name,
        g.measure.domain,
        cell(g.label),
        cell(g.target),
        cell(g.result),
        cell(g.met),
        cell(g.changeVsPreviousYearPpt),
        cell(g.counted),
        cell(g.onTime),
        cell(g.late),
      ]);
      expect(Number.isInteger(Number(r[11]))).toBe(true);
    });
    // Labels carry commas and quotes in places: they survive the round trip quoted.
    expect(records.some((r) => /[",]/.test(r[6]!))).toBe(true);
  });

  it('as JSONL and JSON: the same rows, numbers as numbers', async () => {
    const jsonl = await get('/tables/norm-results.jsonl?year=2020');
    expect(jsonl.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const lines = (await jsonl.text())
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Row);
    const json = await get('/tables/norm-results.json?year=2020');
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const array = (await json.json()) as Row[];
    expect(lines).toEqual(array);
    expect(array).toHaveLength(69);
    array.forEach((row, i) => {
      const g = graphRows[i]! as Record<string, any>;
      expect(row).toEqual({
        normId: g.normId,
        overviewRowId: g.overviewRowId,
        year: 2020,
        'measure.code': g.measure.code,
        'measure.name': g.measure.name,
        'measure.domain': g.measure.domain,
        label: g.label,
        target: g.target,
        result: g.result,
        met: g.met,
        changeVsPreviousYearPpt: g.changeVsPreviousYearPpt,
        counted: g.counted,
        onTime: g.onTime,
        late: g.late,
      });
    });
  });

  it('has an ETag: the same request with If-None-Match gets 304 and no body; another year another tag', async () => {
    const first = await get('/tables/norm-results.csv?year=2020');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    await first.text();
    const again = await get('/tables/norm-results.csv?year=2020', { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const other = await get('/tables/norm-results.csv?year=2019', { 'if-none-match': etag! });
    expect(other.status).toBe(200);
    expect(other.headers.get('etag')).not.toBe(etag);
    await other.text();
  });

  it('with ?bom=1 starts with the byte-order mark Excel needs for UTF-8', async () => {
    const res = await get('/tables/norm-results.csv?year=2020&bom=1');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });
});

describe('decimals are exact', () => {
  it('budgets: the amounts are the graph’s decimal strings, digit for digit, in CSV and JSON', async () => {
    const data = await graph.data<{ measures: Array<{ code: string; budget: { vekRealised: string | null } | null }> }>(
      '{ measures { code budget(year: 2020) { vekRealised } } }',
    );
    const csv = parse(await (await get('/tables/budgets.csv?year=2020')).text(), { columns: true }) as Array<
      Record<string, string>
    >;
    const jsonText = await (await get('/tables/budgets.json?year=2020')).text();
    expect(csv.map((r) => [r['measure.code'], r['budget.vekRealised'] || null])).toEqual(
      data.measures.map((m) => [m.code, m.budget?.vekRealised ?? null]),
    );
    const withAmount = data.measures.find((m) => m.budget?.vekRealised)!;
    // In JSON the amount is a number written with the graph's digits (e.g. 1234.50, never 1234.5).
    expect(jsonText).toContain(`"budget.vekRealised":${withAmount.budget!.vekRealised}`);
  });
});

describe('refusals', () => {
  it('a bad, missing, repeated or unknown parameter: 400 BAD_TABLE_PARAMETER naming it', async () => {
    for (const [query, parameter] of [
      ['year=twenty', 'year'],
      ['', 'year'],
      ['year=2020&year=2019', 'year'],
      ['year=2020&yaer=2020', 'yaer'],
    ] as const) {
      const res = await get(`/tables/norm-results.csv?${query}`);
      expect(res.status, query).toBe(400);
      const error = await errorOf(res);
      expect(error.extensions).toEqual({ code: 'BAD_TABLE_PARAMETER', parameter });
      expect(error.message).toContain(parameter);
    }
    const res = await get('/tables/dossiers.csv?code=VOP&year=2020&status=LOST');
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/status must be one of RECEIVED/);
  });

  it('an unknown table: 404 TABLE_NOT_FOUND; an unknown format: 404 TABLE_FORMAT_NOT_FOUND', async () => {
    const missing = await get('/tables/no-such-table.csv');
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).extensions.code).toBe('TABLE_NOT_FOUND');
    const format = await get('/tables/norm-results.xlsx?year=2020');
    expect(format.status).toBe(404);
    expect((await errorOf(format)).extensions.code).toBe('TABLE_FORMAT_NOT_FOUND');
  });

  it('a scoped table: 401 for an anonymous caller, 403 without the scope, served with it', async () => {
    const anonymous = await fetch(`${base}/tables/dossiers.csv?code=VOP&year=2020`);
    expect(anonymous.status).toBe(401);
    expect((await errorOf(anonymous)).extensions.code).toBe('UNAUTHENTICATED');
    const other = await get('/tables/dossiers.csv?code=VOP&year=2020', {
      authorization: `Bearer ${await graph.token({ scopes: [SCOPES.contingentsRead] })}`,
    });
    expect(other.status).toBe(403);
    expect((await errorOf(other)).extensions.code).toBe('FORBIDDEN');
    const allowed = await get('/tables/dossiers.csv?code=VOP&year=2020', {
      authorization: `Bearer ${await graph.token({ scopes: [SCOPES.dossiersRead] })}`,
    });
    expect(allowed.status).toBe(200);
    expect((await allowed.text()).split('\r\n')[0]).toBe('measureCode,id,kind,channel,status,receivedAt,completedAt');
    // The public tables need no token.
    expect((await fetch(`${base}/tables/vsi.csv?year=2020`)).status).toBe(200);
  });

  it('a refused token is 401 on tables as on /graphql', async () => {
    const res = await get('/tables/norm-results.csv?year=2020', { authorization: 'Bearer not-a-token' });
    expect(res.status).toBe(401);
    expect((await errorOf(res)).extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('a connection table, followed page after page', () => {
  it('gives exactly totalCount dossiers, each once, in the graph’s order', async () => {
    // The measure with the fewest 2020 dossiers that still needs several pages: nothing hard-coded.
    const { measures } = await graph.data<{
      measures: Array<{ code: string; dossiers: { totalCount: number } | null }>;
    }>('{ measures { code dossiers(first: 1, filter: { year: 2020 }) { totalCount } } }');
    const candidates = measures
      .filter((m) => (m.dossiers?.totalCount ?? 0) > 3 * PAGE_SIZE)
      .sort((a, b) => a.dossiers!.totalCount - b.dossiers!.totalCount);
    expect(candidates.length).toBeGreaterThan(0);
    const { code, dossiers } = candidates[0]!;
    const res = await get(`/tables/dossiers.csv?code=${code}&year=2020`);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBeNull();
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="dossiers-${code}-2020.csv"`);
    const rows = parse(await res.text(), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(dossiers!.totalCount);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows.every((r) => r.measureCode === code && r.receivedAt!.startsWith('2020-'))).toBe(true);
    // The same rows as JSONL, and the first page equals the graph's own first page.
    const lines = (await (await get(`/tables/dossiers.jsonl?code=${code}&year=2020`)).text()).trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(rows.map((r) => r.id));
    const first = await graph.data<{ measure: { dossiers: { nodes: Array<{ id: string }> } } }>(
      `query ($code: ID!) { measure(code: $code) { dossiers(first: 5, filter: { year: 2020 }) { nodes { id } } } }`,
      { code },
    );
    expect(rows.slice(0, 5).map((r) => r.id)).toEqual(first.measure.dossiers.nodes.map((n) => n.id));
  });

  it('payments: one row per payment with its dossier, as many as the dossiers’ payments', async () => {
    const { measures } = await graph.data<{
      measures: Array<{ code: string; dossiers: { totalCount: number } | null }>;
    }>('{ measures { code dossiers(first: 1) { totalCount } } }');
    const candidates = measures
      .filter((m) => (m.dossiers?.totalCount ?? 0) > PAGE_SIZE)
      .sort((a, b) => a.dossiers!.totalCount - b.dossiers!.totalCount);
    // The smallest measure over one page whose dossiers have payments (not every measure pays; they
    // hang on files received before the seeded years), its payments read from /graphql page by page.
    let code: string | undefined;
    let want: string[][] = [];
    for (const candidate of candidates) {
      want = [];
      let after: string | null = null;
      for (;;) {
        const page: {
          measure: {
            dossiers: {
              pageInfo: { hasNextPage: boolean; endCursor: string | null };
              nodes: Array<{ id: string; payments: Array<{ id: string; amount: string }> }>;
            };
          };
        } = await graph.data(
          `query ($code: ID!, $after: String) { measure(code: $code) { dossiers(first: 1000, after: $after) {
            pageInfo { hasNextPage endCursor } nodes { id payments { id amount } } } } }`,
          { code: candidate.code, after },
        );
        want.push(...page.measure.dossiers.nodes.flatMap((d) => d.payments.map((p) => [d.id, p.id, p.amount])));
        if (!page.measure.dossiers.pageInfo.hasNextPage) break;
        after = page.measure.dossiers.pageInfo.endCursor;
      }
      code = candidate.code;
      if (want.length > 0) break;
    }
    expect(want.length).toBeGreaterThan(0);
    const rows = parse(await (await get(`/tables/payments.csv?code=${code}`)).text(), {
      columns: true,
    }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r.dossierId, r.id, r.amount])).toEqual(want);
  });
});

describe('the other tables', () => {
  const jsonRows = async (path: string) => {
    const res = await get(path);
    expect(res.status, path).toBe(200);
    return (await res.json()) as Array<Record<string, unknown>>;
  };

  it('vsi, trajectories and contingents give the rows of their query, flattened', async () => {
    const data = await graph.data<Record<string, any>>(`{
      vsiTable(year: 2020) { rows { label current { controls } previous { controls } } }
      transitionCall(call: 380) { perProvince { provinceCode started } }
      contingentTotals(filter: { quarter: "2020-Q4", perProvince: true }) { measureCode provinceCode filledFte }
    }`);
    const vsi = await jsonRows('/tables/vsi.json?year=2020');
    expect(vsi.map((r) => [r.label, r['current.controls'], r['previous.controls']])).toEqual(
      data.vsiTable.rows.map((r: any) => [r.label, r.current.controls, r.previous.controls]),
    );
    const trajectories = await jsonRows('/tables/trajectories.json?call=380');
    expect(trajectories.map((r) => [r.call, r.provinceCode, r.started])).toEqual(
      data.transitionCall.perProvince.map((r: any) => [380, r.provinceCode, r.started]),
    );
    const contingents = await jsonRows('/tables/contingents.json?quarter=2020-Q4');
    expect(contingents.length).toBeGreaterThan(0);
    expect(contingents.map((r) => [r.measureCode, r.provinceCode, r.filledFte])).toEqual(
      data.contingentTotals.map((r: any) => [r.measureCode, r.provinceCode, Number(r.filledFte)]),
    );
    // A value the query refuses (a malformed quarter) is the query's own 400 with its code.
    const bad = await get('/tables/contingents.csv?quarter=2020-Q9');
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).extensions.code).toBe('BAD_USER_INPUT');
  });

  it('growth-path allocations: one row per application with the call repeated; scoped', async () => {
    const { growthPathCalls } = await graph.data<{ growthPathCalls: Array<{ id: string; applications: unknown[] }> }>(
      '{ growthPathCalls { id applications { id } } }',
    );
    const call = growthPathCalls.find((c) => c.applications.length > 0)!;
    expect(call).toBeDefined();
    const rows = await jsonRows(`/tables/growth-path-allocations.json?call=${call.id}`);
    expect(rows).toHaveLength(call.applications.length);
    expect(rows.every((r) => r['call.id'] === call.id)).toBe(true);
    const anonymous = await fetch(`${base}/tables/growth-path-allocations.csv?call=${call.id}`);
    expect(anonymous.status).toBe(401);
  });
});
