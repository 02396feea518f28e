import { publishedMeasures } from '@measure-graph/db';
import { fetchNorms, startSubgraphForTest, type SubgraphUnderTest } from '@measure-graph/demo-data/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectionSubgraph } from '../src/subgraph.ts';

let subgraph: SubgraphUnderTest;
beforeAll(async () => {
  subgraph = await startSubgraphForTest(inspectionSubgraph);
});
afterAll(() => subgraph?.stop());

const normsOf = (typename: string, codes: string[]) => fetchNorms(subgraph, typename, codes);

describe('inspection measure modules', () => {
  it('serves the 8-month handling norm of administrative fines', async () => {
    const [fines] = await normsOf('InspectionMeasure', ['ADMIN_GELDBOETES']);
    expect(fines!.norms).toEqual([
      expect.objectContaining({
        id: 'ADMIN_GELDBOETES-1',
        stage: 'DECISION',
        kind: 'LEGAL',
        thresholdRule: '<= 8 maanden',
        overviewRowId: 'OV34',
      }),
    ]);
  });
});

describe('references to measures of every domain', () => {
  const query = `{ vsiTable(year: 2020) { rows { domainCode measure { __typename } } } }`;
  const typeOf = async () => {
    const { result, statements } = await subgraph.countStatements(() =>
      subgraph.execute<{ vsiTable: { rows: Array<{ domainCode: string; measure: { __typename: string } | null }> } }>(
        query,
      ),
    );
    expect(result.errors).toBeUndefined();
    return { rows: result.data!.vsiTable.rows, statements };
  };

  it('types each reference by the domain inspection’s own catalogue gives, one statement for all rows', async () => {
    const { rows, statements } = await typeOf();
    const domainOf = new Map(publishedMeasures().map((m) => [m.code, m.domain]));
    const TYPES = {
      activation: 'ActivationMeasure',
      competences: 'CompetencesMeasure',
      'social-economy': 'SocialEconomyMeasure',
      inspection: 'InspectionMeasure',
    } as const;
    expect(rows.find((r) => r.domainCode === 'LDE')!.measure).toEqual({ __typename: 'SocialEconomyMeasure' });
    expect(rows.find((r) => r.domainCode === 'TAALDECREET')!.measure).toBeNull();
    for (const row of rows.filter((r) => domainOf.has(r.domainCode))) {
      expect(row.measure).toEqual({ __typename: TYPES[domainOf.get(row.domainCode)!] });
    }
    // Control domains, figures and the catalogue entries of every row.
    expect(statements).toBe(3);
  });

  it('reads the catalogue from its database at request time, not from the report', async () => {
    await subgraph.dataSource.query(
      `UPDATE inspection.measure_catalogue SET domain = 'COMPETENCES' WHERE code = 'LDE'`,
    );
    try {
      const { rows } = await typeOf();
      expect(rows.find((r) => r.domainCode === 'LDE')!.measure).toEqual({ __typename: 'CompetencesMeasure' });
      await subgraph.dataSource.query(`DELETE FROM inspection.measure_catalogue WHERE code = 'LDE'`);
      expect((await typeOf()).rows.find((r) => r.domainCode === 'LDE')!.measure).toBeNull();
    } finally {
      await subgraph.dataSource.query(
        `INSERT INTO inspection.measure_catalogue (code, domain) VALUES ('LDE', 'SOCIAL_ECONOMY')
         ON CONFLICT (code) DO UPDATE SET domain = EXCLUDED.domain`,
      );
    }
  });
});
