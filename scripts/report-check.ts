/**
 * `npm run report:check -- [URL]`: asks a running graph (default http://127.0.0.1:4000/graphql) for
 * the 2020 norm table and every measure card's volumes of 2019 and 2020, and compares them with
 * the report's published figures (the project's copy in db/seed-data), as printed (shares to the
 * report's precision). Prints what matched; exits 1 on any difference, 2 when the graph does not
 * answer. What `.ci/run` checks after `npm start` on the embedded default.
 */
import { publishedMeasures, readSeedFile } from '@measure-graph/db';
import { precisionOf, showsAs } from '@measure-graph/demo-data';

const url = process.argv[2] ?? 'http://127.0.0.1:4000/graphql';

async function query<T>(text: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: text }),
    });
  } catch (err) {
    console.error(`${url} does not answer: ${(err as Error).message}`);
    process.exit(2);
  }
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (!body.data || body.errors) {
    console.error(`${url} answered with errors: ${JSON.stringify(body.errors)}`);
    process.exit(2);
  }
  return body.data;
}

const problems: string[] = [];
const shows = (value: number | null, published: number) =>
  value !== null && showsAs(Math.round(value * 1e6), 1e6, { value: published, precision: precisionOf(published) });

// The norm table: one row per overview row, its target and 2020 result as printed.
const overview = readSeedFile<{ rows: Array<{ id: string; target: number; result2020: number }> }>(
  'norm-overview-2020.json',
).rows;
const { normResultsTable: rows } = await query<{
  normResultsTable: Array<{ overviewRowId: string; target?: number; result?: number | null }>;
}>('{ normResultsTable(year: 2020) { overviewRowId ... on NormResultRow { target result } } }');
const byRow = new Map(rows.map((r) => [r.overviewRowId, r]));
let normsMatched = 0;
for (const published of overview) {
  const row = byRow.get(published.id);
  if (row && row.target === published.target && shows(row.result ?? null, published.result2020)) normsMatched++;
  else
    problems.push(`norm ${published.id}: ${row?.target}/${row?.result} vs ${published.target}/${published.result2020}`);
}

// Every card's volumes of both years, in card order.
const measures = publishedMeasures();
let volumesCompared = 0;
let volumesMatched = 0;
for (const year of [2019, 2020] as const) {
  const data = await query<{
    measures: Array<{ code: string; volumes: Array<{ unit: string; value: number | null }> }>;
  }>(`{ measures { code volumes(year: ${year}) { unit value } } }`);
  const served = new Map(data.measures.map((m) => [m.code, m.volumes]));
  if (year === 2020 && data.measures.length !== measures.length)
    problems.push(`measures: ${data.measures.length} served, ${measures.length} published`);
  for (const measure of measures) {
    measure.volumes.forEach((row, i) => {
      const expected = year === 2019 ? row.value2019 : row.value2020;
      if (expected === null) return;
      volumesCompared++;
      const got = served.get(measure.code)?.[i];
      const equal = got?.unit === 'SHARE' ? shows(got.value, expected) : got?.value === expected;
      if (equal) volumesMatched++;
      else problems.push(`${measure.code} ${year} "${row.label}": ${got?.value} vs ${expected}`);
    });
  }
}

const out = (line: string) => process.stdout.write(`${line}\n`);
out(`norm table 2020: ${normsMatched} of ${overview.length} overview rows as printed`);
out(`measure cards 2019-2020: ${volumesMatched} of ${volumesCompared} published values`);
for (const problem of problems) out(`  differs: ${problem}`);
process.exit(problems.length > 0 ? 1 : 0);
