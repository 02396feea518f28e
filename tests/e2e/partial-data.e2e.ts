import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueMeasureCount } from '@measure-graph/demo-data/testing';
import { startTestStack, type GraphQLResponse, type TestStack } from '../support/stack.ts';

// Partial data: with one subgraph down, the gateway answers everything the others supply and
// leaves empty (null, with a coded error at their path) only the fields of the one that is down.
// The nullability that makes this hold is guarded by schema/test/partial-data.test.ts; this test
// stops subgraphs of a running graph one after the other: activation, inspection, the registry.

let graph: TestStack;
/** An LDE organisation with inspections, found while every subgraph runs. */
let inspectedKbo: string;

beforeAll(async () => {
  graph = await startTestStack();
  const { sectorOrganisations } = await graph.data<{
    sectorOrganisations: Array<{ kboNumber: string; inspections: { totalCount: number } }>;
  }>('{ sectorOrganisations(sector: LDE) { kboNumber inspections(first: 1) { totalCount } } }');
  inspectedKbo = sectorOrganisations.find((o) => o.inspections.totalCount > 0)!.kboNumber;
}, 300_000);
afterAll(() => graph?.stop());

async function stopSubgraph(name: string): Promise<void> {
  await graph.stack.subgraphs.find((s) => s.name === name)!.stop();
}

/** The errors of a response that say `serviceName` is unavailable, with their paths. */
const unavailable = (res: GraphQLResponse, serviceName: string) =>
  (res.errors ?? []).filter(
    (e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE' && e.extensions?.serviceName === serviceName,
  );

const HEADLINE = '{ measures { code domain normResults(year: 2020) { result } } }';
type Headline = {
  measures: Array<{ code: string; domain: string; normResults: Array<{ result: number | null }> | null }>;
};

describe('the headline query with every subgraph up', () => {
  it('has the norm results of every measure and no error', async () => {
    const res = await graph.query<Headline>(HEADLINE);
    expect(res.errors).toBeUndefined();
    expect(res.data!.measures.every((m) => Array.isArray(m.normResults))).toBe(true);
  });
});

describe('with the activation subgraph down', () => {
  beforeAll(() => stopSubgraph('activation'));

  it('the headline query answers the other three domains; activation’s norm results are null with an error at their path', async () => {
    const res = await graph.query<Headline>(HEADLINE);
    expect(res.status).toBe(200);
    expect(res.data).not.toBeNull();
    const measures = res.data!.measures;
    expect(measures).toHaveLength(catalogueMeasureCount());
    const byDomain = (domain: string) => measures.filter((m) => m.domain === domain);
    for (const domain of ['COMPETENCES', 'SOCIAL_ECONOMY', 'INSPECTION']) {
      expect(byDomain(domain).length, domain).toBeGreaterThan(0);
      for (const m of byDomain(domain)) expect(Array.isArray(m.normResults), m.code).toBe(true);
    }
    // Figures of the other domains are there, not only empty lists.
    expect(byDomain('COMPETENCES').some((m) => m.normResults!.some((r) => r.result !== null))).toBe(true);
    expect(byDomain('ACTIVATION').length).toBeGreaterThan(0);
    for (const m of byDomain('ACTIVATION')) expect(m.normResults, m.code).toBeNull();

    const errors = unavailable(res, 'activation');
    expect(errors.length).toBeGreaterThan(0);
    expect(res.errors!.every((e) => e.extensions?.serviceName === 'activation')).toBe(true);
    // Each error points at the norm results of an activation measure.
    const activationIndexes = measures.flatMap((m, i) => (m.domain === 'ACTIVATION' ? [i] : []));
    for (const e of errors) {
      expect(e.path).toEqual(['measures', expect.any(Number), 'normResults']);
      expect(activationIndexes).toContain(e.path![1]);
    }
  });

  it('root fields of the other subgraphs are answered beside a root field of activation', async () => {
    const res = await graph.query<{ provinces: unknown[]; wepPromoters: unknown }>(
      '{ provinces { code } wepPromoters { type } }',
    );
    expect(res.data!.provinces.length).toBeGreaterThan(0);
    expect(res.data!.wepPromoters).toBeNull();
    expect(unavailable(res, 'activation').map((e) => e.path)).toEqual([['wepPromoters']]);
  });

  it('the norm table keeps its rows, with the activation rows’ figures null', async () => {
    const res = await graph.query<{
      normResultsTable: Array<{
        normId: string;
        measure: { domain: string };
        label: string | null;
        counted: number | null;
      }>;
    }>('{ normResultsTable(year: 2020) { normId measure { domain } label counted } }');
    expect(res.data).not.toBeNull();
    const rows = res.data!.normResultsTable;
    const activation = rows.filter((r) => r.measure.domain === 'ACTIVATION');
    const others = rows.filter((r) => r.measure.domain !== 'ACTIVATION');
    expect(activation.length).toBeGreaterThan(0);
    expect(activation.every((r) => r.label === null && r.counted === null)).toBe(true);
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((r) => typeof r.label === 'string' && typeof r.counted === 'number')).toBe(true);
    expect(unavailable(res, 'activation').length).toBeGreaterThan(0);
  });
});

describe('with the inspection subgraph down too', () => {
  beforeAll(() => stopSubgraph('inspection'));

  it('an organisation keeps its registry and social-economy fields; its inspections are null with an error at their path', async () => {
    const res = await graph.query<{
      organisation: {
        kboNumber: string;
        name: string | null;
        province: { code: string } | null;
        socialEconomy: { sector: string } | null;
        inspections: unknown;
        lastInspection: unknown;
      } | null;
    }>(
      `query ($kbo: ID!) { organisation(kboNumber: $kbo) {
         kboNumber name province { code } socialEconomy { sector }
         inspections(first: 5) { totalCount nodes { id } } lastInspection { id } } }`,
      { kbo: inspectedKbo },
    );
    expect(res.status).toBe(200);
    const organisation = res.data!.organisation!;
    expect(organisation.kboNumber).toBe(inspectedKbo);
    expect(typeof organisation.name).toBe('string');
    expect(organisation.province?.code).toMatch(/^[A-Z]{3}$/);
    expect(organisation.socialEconomy).toEqual({ sector: 'LDE' });
    expect(organisation.inspections).toBeNull();
    expect(organisation.lastInspection).toBeNull();
    const paths = unavailable(res, 'inspection').map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        ['organisation', 'inspections'],
        ['organisation', 'lastInspection'],
      ]),
    );
  });

  it('a measure keeps its catalogue and norms; its inspection figures are null', async () => {
    const res = await graph.query<{
      measure: { code: string; name: string | null; norms: unknown[] | null; inspectionStats: unknown };
    }>('{ measure(code: "MAATWERK") { code name norms { id } inspectionStats(year: 2020) { controls } } }');
    expect(res.data!.measure).toMatchObject({ code: 'MAATWERK', inspectionStats: null });
    expect(typeof res.data!.measure.name).toBe('string');
    expect(res.data!.measure.norms!.length).toBeGreaterThan(0);
    expect(unavailable(res, 'inspection').map((e) => e.path)).toEqual([['measure', 'inspectionStats']]);
  });
});

describe('with the registry down too', () => {
  beforeAll(() => stopSubgraph('registry'));

  it('organisations a domain lists keep the domain’s fields; their registry fields are null', async () => {
    const res = await graph.query<{
      sectorOrganisations: Array<{ kboNumber: string; name: string | null; socialEconomy: { sector: string } | null }>;
    }>('{ sectorOrganisations(sector: LDE) { kboNumber name socialEconomy { sector } } }');
    expect(res.status).toBe(200);
    const organisations = res.data!.sectorOrganisations;
    expect(organisations.length).toBeGreaterThan(0);
    for (const o of organisations) {
      expect(o.kboNumber).toMatch(/^\d{10}$/);
      expect(o.name).toBeNull();
      expect(o.socialEconomy).toEqual({ sector: 'LDE' });
    }
    const paths = unavailable(res, 'registry').map((e) => e.path);
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect(path).toEqual(['sectorOrganisations', expect.any(Number), 'name']);
  });
});
