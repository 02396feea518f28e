import { startSubgraphForTest, type SubgraphUnderTest } from '@measure-graph/demo-data/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socialEconomySubgraph } from '../src/subgraph.ts';

let subgraph: SubgraphUnderTest;
beforeAll(async () => {
  subgraph = await startSubgraphForTest(socialEconomySubgraph);
}, 120_000);
afterAll(() => subgraph?.stop());

const sql = (text: string, params: unknown[] = []) => subgraph.dataSource.query(text, params);

async function organisation<T>(kbo: string, fields: string): Promise<T> {
  const res = await subgraph.execute<{ _entities: T[] }>(
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Organisation { ${fields} } } }`,
    { r: [{ __typename: 'Organisation', kboNumber: kbo }] },
  );
  expect(res.errors).toBeUndefined();
  return res.data!._entities[0]!;
}

describe('contingent redistribution (herverdeling)', () => {
  it('changed 59 custom-work contingents on 1 October 2020, moving FTE without creating any', async () => {
    const [row] = await sql(
      `SELECT count(*)::int AS n, sum(fte)::text AS net, min(valid_from)::text AS first, max(valid_from)::text AS last
         FROM social_economy.contingent WHERE reason = 'REDISTRIBUTION'`,
    );
    expect(row).toEqual({ n: 59, net: '0.00', first: '2020-10-01', last: '2020-10-01' });
  });
});

describe('LDE rules per organisation', () => {
  it('reports minimum 5 FTE, 90% yearly occupancy or an action plan, postponed (not enforced) in 2020', async () => {
    const rows: Array<{ kbo: string; plan: boolean; fte: string }> = await sql(
      `SELECT o.kbo, EXISTS (SELECT 1 FROM social_economy.lde_action_plan p WHERE p.kbo = o.kbo AND p.year = 2020) AS plan,
              (SELECT sum(fte) FROM social_economy.contingent c WHERE c.kbo = o.kbo)::text AS fte
         FROM social_economy.sector_organisation o WHERE o.sector = 'LDE' ORDER BY o.kbo`,
    );
    const statuses = new Map<string, number>();
    for (const r of rows) {
      const o = await organisation<{ socialEconomy: { ldeCompliance: Record<string, unknown> } }>(
        r.kbo,
        'socialEconomy { ldeCompliance(year: 2020) { contingentFte minimumFteMet yearlyOccupancyRate occupancyMet actionPlanSubmittedOn status enforced } }',
      );
      const c = o.socialEconomy.ldeCompliance;
      expect(c.enforced).toBe(false);
      expect(c.minimumFteMet).toBe(Number(c.contingentFte) >= 5);
      expect(c.occupancyMet).toBe((c.yearlyOccupancyRate as number) >= 0.9);
      expect(c.actionPlanSubmittedOn !== null).toBe(r.plan);
      const expected = !c.minimumFteMet
        ? 'NOT_COMPLIANT'
        : c.occupancyMet
          ? 'COMPLIANT'
          : r.plan
            ? 'ACTION_PLAN'
            : 'NOT_COMPLIANT';
      expect(c.status).toBe(expected);
      statuses.set(c.status as string, (statuses.get(c.status as string) ?? 0) + 1);
    }
    // The seed has initiatives in every situation.
    expect([...statuses.keys()].sort()).toEqual(['ACTION_PLAN', 'COMPLIANT', 'NOT_COMPLIANT']);
  });

  it('has no LDE answer for a custom-work company', async () => {
    const [{ kbo }] = await sql(`SELECT kbo FROM social_economy.sector_organisation WHERE sector = 'BW' LIMIT 1`);
    const o = await organisation<{ socialEconomy: { ldeCompliance: unknown } }>(
      kbo,
      'socialEconomy { ldeCompliance(year: 2020) { status } }',
    );
    expect(o.socialEconomy.ldeCompliance).toBeNull();
  });

  it('is null for an organisation outside the sector, and its lists are empty', async () => {
    const o = await organisation<{ socialEconomy: unknown; contingents: unknown[]; settlements: unknown[] }>(
      '0200000000',
      'socialEconomy { sector } contingents { fte } settlements { quarter }',
    );
    expect(o).toEqual({ socialEconomy: null, contingents: [], settlements: [] });
  });
});

describe('target-group employees', () => {
  it('puts 10% of the sitting workers of every custom-work company in the yearly VDAB sample (from 2019)', async () => {
    const rows: Array<{ sitting: number; sampled: number }> = await sql(
      `SELECT count(*)::int AS sitting, count(s.employee_id)::int AS sampled
         FROM social_economy.target_group_employee e
         JOIN social_economy.sector_organisation o ON o.kbo = e.kbo AND o.sector IN ('BW', 'SW')
         LEFT JOIN social_economy.evaluation_sample s ON s.employee_id = e.id AND s.year = 2019
        WHERE e.started_on < '2019-01-01' AND (e.ended_on IS NULL OR e.ended_on >= '2019-10-01')
        GROUP BY e.kbo`,
    );
    expect(rows.length).toBeGreaterThan(100);
    for (const r of rows) expect(r.sampled).toBe(Math.ceil(r.sitting / 10));
  });

  it('plans the periodic evaluation five years after the start of workers referred since 2019', async () => {
    const [row] = await sql(
      `SELECT count(*) FILTER (WHERE next_evaluation_on = started_on + interval '5 years')::int AS ok,
              count(*)::int AS n
         FROM social_economy.target_group_employee e JOIN social_economy.sector_organisation o ON o.kbo = e.kbo
        WHERE o.sector <> 'LDE' AND e.started_on >= '2019-01-01'`,
    );
    expect(row.n).toBeGreaterThan(0);
    expect(row.ok).toBe(row.n);
  });
});

describe('transition trajectories', () => {
  it('refuses aftercare of more than three months after the hire (database constraint)', async () => {
    const [t] = await sql(
      `SELECT id FROM social_economy.transition_trajectory WHERE started_on IS NOT NULL AND outcome IS NULL LIMIT 1`,
    );
    await expect(
      sql(
        `UPDATE social_economy.transition_trajectory
            SET ended_on = '2019-01-31', outcome = 'SUCCEEDED', hired_on = '2019-02-01', aftercare_until = '2019-05-02'
          WHERE id = $1`,
        [t.id],
      ),
    ).rejects.toThrow(/check constraint/);
    await sql(
      `UPDATE social_economy.transition_trajectory
          SET ended_on = '2019-01-31', outcome = 'SUCCEEDED', hired_on = '2019-02-01', aftercare_until = '2019-05-01'
        WHERE id = $1`,
      [t.id],
    );
  });

  it('rejects a quarter that is not one', async () => {
    const res = await subgraph.execute('{ contingentTotals(filter: { quarter: "2017-Q5" }) { contingentFte } }');
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'quarter' });
  });
});
