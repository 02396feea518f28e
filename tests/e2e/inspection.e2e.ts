import { publishedMeasures, readSeedFile } from '@measure-graph/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueMeasureCount } from '@measure-graph/demo-data/testing';
import { startTestStack, type TestStack } from '../support/stack.ts';

interface VsiRow {
  maatregel: string;
  measureCode: string | null;
  controls2019: number | null;
  controls2020: number | null;
  pvOrWarnings2019: number | null;
  pvOrWarnings2020: number | null;
  proposedRecovery2019: number | null;
  proposedRecovery2020: number | null;
  trendChecks?: { controls?: { stated: number; consistent: boolean } };
}
interface Figures {
  controls: number;
  warningsOrReports: number;
  proposedRecovery: string;
}
const published = readSeedFile<{ rows: VsiRow[]; total: VsiRow }>('inspection-2020.json');
const money = (euros: number | null) => (euros ?? 0).toFixed(2);

let graph: TestStack;
beforeAll(async () => {
  graph = await startTestStack();
}, 300_000);
afterAll(() => graph?.stop());

const query = <T>(text: string): Promise<T> => graph.data<T>(text);

describe('the VSI table (section 9.1.11) from one query', () => {
  it('equals every published row and the totals, 2019 and 2020, computed from inspection records', async () => {
    const { vsiTable } = await query<{
      vsiTable: {
        rows: Array<{
          label: string;
          measure: { code: string; name: string } | null;
          current: Figures;
          previous: Figures;
          controlsChangePct: number | null;
        }>;
        total: { current: Figures; previous: Figures; controlsChangePct: number };
      };
    }>(`{ vsiTable(year: 2020) {
          rows { label measure { ... on Measure { code name } }
                 current { controls warningsOrReports proposedRecovery }
                 previous { controls warningsOrReports proposedRecovery } controlsChangePct }
          total { current { controls warningsOrReports proposedRecovery }
                  previous { controls warningsOrReports proposedRecovery } controlsChangePct } } }`);
    expect(vsiTable.rows.map((r) => r.label)).toEqual(published.rows.map((r) => r.maatregel));
    published.rows.forEach((p, i) => {
      const row = vsiTable.rows[i]!;
      expect(row.measure?.code ?? null, p.maatregel).toBe(p.measureCode);
      expect(row.current, p.maatregel).toEqual({
        controls: p.controls2020 ?? 0,
        warningsOrReports: p.pvOrWarnings2020 ?? 0,
        proposedRecovery: money(p.proposedRecovery2020),
      });
      expect(row.previous, p.maatregel).toEqual({
        controls: p.controls2019 ?? 0,
        warningsOrReports: p.pvOrWarnings2019 ?? 0,
        proposedRecovery: money(p.proposedRecovery2019),
      });
      const trend = p.trendChecks?.controls;
      if (trend?.consistent) expect(Math.round(row.controlsChangePct!), p.maatregel).toBe(trend.stated);
    });
    expect(vsiTable.total.current).toEqual({ controls: 3268, warningsOrReports: 428, proposedRecovery: '3565959.00' });
    expect(vsiTable.total.previous).toEqual({ controls: 1999, warningsOrReports: 572, proposedRecovery: '1441763.00' });
    expect(Math.round(vsiTable.total.controlsChangePct)).toBe(63);
  });
});

describe('every measure with its volumes, norm results, budget and inspection figures', () => {
  it('matches the inspection lines of every measure card, in one request', async () => {
    const data = await query<{
      measures: Array<{
        code: string;
        volumes: unknown[];
        normResults: unknown[];
        budget: { vekRealised: string | null };
        i2019: Figures;
        i2020: Figures;
      }>;
    }>(`{ measures { code volumes(year: 2020) { value } normResults(year: 2020) { result }
          budget(year: 2020) { vekRealised }
          i2019: inspectionStats(year: 2019) { controls warningsOrReports proposedRecovery }
          i2020: inspectionStats(year: 2020) { controls warningsOrReports proposedRecovery } } }`);
    const cards = new Map(publishedMeasures().map((m) => [m.code, m]));
    expect(data.measures).toHaveLength(catalogueMeasureCount());
    let compared = 0;
    for (const m of data.measures) {
      const card = cards.get(m.code)!;
      expect(m.normResults).toHaveLength(card.norms.length);
      const inspections = card.inspections;
      for (const [year, got] of [
        [2019, m.i2019],
        [2020, m.i2020],
      ] as const) {
        // n.v.t. on the card (no VSI competence): nothing to compare.
        if (inspections[`controls${year}`] == null) continue;
        compared++;
        expect([got.controls, got.warningsOrReports], `${m.code} ${year}`).toEqual([
          inspections[`controls${year}`],
          inspections[`warningsOrReports${year}`],
        ]);
      }
    }
    expect(compared).toBeGreaterThan(70);
    const vouchers = data.measures.find((m) => m.code === 'DIENSTENCHEQUES')!;
    expect([vouchers.i2019.proposedRecovery, vouchers.i2020.proposedRecovery]).toEqual(['1441763.00', '2320915.00']);
  });
});

describe('across domains', () => {
  it('answers: LDE organisations under 90% occupancy with their contingent and their last inspection', async () => {
    const { sectorOrganisations } = await query<{
      sectorOrganisations: Array<{
        kboNumber: string;
        name: string;
        socialEconomy: { contingentOn: string; ldeCompliance: { yearlyOccupancyRate: number; status: string } };
        lastInspection: { id: string; inspectedOn: string; outcome: string } | null;
        inspections: { totalCount: number; nodes: Array<{ inspectedOn: string }> };
      }>;
    }>(`{ sectorOrganisations(sector: LDE, year: 2020, occupancyBelow: 0.9) {
          kboNumber name
          socialEconomy { contingentOn(day: "2020-12-31") ldeCompliance(year: 2020) { yearlyOccupancyRate status } }
          lastInspection { id inspectedOn outcome }
          inspections(first: 1000) { totalCount nodes { inspectedOn } } } }`);
    expect(sectorOrganisations.length).toBeGreaterThan(5);
    let inspected = 0;
    for (const o of sectorOrganisations) {
      expect(o.name.length).toBeGreaterThan(0);
      expect(o.socialEconomy.ldeCompliance.yearlyOccupancyRate).toBeLessThan(0.9);
      expect(Number(o.socialEconomy.contingentOn)).toBeGreaterThan(0);
      expect(o.inspections.nodes).toHaveLength(o.inspections.totalCount);
      if (o.lastInspection) {
        inspected++;
        const newest = o.inspections.nodes
          .map((n) => n.inspectedOn)
          .sort()
          .pop();
        expect(o.lastInspection.inspectedOn).toBe(newest);
      } else expect(o.inspections.totalCount).toBe(0);
    }
    expect(inspected).toBeGreaterThan(0);
  });

  it("lists a dossier's organisation's inspections, newest first, page by page", async () => {
    const data = await query<{
      measure: {
        dossiers: { nodes: Array<{ applicant: { kboNumber: string; inspections: { totalCount: number } } }> };
      };
    }>(`{ measure(code: "DIENSTENCHEQUES") { dossiers(first: 50) { nodes { applicant { ... on Organisation {
          kboNumber inspections(first: 2) { totalCount } } } } } } }`);
    const applicant = data.measure.dossiers.nodes.map((n) => n.applicant).find((a) => a.inspections.totalCount > 0)!;
    const direct = await query<{ organisation: { inspections: { nodes: unknown[] } } }>(
      `{ organisation(kboNumber: "${applicant.kboNumber}") { inspections(first: 1000) { nodes { id } } } }`,
    );
    expect(direct.organisation.inspections.nodes).toHaveLength(applicant.inspections.totalCount);
    const withInspections = await query<{
      sectorOrganisations: Array<{ kboNumber: string; inspections: { totalCount: number } }>;
    }>('{ sectorOrganisations(sector: LDE) { kboNumber inspections(first: 1) { totalCount } } }');
    const org = withInspections.sectorOrganisations.find((o) => o.inspections.totalCount >= 3)!;
    const page = (after: string | null) =>
      query<{
        organisation: {
          inspections: {
            nodes: Array<{ id: string; inspectedOn: string }>;
            pageInfo: { hasNextPage: boolean; endCursor: string };
          };
        };
      }>(`{ organisation(kboNumber: "${org.kboNumber}") { inspections(first: 2${after ? `, after: "${after}"` : ''}) {
            nodes { id inspectedOn } pageInfo { hasNextPage endCursor } } } }`);
    const first = (await page(null)).organisation.inspections;
    const second = (await page(first.pageInfo.endCursor)).organisation.inspections;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const all = [...first.nodes, ...second.nodes];
    expect(new Set(all.map((n) => n.id)).size).toBe(all.length);
    expect(all.map((n) => n.inspectedOn)).toEqual([...all.map((n) => n.inspectedOn)].sort().reverse());
  });
});
