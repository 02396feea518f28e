import { fetchNorms, startSubgraphForTest, type SubgraphUnderTest } from '@measure-graph/demo-data/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { competencesSubgraph } from '../src/subgraph.ts';

let subgraph: SubgraphUnderTest;
beforeAll(async () => {
  subgraph = await startSubgraphForTest(competencesSubgraph);
});
afterAll(() => subgraph?.stop());

const normsOf = (typename: string, codes: string[]) => fetchNorms(subgraph, typename, codes);

describe('competences measure modules', () => {
  it('keeps calendar-date thresholds and shares below 100% of BEV', async () => {
    const [bev] = await normsOf('CompetencesMeasure', ['BEV']);
    expect(bev!.norms[2]).toEqual({
      id: 'BEV-3',
      label: '99% betaald <= 31/10',
      stage: 'PAYMENT',
      kind: 'INTERNAL',
      targetShare: 0.99,
      thresholdDays: null,
      thresholdRule: '<= 31/10',
      channel: null,
      overviewRowId: 'OV38',
    });
  });
});
