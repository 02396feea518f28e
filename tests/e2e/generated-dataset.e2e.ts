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
 * loaded by `data:import` into an empty database (migrated, static reference data seeded, no demo
 * seed, so no catalogue either: measures.jsonl brings it) makes the graph answer what the
 * catalogue and dossiers determine exactly as the seeded demo does.
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
  return { rows, counts };
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
    expect(
      Object.values(expected.counts)
        .flat()
        .every((n) => n > 0),
    ).toBe(true);

    const database = await createTestDatabase();
    const imported = await startTestStack({ database, seedProfile: null });
    stacks.push(imported);
    // Static reference data only: no measure (and so no dossier) before the import.
    expect(await imported.data<{ measures: unknown[] }>('{ measures { code } }')).toEqual({ measures: [] });

    await writeDemoDataset(dir, 'small');
    const report = await importDataset({ dir, urlFor: () => database.url, subgraphs });
    expect(report.files.map((f) => [f.file, f.loaded, f.errorCount])).toEqual([
      ['measures.jsonl', true, 0],
      ['organisations.jsonl', true, 0],
      ['persons.jsonl', true, 0],
      ['dossiers.jsonl', true, 0],
    ]);
    expect(await figures(imported)).toEqual(expected);
  }, 300_000);
});
