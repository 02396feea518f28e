import { publishedMeasures, readSeedFile } from '@measure-graph/db';
import { deltaShowsAs, parseDeltaPpt, precisionOf, showsAs } from '@measure-graph/demo-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';

interface OverviewRow {
  id: string;
  measureCode: string;
  target: number;
  result2020: number;
  deltaVs2019Text: string;
}
interface Row {
  __typename: string;
  normId: string;
  overviewRowId: string;
  measure: { code: string; domain: string };
  target: number;
  result: number;
  changeVsPreviousYearPpt: number | null;
  counted: number;
  onTime: number;
  late: number;
}

const overview = readSeedFile<{ rows: OverviewRow[] }>('norm-overview-2020.json').rows;

let graph: TestStack;
beforeAll(async () => {
  graph = await startTestStack({ seedProfile: 'full' });
}, 600_000);
afterAll(() => graph?.stop());

describe('normResultsTable(year: 2020) through the gateway, on the full profile', () => {
  let rows: Row[];
  beforeAll(async () => {
    const res = await graph.query<{ normResultsTable: Row[] }>(`{
      normResultsTable(year: 2020) {
        __typename normId overviewRowId measure { code domain }
        ... on NormResultRow { target result changeVsPreviousYearPpt counted onTime late }
      }
    }`);
    expect(res.errors).toBeUndefined();
    rows = res.data!.normResultsTable;
  });

  it('has one row per overview row, in the overview order, each from its own domain subgraph', () => {
    expect(rows.map((r) => r.overviewRowId)).toEqual(overview.map((r) => r.id));
    expect(rows.map((r) => r.measure.code)).toEqual(overview.map((r) => r.measureCode));
    const typeOf = {
      ACTIVATION: 'Activation',
      COMPETENCES: 'Competences',
      SOCIAL_ECONOMY: 'SocialEconomy',
      INSPECTION: 'Inspection',
    };
    for (const row of rows)
      expect(row.__typename).toBe(`${typeOf[row.measure.domain as keyof typeof typeOf]}NormResultRow`);
  });

  it('reproduces every target and 2020 result as printed', () => {
    for (const [i, published] of overview.entries()) {
      const row = rows[i]!;
      expect(row.target, published.id).toBe(published.target);
      expect(
        showsAs(row.onTime, row.counted, { value: published.result2020, precision: precisionOf(published.result2020) }),
        `${published.id}: ${row.onTime}/${row.counted} vs ${published.result2020}`,
      ).toBe(true);
      expect(row.onTime + row.late).toBe(row.counted);
    }
  });

  it('reproduces the printed change versus 2019', () => {
    const mismatches: string[] = [];
    for (const [i, published] of overview.entries()) {
      const delta = parseDeltaPpt(published.deltaVs2019Text);
      const row = rows[i]!;
      if (!delta) continue;
      const previous = row.result - row.changeVsPreviousYearPpt! / 100;
      if (row.changeVsPreviousYearPpt === null || !deltaShowsAs(previous, row.result, delta)) {
        mismatches.push(`${published.id} ${published.deltaVs2019Text} computed ${row.changeVsPreviousYearPpt}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

/** A published amount (a JSON number with at most two decimals) as the graph prints it. */
const euros = (value: number | null) =>
  value === null || value === 0 ? null : (Math.round(value * 100) / 100).toFixed(2);

describe('budget(year: 2020) through the gateway, from payments and commitments', () => {
  it('equals the published VEK and VAK realisations to the cent, and the 2021 budget', async () => {
    const res = await graph.query<{ measures: Array<{ code: string; budget: Record<string, string | null> }> }>(
      '{ measures { code budget(year: 2020) { vekRealised vakRealised nextYearVekBudget nextYearVakBudget } } }',
    );
    expect(res.errors).toBeUndefined();
    const byCode = new Map(res.data!.measures.map((m) => [m.code, m.budget]));
    for (const measure of publishedMeasures()) {
      const { vek2020Realised, vak2020Realised, vek2021Budget, vak2021Budget } = measure.budget;
      expect(byCode.get(measure.code), measure.code).toEqual({
        vekRealised: euros(vek2020Realised),
        vakRealised: euros(vak2020Realised),
        nextYearVekBudget: vek2021Budget === null ? null : (vek2021Budget as number).toFixed(2),
        nextYearVakBudget: vak2021Budget === null ? null : (vak2021Budget as number).toFixed(2),
      });
    }
  });
});

describe('volumes(year) through the gateway', () => {
  interface VolumeRow {
    id: string;
    label: string;
    metric: string;
    unit: 'COUNT' | 'SHARE';
    value: number | null;
  }
  const normalise = (label: string) => label.replace(/\s+/g, ' ').trim();

  it('equals every row of every measure card for 2019 and 2020, in card order', async () => {
    const published = publishedMeasures();
    const mismatches: string[] = [];
    let compared = 0;
    for (const year of [2019, 2020]) {
      const res = await graph.query<{ measures: Array<{ code: string; volumes: VolumeRow[] }> }>(
        `{ measures { code volumes(year: ${year}) { id label metric unit value } } }`,
      );
      expect(res.errors).toBeUndefined();
      for (const m of res.data!.measures) {
        const card = published.find((p) => p.code === m.code)!;
        expect(
          m.volumes.map((v) => v.label),
          m.code,
        ).toEqual(card.volumes.map((v) => normalise(v.label)));
        card.volumes.forEach((row, i) => {
          const expected = year === 2019 ? row.value2019 : row.value2020;
          const got = m.volumes[i]!;
          if (expected === null) return;
          compared++;
          const equal =
            got.unit === 'SHARE'
              ? got.value !== null &&
                showsAs(Math.round(got.value * 1e6), 1e6, { value: expected, precision: precisionOf(expected) })
              : got.value === expected;
          if (!equal) mismatches.push(`${got.id} ${year} "${got.label}": ${got.value} vs ${expected}`);
        });
      }
    }
    expect(mismatches).toEqual([]);
    // Every published figure of the cards was compared (the n.v.t. cells excepted).
    const published2 = published.flatMap((m) => m.volumes).flatMap((v) => [v.value2019, v.value2020]);
    expect(compared).toBe(published2.filter((v) => v !== null).length);
  });

  it('computes the dossier-based rows from dossiers: a measure received what its dossiers list says', async () => {
    const res = await graph.query<{
      measure: { volumes: VolumeRow[]; dossiers: { totalCount: number } };
    }>(`{ measure(code: "AANMOEDIGINGSPREMIES") {
          volumes(year: 2020) { id label metric unit value }
          dossiers(filter: { year: 2020 }) { totalCount } } }`);
    expect(res.errors).toBeUndefined();
    const received = res.data!.measure.volumes.find((v) => v.metric === 'DOSSIERS_RECEIVED')!;
    expect(received.value).toBe(54118);
    expect(res.data!.measure.dossiers.totalCount).toBe(received.value);
  });
});

describe('lead times beside the norm results', () => {
  it('gives the published average WSE lead time of single permits: 30.9 days in 2019, 8.6 in 2020', async () => {
    const res = await graph.query<{ measure: Record<string, { averageDays: number; decided: number }> }>(`{
      measure(code: "ARBEIDSKAARTEN") {
        y2019: decisionLeadTime(year: 2019) { averageDays decided }
        y2020: decisionLeadTime(year: 2020) { averageDays decided }
      }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.measure.y2019).toEqual({ averageDays: 30.9, decided: 15293 });
    expect(res.data!.measure.y2020).toEqual({ averageDays: 8.6, decided: 9143 });
  });
});

describe('training leave per person, at the report scale', () => {
  it('counts the VOV card’s unique employees and employers and the requests with an advance from the persons’ leave', async () => {
    const card = publishedMeasures().find((m) => m.code === 'VOV')!;
    const [employees, employers, advances] = card.volumes;
    const data = await graph.data<Record<string, { employees: number; employers: number; withAdvance: number }>>(`{
      bev: trainingLeaveFigures(schoolYear: "2018-2019") { employees employers withAdvance }
      vov: trainingLeaveFigures(schoolYear: "2019-2020") { employees employers withAdvance }
    }`);
    expect(data.bev).toEqual({ employees: employees!.value2019, employers: employers!.value2019, withAdvance: 0 });
    expect(data.vov).toEqual({
      employees: employees!.value2020,
      employers: employers!.value2020,
      withAdvance: advances!.value2020,
    });
  });
});

describe('competences objects at the report scale', () => {
  it('counts the card’s 2020 column (September-December 2020, DWSE) from the vouchers', async () => {
    const { trainingVoucherFigures } = await graph.data(
      `{ trainingVoucherFigures(from: "2020-09-01", to: "2020-12-31") { issued paid } }`,
    );
    // Uitgegeven cheques 6.088, uitbetaalde cheques 3.813 (report 2020, l.8114-8116).
    const card = publishedMeasures().find((m) => m.code === 'OPLEIDINGSCHEQUES')!.volumes;
    const row = (label: string) => card.find((v) => v.label === label)!.value2020;
    expect(trainingVoucherFigures).toEqual({ issued: row('Uitgegeven cheques'), paid: row('Uitbetaalde cheques') });
  });

  // The card's columns "2019" and "2020" are school years; its rows from the third on are counted
  // from the objects (received, approved, enterprises, establishments, mentors, agreements).
  const dualCard = publishedMeasures()
    .find((m) => m.code === 'REGIE_WERKPLEK')!
    .volumes.slice(2);
  it.each([
    ['2018-2019', dualCard.map((v) => v.value2019)],
    ['2019-2020', dualCard.map((v) => v.value2020)],
  ])('counts the card’s rows of %s from the recognitions and agreements', async (schoolYear, published) => {
    expect(published).toHaveLength(6);
    const { dualLearningFigures: f } = await graph.data(
      `query ($y: String!) { dualLearningFigures(schoolYear: $y) { recognitionApplicationsReceived
        recognitionApplicationsApproved enterprisesWithNewRecognition establishmentsWithNewRecognition
        mentorsOfNewRecognitions newAgreements } }`,
      { y: schoolYear },
    );
    expect([
      f.recognitionApplicationsReceived,
      f.recognitionApplicationsApproved,
      f.enterprisesWithNewRecognition,
      f.establishmentsWithNewRecognition,
      f.mentorsOfNewRecognitions,
      f.newAgreements,
    ]).toEqual(published);
  });
});
