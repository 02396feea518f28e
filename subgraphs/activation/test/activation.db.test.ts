import { fetchNorms, startSubgraphForTest, type SubgraphUnderTest } from '@measure-graph/demo-data/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activationSubgraph } from '../src/subgraph.ts';

let subgraph: SubgraphUnderTest;
beforeAll(async () => {
  subgraph = await startSubgraphForTest(activationSubgraph);
});
afterAll(() => subgraph?.stop());

const normsOf = (typename: string, codes: string[]) => fetchNorms(subgraph, typename, codes);

describe('activation measure modules', () => {
  it('keeps fractional day thresholds and period rules of AWI', async () => {
    const [awi] = await normsOf('ActivationMeasure', ['AWI']);
    expect(awi!.norms[1]).toMatchObject({
      id: 'AWI-2',
      stage: 'DECISION',
      kind: 'INTERNAL',
      targetShare: 1,
      thresholdDays: 1.5,
    });
    expect(awi!.norms[2]).toMatchObject({
      stage: 'PAYMENT',
      thresholdDays: null,
      thresholdRule: '1ste schijf binnen 4,5 maanden',
    });
  });
});
