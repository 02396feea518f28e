import { publishedMeasures } from '@measure-graph/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueMeasureCount } from '@measure-graph/demo-data/testing';
import { startTestStack, type TestStack } from '../support/stack.ts';

let graph: TestStack;
beforeAll(async () => {
  graph = await startTestStack();
});
afterAll(() => graph?.stop());

const published = publishedMeasures();
const DOMAIN_ENUM = {
  activation: 'ACTIVATION',
  competences: 'COMPETENCES',
  'social-economy': 'SOCIAL_ECONOMY',
  inspection: 'INSPECTION',
};

describe('the measure catalogue through the gateway', () => {
  it('returns every measure of the 2020 report', async () => {
    const res = await graph.query<{ measures: Array<{ code: string; name: string; domain: string }> }>(
      '{ measures { code name domain } }',
    );
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data!.measures).toHaveLength(catalogueMeasureCount());
    expect(res.data!.measures).toEqual(
      published.map((m) => ({ code: m.code, name: m.name, domain: DOMAIN_ENUM[m.domain] })),
    );
  });

  it('brings measures of all four domains in one request, with catalogue and module fields from different subgraphs', async () => {
    const res = await graph.query<{
      measures: Array<{
        __typename: string;
        code: string;
        domain: string;
        status: string;
        norms: Array<{ label: string }>;
      }>;
    }>('{ measures { __typename code domain status objective { code } norms { label stage targetShare } } }');
    expect(res.errors).toBeUndefined();
    const measures = res.data!.measures;
    expect(new Set(measures.map((m) => m.domain))).toEqual(new Set(Object.values(DOMAIN_ENUM)));
    expect(new Set(measures.map((m) => m.__typename))).toEqual(
      new Set(['ActivationMeasure', 'CompetencesMeasure', 'SocialEconomyMeasure', 'InspectionMeasure']),
    );
    // Norms come from each measure's own domain subgraph: every published norm, in order.
    for (const measure of published) {
      const served = measures.find((m) => m.code === measure.code)!;
      expect(
        served.norms.map((n) => n.label),
        measure.code,
      ).toEqual(measure.norms.map((n) => n.label));
    }
    expect(measures.reduce((sum, m) => sum + m.norms.length, 0)).toBe(published.flatMap((m) => m.norms).length);
  });

  it('filters by domain and status', async () => {
    const res = await graph.query<{ measures: Array<{ code: string }> }>(
      '{ measures(domain: ACTIVATION, status: PHASING_OUT) { code } }',
    );
    expect(res.data!.measures.map((m) => m.code)).toEqual(['GESCO', 'DAC', 'GLOBALE_PROJECTEN']);
  });

  it('answers measure(code:) for a code of any domain', async () => {
    for (const code of ['VOP', 'BEV', 'LDE', 'ADMIN_GELDBOETES']) {
      const res = await graph.query<{ measure: { code: string; name: string; norms: unknown[] } }>(
        'query ($code: ID!) { measure(code: $code) { code name norms { id } } }',
        { code },
      );
      const expected = published.find((m) => m.code === code)!;
      expect(res.errors).toBeUndefined();
      expect(res.data!.measure).toMatchObject({ code, name: expected.name });
      expect(res.data!.measure.norms).toHaveLength(expected.norms.length);
    }
  });

  it('gives NOT_FOUND for an unknown measure code', async () => {
    const res = await graph.query('{ measure(code: "NO_SUCH_MEASURE") { code name norms { id } } }');
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ measure: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({
      path: ['measure'],
      extensions: { code: 'NOT_FOUND', value: 'NO_SUCH_MEASURE' },
    });
  });

  it('resolves organisations by KBO number and rejects a bad check digit', async () => {
    const [org] = await graph.stack.subgraphs
      .find((s) => s.name === 'registry')!
      .dataSource.query(
        'SELECT kbo_number AS "kboNumber", name FROM registry.organisation ORDER BY kbo_number LIMIT 1',
      );
    const ok = await graph.query(
      'query ($k: ID!) { organisation(kboNumber: $k) { kboNumber name province { name } } }',
      {
        k: org.kboNumber,
      },
    );
    expect(ok.data!.organisation).toMatchObject({ kboNumber: org.kboNumber, name: org.name });
    const bad = await graph.query('{ organisation(kboNumber: "0316381038") { name } }');
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
