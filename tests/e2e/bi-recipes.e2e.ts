import { publishedMeasures, readSeedFile } from '@measure-graph/db';
import { precisionOf, showsAs } from '@measure-graph/demo-data';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * The recipes of docs/bi.md, each done the way its connector does it: one GET of the documented URL
 * (query parameters and the Authorization header as the recipe sets them), the body parsed as the
 * connector parses it (CSV by an RFC 4180 parser, JSON), the columns typed from GET /tables as the
 * recipe's type step does, then row count and totals compared with the published 2020 report. On
 * the full profile, whose figures reproduce the report.
 */
let graph: TestStack;
let base: string;
beforeAll(async () => {
  graph = await startTestStack({ seedProfile: 'full' });
  base = graph.url.replace(/\/graphql$/, '');
}, 900_000);
afterAll(() => graph?.stop());

interface Listed {
  name: string;
  columns: Array<{ name: string; type: string }>;
}
type Typed = Record<string, string | number | boolean | null>;

/** Web.Contents(url, [Query=..., Headers=...]): one GET. */
async function webContents(path: string, query: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}?${new URLSearchParams(query)}`, { headers });
  expect(res.status, path).toBe(200);
  return res;
}

/** Table.TransformColumnTypes with the types GET /tables gives (Int64.Type, type number, type logical, type text). */
async function typeColumns(table: string, rows: Array<Record<string, string>>): Promise<Typed[]> {
  const { tables } = (await (await fetch(`${base}/tables`)).json()) as { tables: Listed[] };
  const columns = tables.find((t) => t.name === table)!.columns;
  return rows.map((row) =>
    Object.fromEntries(
      columns.map(({ name, type }) => {
        const text = row[name]!;
        if (text === '') return [name, null];
        if (type === 'integer') {
          expect(text, name).toMatch(/^-?\d+$/);
          return [name, Number(text)];
        }
        if (type === 'decimal') {
          expect(text, name).toMatch(/^-?\d+(\.\d+)?(e-?\d+)?$/);
          return [name, Number(text)];
        }
        if (type === 'boolean') return [name, text === 'true'];
        return [name, text];
      }),
    ),
  );
}

/** Euro amounts summed in cents, exactly (as a decimal type does). */
const cents = (amount: string | number | null) => {
  if (amount === null || amount === '') return 0n;
  const [whole, fraction = ''] = String(amount).split('.');
  const sign = whole!.startsWith('-') ? -1n : 1n;
  return sign * (BigInt(whole!.replace('-', '')) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2)));
};

interface OverviewRow {
  id: string;
  measureCode: string;
  target: number;
  result2020: number;
}
const overview = readSeedFile<{ rows: OverviewRow[] }>('norm-overview-2020.json').rows;

describe('Power BI / Excel (Power Query): Csv.Document(Web.Contents(...)) of the norm table', () => {
  it('gives the report’s 69 rows, typed, with the printed targets and 2020 results', async () => {
    const token = await graph.token({ scopes: [] });
    const res = await webContents('/tables/norm-results.csv', { year: '2020' }, { Authorization: `Bearer ${token}` });
    // Csv.Document with Encoding=65001 and QuoteStyle.Csv, then Table.PromoteHeaders.
    const records = parse(await res.text(), { columns: true, bom: true }) as Array<Record<string, string>>;
    const rows = await typeColumns('norm-results', records);
    expect(rows).toHaveLength(overview.length);
    expect(rows.map((r) => r.overviewRowId)).toEqual(overview.map((o) => o.id));
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    expect(sum(rows.map((r) => r.target as number))).toBeCloseTo(sum(overview.map((o) => o.target)), 9);
    overview.forEach((published, i) => {
      const row = rows[i]!;
      expect(row.onTime as number, published.id).toBe((row.counted as number) - (row.late as number));
      expect(
        showsAs(row.onTime as number, row.counted as number, {
          value: published.result2020,
          precision: precisionOf(published.result2020),
        }),
        `${published.id}: ${row.onTime}/${row.counted} vs ${published.result2020}`,
      ).toBe(true);
    });
  });
});

describe('Grafana (Infinity data source): JSON of the card volumes, root = the array', () => {
  it('gives every card row of 2020 with the published counts', async () => {
    const res = await webContents('/tables/card-volumes.json', { year: '2020' });
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const rows = (await res.json()) as Typed[];
    const published = publishedMeasures();
    expect(rows).toHaveLength(published.reduce((n, m) => n + m.volumes.length, 0));
    // Infinity's columns: measure.code (string), label (string), unit (string), value (number).
    let publishedTotal = 0;
    let tableTotal = 0;
    for (const measure of published) {
      const own = rows.filter((r) => r['measure.code'] === measure.code);
      expect(own, measure.code).toHaveLength(measure.volumes.length);
      measure.volumes.forEach((volume, i) => {
        if (volume.value2020 === null || own[i]!.unit !== 'COUNT') return;
        publishedTotal += volume.value2020;
        tableTotal += own[i]!.value as number;
      });
    }
    expect(publishedTotal).toBeGreaterThan(0);
    expect(tableTotal).toBe(publishedTotal);
  });
});

describe('Tableau: the budgets CSV from its URL', () => {
  it('sums the realised VEK and VAK of 2020 to the published totals, to the cent', async () => {
    const res = await webContents('/tables/budgets.csv', { year: '2020' });
    const rows = parse(await res.text(), { columns: true }) as Array<Record<string, string>>;
    const published = publishedMeasures();
    expect(rows).toHaveLength(published.length);
    const total = (pick: (r: Record<string, string>) => string) => rows.reduce((s, r) => s + cents(pick(r)), 0n);
    const publishedTotal = (pick: (m: (typeof published)[number]) => number | null) =>
      published.reduce(
        (s, m) => s + cents(pick(m) === null ? null : (Math.round((pick(m) as number) * 100) / 100).toFixed(2)),
        0n,
      );
    expect(total((r) => r['budget.vekRealised']!)).toBe(publishedTotal((m) => m.budget.vek2020Realised));
    expect(total((r) => r['budget.vakRealised']!)).toBe(publishedTotal((m) => m.budget.vak2020Realised));
    expect(publishedTotal((m) => m.budget.vek2020Realised)).toBeGreaterThan(0n);
  });
});
