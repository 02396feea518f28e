import { publishedMeasures } from '@measure-graph/db';
import { fetchNorms, startSubgraphForTest, type SubgraphUnderTest } from '@measure-graph/subgraph-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectionSubgraph } from '../src/subgraph.ts';

let subgraph: SubgraphUnderTest;
beforeAll(async () => {
  subgraph = await startSubgraphForTest(inspectionSubgraph);
});
afterAll(() => subgraph?.stop());

const normsOf = (typename: string, codes: string[]) => fetchNorms(subgraph, typename, codes);

describe('inspection measure modules', () => {
  it('serves the published norms of every inspection measure, in report order', async () => {
    const own = publishedMeasures().filter((m) => m.domain === 'inspection');
    const entities = await normsOf(
      'InspectionMeasure',
      own.map((m) => m.code),
    );
    own.forEach((measure, i) =>
      expect(entities[i]!.norms.map((n) => n.label)).toEqual(measure.norms.map((n) => n.label)),
    );
  });

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

  it('does not answer for a measure of another domain', async () => {
    expect(await normsOf('InspectionMeasure', ['LDE'])).toEqual([null]);
  });
});
