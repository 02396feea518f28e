import { readSeedFile } from '@measure-graph/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * The parliamentary questions on the social economy (seeds 003 and 004), answered through the
 * gateway with the figures the minister gave.
 */
interface Facts {
  esfTransitionCalls: Array<{
    call: number;
    perProvince: Array<{ province: string; started?: number; stopped?: number; referrals?: number }>;
    totals: { started?: number; stopped?: number; referrals?: number };
  }>;
}
const facts = readSeedFile<Facts>('social-economy-facts.json');
const PROVINCE = {
  Antwerpen: 'ANT',
  Limburg: 'LIM',
  'Oost-Vlaanderen': 'OVL',
  'Vlaams-Brabant': 'VBR',
  'West-Vlaanderen': 'WVL',
};

let graph: TestStack;
beforeAll(async () => {
  graph = await startTestStack();
}, 300_000);
afterAll(() => graph?.stop());

const query = <T>(text: string): Promise<T> => graph.data<T>(text);

describe('question 491 (seed 003): contingents and the 2018 growth path', () => {
  it('1 and 3a: the growth path was awarded: 155 FTE LDE, 351 BW and 149 SW (500) from 1 April 2018', async () => {
    const { growthPathCalls } = await query<{
      growthPathCalls: Array<{
        id: string;
        sector: string;
        status: string;
        allocatedFte: string;
        effectiveFrom: string;
      }>;
    }>('{ growthPathCalls { id sector status allocatedFte effectiveFrom } }');
    const of2018 = growthPathCalls.filter((c) => c.id.startsWith('GP-2018'));
    expect(Object.fromEntries(of2018.map((c) => [c.sector, c.allocatedFte]))).toEqual({
      BW: '351.00',
      SW: '149.00',
      LDE: '155.00',
    });
    expect(of2018.every((c) => c.status === 'DISTRIBUTED')).toBe(true);
    expect(of2018.filter((c) => c.sector !== 'LDE').map((c) => c.effectiveFrom)).toEqual(['2018-04-01', '2018-04-01']);
  });

  it('2 and 3b: how it was distributed: per workplace, with its province and the rule that gave it', async () => {
    const { growthPathCall } = await query<{
      growthPathCall: {
        ruleSet: string;
        minFillRate: number;
        referenceFrom: string;
        referenceTo: string;
        applications: Array<{
          organisation: { name: string; province: { code: string } };
          allocation: { fte: string; rule: string };
        }>;
      };
    }>(`{ growthPathCall(id: "GP-2018-SW") { ruleSet minFillRate referenceFrom referenceTo
          applications { organisation { name province { code } } allocation { fte rule } } } }`);
    expect(growthPathCall).toMatchObject({
      ruleSet: 'EQUAL_SPLIT',
      minFillRate: 0.95,
      referenceFrom: '2016-Q3',
      referenceTo: '2017-Q2',
    });
    const perProvince = new Map<string, number>();
    for (const a of growthPathCall.applications) {
      expect(a.organisation.name.length).toBeGreaterThan(0);
      perProvince.set(
        a.organisation.province.code,
        (perProvince.get(a.organisation.province.code) ?? 0) + Number(a.allocation.fte),
      );
    }
    expect([...perProvince.values()].reduce((a, b) => a + b, 0)).toBe(149);
    expect(perProvince.size).toBe(5);
  });

  it('4: the last settled quarter (Q4 2017) as of the answer: contingent and filled FTE of BW and SW', async () => {
    const data = await query<{
      bw: Array<{ contingentFte: string; filledFte: string; vacantFte: string }>;
      sw: Array<{ contingentFte: string; filledFte: string; vacantFte: string }>;
      lastBw: string;
      lastSw: string;
    }>(`{
      bw: contingentTotals(filter: { quarter: "2017-Q4", sector: BW, asOf: "2018-06-08" }) { contingentFte filledFte vacantFte }
      sw: contingentTotals(filter: { quarter: "2017-Q4", sector: SW, asOf: "2018-06-08" }) { contingentFte filledFte vacantFte }
      lastBw: lastSettledQuarter(sector: BW, asOf: "2018-06-08")
      lastSw: lastSettledQuarter(sector: SW, asOf: "2018-06-08")
    }`);
    expect(data.bw).toEqual([{ contingentFte: '14507.30', filledFte: '13899.29', vacantFte: '608.01' }]);
    expect(data.sw).toEqual([{ contingentFte: '3969.00', filledFte: '3905.32', vacantFte: '63.68' }]);
    expect([data.lastBw, data.lastSw]).toEqual(['2017-Q4', '2017-Q4']);
  });

  it('5: no LDE quarter had been settled yet as of the answer', async () => {
    const data = await query<{ last: string | null; q1: unknown[]; later: string }>(`{
      last: lastSettledQuarter(sector: LDE, asOf: "2018-06-08")
      q1: contingentTotals(filter: { quarter: "2017-Q1", sector: LDE, asOf: "2018-06-08" }) { contingentFte }
      later: lastSettledQuarter(sector: LDE, asOf: "2018-08-01")
    }`);
    expect(data.last).toBeNull();
    expect(data.q1).toEqual([]);
    expect(data.later).toBe('2017-Q1');
  });

  it('totals per measure and province add up to the sector totals', async () => {
    const data = await query<{
      all: Array<{ contingentFte: string }>;
      perProvince: Array<{ provinceCode: string; contingentFte: string }>;
    }>(`{
      all: contingentTotals(filter: { quarter: "2017-Q4", measureCode: "MAATWERK" }) { contingentFte }
      perProvince: contingentTotals(filter: { quarter: "2017-Q4", measureCode: "MAATWERK", perProvince: true }) { provinceCode contingentFte }
    }`);
    expect(data.all).toEqual([{ contingentFte: '18476.30' }]);
    const sum = data.perProvince.reduce((a, r) => a + Math.round(Number(r.contingentFte) * 100), 0) / 100;
    expect(sum).toBe(18476.3);
  });
});

describe('the ESF transition calls (seed 004)', () => {
  const stats = (call: number) =>
    query<{
      transitionCall: {
        perProvince: Array<{
          provinceCode: string;
          referrals: number;
          started: number;
          stopped: number;
          succeeded: number;
          failed: number;
        }>;
        total: { referrals: number; started: number; stopped: number; withoutOutcome: number };
      };
    }>(`{ transitionCall(call: ${call}) { perProvince { provinceCode referrals started stopped succeeded failed }
          total { referrals started stopped withoutOutcome } } }`);

  it('1a and 1c: call 380 started and stopped trajectories per province (43 and 7); no outcomes reported yet', async () => {
    const { transitionCall } = await stats(380);
    const published = facts.esfTransitionCalls.find((c) => c.call === 380)!;
    for (const p of published.perProvince) {
      const row = transitionCall.perProvince.find(
        (r) => r.provinceCode === PROVINCE[p.province as keyof typeof PROVINCE],
      )!;
      expect([row.started, row.stopped, row.succeeded, row.failed], p.province).toEqual([p.started, p.stopped, 0, 0]);
    }
    expect(transitionCall.total).toMatchObject({ started: 43, stopped: 7, withoutOutcome: 36 });
  });

  it('4 and 6: call 432 referrals by VDAB per province (33; Limburg 6, Limburg 2 started in call 380)', async () => {
    const { transitionCall } = await stats(432);
    const published = facts.esfTransitionCalls.find((c) => c.call === 432)!;
    for (const p of published.perProvince) {
      const row = transitionCall.perProvince.find(
        (r) => r.provinceCode === PROVINCE[p.province as keyof typeof PROVINCE],
      )!;
      expect(row.referrals, p.province).toBe(p.referrals);
    }
    expect(transitionCall.total.referrals).toBe(33);
    const limburg380 = (await stats(380)).transitionCall.perProvince.find((r) => r.provinceCode === 'LIM')!;
    expect(limburg380.started).toBe(2);
  });

  it('rejects a call that is not an ESF transition call', async () => {
    const res = await graph.query('{ transitionCall(call: 999) { total { started } } }');
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('target-group employees and one organisation across domains', () => {
  it('counts persons employed as in the report: LDE 2,638 (2019) and 2,414 (2020), custom work 23,450 (2019)', async () => {
    const data = await query<Record<string, { persons: number }>>(`{
      lde2019: employmentTotals(year: 2019, measureCode: "LDE") { persons }
      lde2020: employmentTotals(year: 2020, measureCode: "LDE") { persons }
      mw2019: employmentTotals(year: 2019, measureCode: "MAATWERK") { persons }
    }`);
    expect([data.lde2019!.persons, data.lde2020!.persons, data.mw2019!.persons]).toEqual([2638, 2414, 23450]);
  });

  it("brings an organisation's registry data, contingents, settlements and trajectories and its measure together", async () => {
    const employers = await graph.query<{
      growthPathCall: { applications: Array<{ organisation: { kboNumber: string } }> };
    }>('{ growthPathCall(id: "GP-2018-BW") { applications { organisation { kboNumber } } } }');
    const kbo = employers.data!.growthPathCall.applications[0]!.organisation.kboNumber;
    const data = await query<{
      organisation: {
        name: string;
        province: { code: string };
        socialEconomy: {
          sector: string;
          labels: Array<{ label: string }>;
          contingentOn: string;
          employeeCount: number;
        };
        contingents: Array<{ reason: string; fte: string; growthPathCallId: string | null }>;
        validMid2018: Array<{ fte: string }>;
        settlements: Array<{ quarter: string; occupancyRate: number }>;
      };
      measure: { name: string; volumes: Array<{ label: string; value: number }> };
    }>(`{
      organisation(kboNumber: "${kbo}") {
        name province { code }
        socialEconomy { sector labels { label } contingentOn(day: "2018-06-30") employeeCount(year: 2019) }
        contingents { reason fte growthPathCallId }
        validMid2018: contingents(at: "2018-06-30") { fte }
        settlements(from: "2017-Q1", to: "2017-Q4") { quarter occupancyRate }
      }
      measure(code: "MAATWERK") { name volumes(year: 2019) { label value } }
    }`);
    const o = data.organisation;
    expect(o.name.length).toBeGreaterThan(0);
    expect(o.socialEconomy.sector).toBe('BW');
    expect(o.socialEconomy.labels.map((l) => l.label)).toEqual(['BESCHUTTE_WERKPLAATS', 'MAATWERKBEDRIJF']);
    expect(o.contingents.map((c) => c.reason)).toContain('GROWTH_PATH');
    // The contingent on a day is the sum of the rows valid that day: the initial award and the 2018 growth path.
    expect(o.contingents.find((c) => c.reason === 'GROWTH_PATH')!.growthPathCallId).toBe('GP-2018-BW');
    expect(o.validMid2018).toHaveLength(2);
    const fromRows = o.validMid2018.reduce((a, c) => a + Math.round(Number(c.fte) * 100), 0);
    expect(Math.round(Number(o.socialEconomy.contingentOn) * 100)).toBe(fromRows);
    expect(o.settlements.map((s) => s.quarter)).toEqual(['2017-Q1', '2017-Q2', '2017-Q3', '2017-Q4']);
    expect(o.socialEconomy.employeeCount).toBeGreaterThan(0);
    expect(data.measure.name).toBe('Collectief Maatwerk');
  });

  it('follows a person from a trajectory to the registry and back to their employment', async () => {
    const { growthPathCall } = await query<{
      growthPathCall: {
        applications: Array<{ organisation: { kboNumber: string; trajectories: Array<{ id: string }> } }>;
      };
    }>(
      '{ growthPathCall(id: "GP-2021-MAATWERK") { applications { organisation { kboNumber trajectories { id } } } } }',
    );
    const employer = growthPathCall.applications.find((a) => a.organisation.trajectories.length > 0)!.organisation;
    const data = await query<{
      organisation: {
        trajectories: Array<{
          esfCall: number;
          employer: { kboNumber: string };
          person: {
            id: string;
            givenName: string;
            province: { code: string };
            targetGroupEmployments: Array<{ employer: { kboNumber: string; name: string }; supportPackage: string }>;
            transitionTrajectories: Array<{ esfCall: number }>;
          };
        }>;
      };
    }>(`{ organisation(kboNumber: "${employer.kboNumber}") { trajectories { esfCall employer { kboNumber }
          person { id givenName province { code }
            targetGroupEmployments { employer { kboNumber name } supportPackage }
            transitionTrajectories { esfCall } } } } }`);
    const [trajectory] = data.organisation.trajectories;
    const person = trajectory!.person;
    expect(person.givenName.length).toBeGreaterThan(0);
    expect(person.targetGroupEmployments.map((e) => e.employer.kboNumber)).toContain(employer.kboNumber);
    expect(person.targetGroupEmployments[0]!.supportPackage).toMatch(/^WOP \d+ (Laag|Midden|Hoog)$/);
    expect(person.transitionTrajectories.map((t) => t.esfCall)).toContain(trajectory!.esfCall);
  });
});
