import { fetchNorms, startSubgraphForTest, type SubgraphUnderTest } from '@measure-graph/demo-data/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socialEconomySubgraph } from '../src/subgraph.ts';

let subgraph: SubgraphUnderTest;
beforeAll(async () => {
  subgraph = await startSubgraphForTest(socialEconomySubgraph);
});
afterAll(() => subgraph?.stop());

const normsOf = (typename: string, codes: string[]) => fetchNorms(subgraph, typename, codes);

describe('social-economy measure modules', () => {
  it('keeps working-day rules, unspecified kinds and the norm outside the overview table', async () => {
    const [maatwerk] = await normsOf('SocialEconomyMeasure', ['MAATWERK']);
    expect(maatwerk!.norms).toHaveLength(6);
    expect(maatwerk!.norms[4]).toMatchObject({
      kind: 'UNSPECIFIED',
      thresholdRule: '<= 10de werkdag',
      overviewRowId: 'OV47',
    });
    expect(maatwerk!.norms[5]).toMatchObject({ kind: 'LEGAL', thresholdRule: 'ingang op 1/10', overviewRowId: null });
  });
});

describe('norm results of social-economy measures', () => {
  type Result = { norm: { id: string }; counted: number; onTime: number; late: number };
  const results = async (quarter?: number) => {
    const { data, errors } = await subgraph.execute<{ _entities: Array<{ normResults: Result[] }> }>(
      `query ($q: Int) { _entities(representations: [{ __typename: "SocialEconomyMeasure", code: "MAATWERK" }]) {
        ... on SocialEconomyMeasure { normResults(year: 2020, quarter: $q) { norm { id } counted onTime late } } } }`,
      { q: quarter ?? null },
    );
    expect(errors).toBeUndefined();
    return data!._entities[0]!.normResults;
  };

  it('splits a year into quarters that add up to it', async () => {
    const year = await results();
    const quarters = await Promise.all([1, 2, 3, 4].map((q) => results(q)));
    for (const [i, norm] of year.entries()) {
      expect(
        quarters.reduce((n, q) => n + q[i]!.counted, 0),
        norm.norm.id,
      ).toBe(norm.counted);
      expect(
        quarters.reduce((n, q) => n + q[i]!.onTime, 0),
        norm.norm.id,
      ).toBe(norm.onTime);
    }
    expect(year.some((r) => r.counted > 0)).toBe(true);
  });

  it('lists exactly the late dossiers behind a result', async () => {
    const { data } = await subgraph.execute<any>(
      `{ _entities(representations: [{ __typename: "SocialEconomyMeasure", code: "MAATWERK" }]) {
        ... on SocialEconomyMeasure { normResults(year: 2020) { late items(onTime: false, first: 1000) { totalCount nodes { onTime dossier { id } } } } } } }`,
    );
    for (const r of data._entities[0].normResults) {
      expect(r.items.totalCount).toBe(r.late);
      expect(r.items.nodes).toHaveLength(r.late);
      expect(r.items.nodes.every((n: { onTime: boolean }) => n.onTime === false)).toBe(true);
    }
  });
});
