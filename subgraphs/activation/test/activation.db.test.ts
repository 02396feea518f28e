import { publishedMeasures } from '@measure-graph/db';
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
  it('serves the published norms of every activation measure, in report order', async () => {
    const own = publishedMeasures().filter((m) => m.domain === 'activation');
    const entities = await normsOf(
      'ActivationMeasure',
      own.map((m) => m.code),
    );
    own.forEach((measure, i) =>
      expect(entities[i]!.norms.map((n) => n.label)).toEqual(measure.norms.map((n) => n.label)),
    );
  });

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

  it('does not answer for a measure of another domain', async () => {
    expect(await normsOf('ActivationMeasure', ['MAATWERK'])).toEqual([null]);
  });
});
