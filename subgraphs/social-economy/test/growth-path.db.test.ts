import { startSubgraphForTest, type SubgraphUnderTest } from '@measure-graph/demo-data/testing';
import { generateOrganisations } from '@measure-graph/demo-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socialEconomySubgraph } from '../src/subgraph.ts';

let subgraph: SubgraphUnderTest;
beforeAll(async () => {
  subgraph = await startSubgraphForTest(socialEconomySubgraph);
}, 120_000);
afterAll(() => subgraph?.stop());

interface Application {
  organisation: { kboNumber: string };
  requestedFte: string;
  submittedOn: string;
  allocation: { fte: string; rule: string; explanation: string } | null;
}
interface Call {
  id: string;
  status: string;
  budgetFte: string;
  requestedFte: string;
  allocatedFte: string;
  applications: Application[];
}

const CALL_FIELDS = `id status budgetFte requestedFte allocatedFte
  applications { organisation { kboNumber } requestedFte submittedOn allocation { fte rule explanation } }`;
const APPLY = `mutation ($input: ApplyForGrowthPathInput!) { socialEconomy { applyForGrowthPath(input: $input) {
  organisation { kboNumber } requestedFte allocation { fte } } } }`;
const DISTRIBUTE = `mutation ($id: ID!) { socialEconomy { distributeGrowthPath(callId: $id) { ${CALL_FIELDS} } } }`;

async function call(id: string): Promise<Call> {
  const res = await subgraph.execute<{ growthPathCall: Call }>(
    `query ($id: ID!) { growthPathCall(id: $id) { ${CALL_FIELDS} } }`,
    {
      id,
    },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.growthPathCall;
}
const sql = (text: string, params: unknown[] = []) => subgraph.dataSource.query(text, params);
const count = async (table: string) => (await sql(`SELECT count(*)::int AS n FROM social_economy.${table}`))[0].n;
const codeOf = (res: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) =>
  res.errors?.[0]?.extensions?.code;

/** An open copy of a seeded call (same rules, weights, dates), without applications. */
async function openCopy(of: string, id: string) {
  await sql(
    `INSERT INTO social_economy.growth_path_call (id, name, measure_code, sector, budget_fte, unit_fte, rule_set, min_fill_rate,
                                                  reference_from, reference_to, deadline, effective_from)
     SELECT $2, name || ' (test)', measure_code, sector, budget_fte, unit_fte, rule_set, min_fill_rate, reference_from,
            reference_to, deadline, effective_from + 3650 FROM social_economy.growth_path_call WHERE id = $1`,
    [of, id],
  );
  await sql(
    `INSERT INTO social_economy.growth_path_province_weight (call_id, province_code, weight)
     SELECT $2, province_code, weight FROM social_economy.growth_path_province_weight WHERE call_id = $1`,
    [of, id],
  );
}

describe('the 2018 and 2021 growth paths (seed 003, report 2020)', () => {
  it('gave 351 FTE to sheltered, 149 to social workplaces and 155 to LDE, each allocation with its rule', async () => {
    for (const [id, fte] of [
      ['GP-2018-BW', '351.00'],
      ['GP-2018-SW', '149.00'],
      ['GP-2018-LDE', '155.00'],
    ] as const) {
      const c = await call(id);
      expect(c).toMatchObject({ status: 'DISTRIBUTED', budgetFte: `${fte}`, allocatedFte: fte });
      expect(c.applications.every((a) => a.allocation !== null && a.allocation.explanation.length > 0)).toBe(true);
    }
    // Every social workplace that subscribed received at least 1 FTE, in whole FTE (answer to question 2).
    const sw = await call('GP-2018-SW');
    expect(
      sw.applications.every((a) => Number(a.allocation!.fte) >= 1 && Number.isInteger(Number(a.allocation!.fte))),
    ).toBe(true);
  });

  it('shows who got nothing in 2021: about 215 FTE for 944 FTE requested', async () => {
    const c = await call('GP-2021-MAATWERK');
    expect(c).toMatchObject({ requestedFte: '944.00', allocatedFte: '215.00' });
    const nothing = c.applications.filter((a) => Number(a.allocation!.fte) === 0);
    expect(nothing.length).toBeGreaterThan(0);
    // Below 95% over the reference period, or a share under one whole FTE: each says why.
    const reasons = new Set(nothing.map((a) => a.allocation!.rule));
    expect(reasons).toContain('INELIGIBLE');
    expect([...reasons].every((r) => r === 'INELIGIBLE' || r === 'ROUNDED_TO_ZERO')).toBe(true);
  });

  it('reproduces the seeded 2018 allocations when the same applications go through the mutations', async () => {
    const seeded = await call('GP-2018-BW');
    await openCopy('GP-2018-BW', 'TEST-BW');
    for (const a of seeded.applications) {
      const res = await subgraph.execute(APPLY, {
        input: {
          callId: 'TEST-BW',
          kbo: a.organisation.kboNumber,
          requestedFte: a.requestedFte,
          submittedOn: a.submittedOn,
        },
      });
      expect(res.errors).toBeUndefined();
    }
    const res = await subgraph.execute<{ socialEconomy: { distributeGrowthPath: Call } }>(DISTRIBUTE, {
      id: 'TEST-BW',
    });
    expect(res.errors).toBeUndefined();
    const replay = res.data!.socialEconomy.distributeGrowthPath;
    const byKbo = (c: Call) =>
      Object.fromEntries(
        c.applications.map((a) => [a.organisation.kboNumber, [a.allocation!.fte, a.allocation!.rule]]),
      );
    expect(replay.allocatedFte).toBe('351.00');
    expect(byKbo(replay)).toEqual(byKbo(seeded));
    // The allocations became contingent rows from the call's effective date.
    const [{ n }] = await sql(
      `SELECT count(*)::int AS n FROM social_economy.contingent c JOIN social_economy.growth_path_application a ON a.id = c.allocation_id
        WHERE a.call_id = 'TEST-BW' AND c.reason = 'GROWTH_PATH'`,
    );
    expect(n).toBe(replay.applications.filter((a) => Number(a.allocation!.fte) > 0).length);
  });

  it('distributes once when distributions race: one succeeds, the others get CONFLICT, the budget holds', async () => {
    const seeded = await call('GP-2021-MAATWERK');
    await openCopy('GP-2021-MAATWERK', 'TEST-RACE');
    for (const a of seeded.applications.slice(0, 30)) {
      await subgraph.execute(APPLY, {
        input: {
          callId: 'TEST-RACE',
          kbo: a.organisation.kboNumber,
          requestedFte: a.requestedFte,
          submittedOn: a.submittedOn,
        },
      });
    }
    const results = await Promise.all(
      Array.from({ length: 6 }, () => subgraph.execute(DISTRIBUTE, { id: 'TEST-RACE' })),
    );
    expect(results.filter((r) => r.errors === undefined)).toHaveLength(1);
    expect(results.filter((r) => codeOf(r) === 'CONFLICT')).toHaveLength(5);
    const [{ n, fte }] = await sql(
      `SELECT count(*)::int AS n, sum(fte)::float AS fte FROM social_economy.growth_path_allocation WHERE call_id = 'TEST-RACE'`,
    );
    expect(n).toBe(30);
    expect(fte).toBeLessThanOrEqual(215);
  });
});

describe('applying for a growth path: validation, nothing half-written', () => {
  let open: { kbo: string; other: string; lde: string };
  beforeAll(async () => {
    await openCopy('GP-2021-MAATWERK', 'TEST-VALIDATION');
    const rows: Array<{ kbo: string; sector: string }> = await sql(
      `SELECT DISTINCT ON (sector) kbo, sector FROM social_economy.sector_organisation ORDER BY sector, kbo`,
    );
    const bySector = Object.fromEntries(rows.map((r) => [r.sector, r.kbo]));
    open = { kbo: bySector.BW!, other: bySector.SW!, lde: bySector.LDE! };
  });
  const input = (overrides: Record<string, unknown>) => ({
    callId: 'TEST-VALIDATION',
    kbo: open.kbo,
    requestedFte: '3',
    submittedOn: '2020-12-01',
    ...overrides,
  });

  it.each([
    [{ callId: 'GP-1999' }, 'NOT_FOUND', 'id'],
    [{ requestedFte: '-2' }, 'BAD_USER_INPUT', 'requestedFte'],
    [{ requestedFte: '0' }, 'BAD_USER_INPUT', 'requestedFte'],
    [{ requestedFte: '2.5' }, 'BAD_USER_INPUT', 'requestedFte'],
    [{ submittedOn: '2020-12-16' }, 'CONFLICT', 'submittedOn'],
    [{ submittedOn: '2020-13-01' }, 'BAD_USER_INPUT', 'submittedOn'],
    [{ kbo: '0200000000' }, 'NOT_FOUND', 'kbo'],
    [{ callId: 'GP-2018-BW' }, 'CONFLICT', 'callId'],
  ])('applying with %j gives %s on %s', async (overrides, code, field) => {
    const before = await count('growth_path_application');
    const res = await subgraph.execute(APPLY, { input: input(overrides) });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code, field });
    expect(await count('growth_path_application')).toBe(before);
  });

  it('refuses an organisation of another sector and a second application of the same organisation', async () => {
    const lde = await subgraph.execute(APPLY, { input: input({ kbo: open.lde }) });
    expect(lde.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'kbo' });
    const first = await subgraph.execute(APPLY, { input: input({ kbo: open.other }) });
    expect(first.errors).toBeUndefined();
    const again = await subgraph.execute(APPLY, { input: input({ kbo: open.other, requestedFte: '4' }) });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'kbo' });
  });

  it('refuses an organisation the registry knows but that is not of the social economy: CONFLICT, not NOT_FOUND', async () => {
    const sector = new Set((await sql(`SELECT kbo FROM social_economy.sector_organisation`)).map((r: any) => r.kbo));
    const outsider = generateOrganisations().find((o) => !sector.has(o.kboNumber))!.kboNumber;
    const before = await count('growth_path_application');
    const res = await subgraph.execute(APPLY, { input: input({ kbo: outsider }) });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'kbo' });
    expect(res.errors?.[0]?.message).toMatch(/not a recognised organisation of the social economy/);
    expect(await count('growth_path_application')).toBe(before);
  });

  it('answers an unknown call on distribution with NOT_FOUND and writes nothing', async () => {
    const before = await count('growth_path_allocation');
    const res = await subgraph.execute(DISTRIBUTE, { id: 'NO-SUCH-CALL' });
    expect(codeOf(res)).toBe('NOT_FOUND');
    expect(await count('growth_path_allocation')).toBe(before);
  });
});
