import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importDataset } from '@measure-graph/data-import';
import { writeDemoDataset } from '@measure-graph/demo-data';
import { createTestDatabase } from '@measure-graph/db/testing';
import { subgraphs } from '@measure-graph/schema/subgraphs';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * The demo dataset is data (issue 13, item 4): the small profile written by `data:generate` and
 * loaded by `data:import` into an empty database (migrated, reference data seeded, no demo seed)
 * makes the graph answer what the dossiers determine exactly as the seeded demo does.
 */

const MEASURES = ['ARBEIDSKAARTEN', 'AANMOEDIGINGSPREMIES', 'VOP', 'LDE', 'OPLEIDINGSCHEQUES', 'BEROEPSKAARTEN'];

/** Norm results of 2020 and dossier counts of 2019 and 2020 of a few measures, as the graph serves them. */
async function figures(graph: TestStack) {
  const table = await graph.data<{ normResultsTable: Array<Record<string, unknown>> }>(`{
    normResultsTable(year: 2020) {
      normId measure { code }
      ... on NormResultRow { result counted onTime late }
    }
  }`);
  const counts: Record<string, number[]> = {};
  for (const code of MEASURES) {
    const res = await graph.data<{ measure: { y2019: { totalCount: number }; y2020: { totalCount: number } } }>(
      `query ($code: ID!) { measure(code: $code) {
         y2019: dossiers(filter: { year: 2019 }) { totalCount }
         y2020: dossiers(filter: { year: 2020 }) { totalCount } } }`,
      { code },
    );
    counts[code] = [res.measure.y2019.totalCount, res.measure.y2020.totalCount];
  }
  const rows = table.normResultsTable.filter((r) => MEASURES.includes((r.measure as { code: string }).code));
  // The social economy's contingent figures per quarter and province, and its growth-path calls.
  const sector = await graph.data<Record<string, unknown>>(`{
    q2017: contingentTotals(filter: { quarter: "2017-Q4", perProvince: true }) { provinceCode organisations contingentFte filledFte }
    maatwerk: contingentTotals(filter: { quarter: "2020-Q4", measureCode: "MAATWERK", perProvince: true }) { provinceCode contingentFte filledFte }
    lde: contingentTotals(filter: { quarter: "2019-Q2", sector: LDE }) { organisations contingentFte filledFte }
    growthPathCalls { id status budgetFte requestedFte allocatedFte }
  }`);
  return { rows, counts, sector };
}

const stacks: TestStack[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'measure-graph-generated-'));

afterAll(async () => {
  for (const s of stacks) await s.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a generated small dataset, imported', () => {
  it('serves the seeded demo figures of its dossiers', async () => {
    const seeded = await startTestStack({ seedProfile: 'small' });
    stacks.push(seeded);
    const expected = await figures(seeded);
    await seeded.stop();
    stacks.pop();
    expect(expected.rows.length).toBeGreaterThan(5);
    expect(expected.sector.growthPathCalls).toHaveLength(4);
    expect(
      Object.values(expected.counts)
        .flat()
        .every((n) => n > 0),
    ).toBe(true);

    const database = await createTestDatabase();
    const imported = await startTestStack({ database, seedProfile: null });
    stacks.push(imported);
    // Reference data only: no dossier before the import.
    const before = await figures(imported);
    expect(before.counts).toEqual(Object.fromEntries(MEASURES.map((m) => [m, [0, 0]])));
    expect(before.sector.growthPathCalls).toEqual([]);

    await writeDemoDataset(dir, 'small');
    const report = await importDataset({ dir, urlFor: () => database.url, subgraphs });
    expect(report.files.map((f) => [f.file, f.loaded, f.errorCount])).toEqual([
      ['organisations.jsonl', true, 0],
      ['persons.jsonl', true, 0],
      ['dossiers.jsonl', true, 0],
      ['sector-organisations.jsonl', true, 0],
      ['contingents.jsonl', true, 0],
      ['growth-paths.jsonl', true, 0],
    ]);
    expect(await figures(imported)).toEqual(expected);
  }, 300_000);
});
