import { publishedMeasures } from '@measure-graph/db';
import { fetchNorms, startSubgraphForTest, type SubgraphUnderTest } from '@measure-graph/subgraph-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socialEconomySubgraph } from '../src/subgraph.ts';

let subgraph: SubgraphUnderTest;
beforeAll(async () => {
  subgraph = await startSubgraphForTest(socialEconomySubgraph);
});
afterAll(() => subgraph?.stop());

const normsOf = (typename: string, codes: string[]) => fetchNorms(subgraph, typename, codes);

describe('social-economy measure modules', () => {
  it('serves the published norms of every social-economy measure, in report order', async () => {
    const own = publishedMeasures().filter((m) => m.domain === 'social-economy');
    const entities = await normsOf(
      'SocialEconomyMeasure',
      own.map((m) => m.code),
    );
    own.forEach((measure, i) =>
      expect(entities[i]!.norms.map((n) => n.label)).toEqual(measure.norms.map((n) => n.label)),
    );
  });

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

  it('does not answer for a measure of another domain', async () => {
    expect(await normsOf('SocialEconomyMeasure', ['BEV'])).toEqual([null]);
  });
});
