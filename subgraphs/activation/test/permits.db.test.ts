import { generateOrganisations } from '@measure-graph/demo-data';
import { startSubgraphForTest, type SubgraphUnderTest } from '@measure-graph/demo-data/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCombinedProcedures } from '@measure-graph/demo-data';
import { activationSubgraph } from '../src/subgraph.ts';
import { dossierSteps, type DossierStage } from './dossier-steps.ts';

let subgraph: SubgraphUnderTest;
beforeAll(async () => {
  subgraph = await startSubgraphForTest(activationSubgraph);
}, 120_000);
afterAll(() => subgraph?.stop());

const sql = (text: string, params: unknown[] = []) => subgraph.dataSource.query(text, params);
const exec = <T = any>(query: string, variables: Record<string, unknown> = {}) => subgraph.execute<T>(query, variables);
const errorOf = (res: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) =>
  res.errors?.[0]?.extensions;

const PROCEDURE = `stage flemishDecision flemishDecidedOn sentToFederalOn federalReference federalDecision federalDecidedOn dossier { id }`;
const RECORD = `mutation ($input: RecordFederalDecisionInput!) { activation { recordFederalDecision(input: $input) { ${PROCEDURE} } } }`;

async function procedureOf(id: string) {
  const res = await exec(
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ActivationDossier { id kind combinedProcedure { ${PROCEDURE} } } } }`,
    { r: [{ __typename: 'ActivationDossier', id }] },
  );
  expect(res.errors).toBeUndefined();
  return res.data._entities[0].combinedProcedure as Record<string, unknown> | null;
}

const steps = dossierSteps(() => subgraph, 'permit-test');
const key = steps.key;
/** An ARBEIDSKAARTEN application of an organisation (unless said otherwise), taken up to `until`. */
const dossier = (until: DossierStage, { measureCode = 'ARBEIDSKAARTEN', kind = 'APPLICATION' } = {}) =>
  steps.dossier(until, { measureCode, kind, applicant: { applicantKbo: generateOrganisations()[5]!.kboNumber } });

let references = 0;
const record = (dossierId: string, overrides: Record<string, unknown> = {}) =>
  exec(RECORD, {
    input: {
      dossierId,
      decision: 'GRANTED',
      decidedOn: '2024-04-15',
      federalReference: `DVZ-TEST-${++references}-${Date.now()}`,
      idempotencyKey: key(),
      ...overrides,
    },
  });
const rows = async () =>
  (await sql(`SELECT count(*)::int AS n FROM activation.combined_procedure WHERE federal_decision <> 'PENDING'`))[0]
    .n as number;

describe('the combined procedure seeded for the granted single permits', () => {
  it('has one procedure per granted ARBEIDSKAARTEN application or extension, sent the day Flanders granted it', async () => {
    const [row] = await sql(`
      SELECT (SELECT count(*)::int FROM activation.dossier d
               WHERE d.measure_code = 'ARBEIDSKAARTEN' AND d.kind IN ('APPLICATION', 'EXTENSION') AND d.status = 'GRANTED') AS granted,
             count(*)::int AS procedures,
             count(*) FILTER (WHERE d.measure_code = 'ARBEIDSKAARTEN' AND d.status = 'GRANTED')::int AS "onGrantedPermits",
             count(*) FILTER (WHERE c.sent_on = (SELECT max(e.occurred_at)::date FROM activation.dossier_event e
                                                  WHERE e.dossier_id = d.id AND e.type = 'GRANTED'))::int AS "sentOnGrant",
             count(*) FILTER (WHERE c.federal_decided_on >= c.sent_on)::int AS "decidedAfter",
             count(DISTINCT c.federal_reference)::int AS "references",
             count(*) FILTER (WHERE c.federal_decision = 'REFUSED')::int AS refused
        FROM activation.combined_procedure c JOIN activation.dossier d ON d.id = c.dossier_id`);
    expect(row.granted).toBeGreaterThan(0);
    expect(row.procedures).toBe(row.granted);
    expect(row.onGrantedPermits).toBe(row.procedures);
    expect(row.sentOnGrant).toBe(row.procedures);
    expect(row.decidedAfter).toBe(row.procedures);
    expect(row.references).toBe(row.procedures);
    expect(row.refused).toBeGreaterThan(0);
    expect(row.refused).toBeLessThan(row.procedures / 5);
  });

  it('shows a seeded procedure on its dossier', async () => {
    const [seeded] = await sql(
      `SELECT 'ACT-' || c.dossier_id AS id, c.federal_reference AS ref, to_char(c.federal_decided_on, 'YYYY-MM-DD') AS decided,
              c.federal_decision AS decision
         FROM activation.combined_procedure c ORDER BY c.dossier_id LIMIT 1`,
    );
    const procedure = await procedureOf(seeded.id);
    expect(procedure).toMatchObject({
      stage: seeded.decision === 'GRANTED' ? 'GRANTED' : 'REFUSED_BY_FEDERAL',
      flemishDecision: 'GRANTED',
      federalReference: seeded.ref,
      federalDecision: seeded.decision,
      federalDecidedOn: seeded.decided,
      dossier: { id: seeded.id },
    });
    expect(procedure!.sentToFederalOn).toBe(procedure!.flemishDecidedOn);
    // Decided already: a second decision is a CONFLICT.
    const again = await record(seeded.id);
    expect(errorOf(again)).toMatchObject({ code: 'CONFLICT', field: 'dossierId' });
  });

  it('is idempotent: a second run adds nothing and changes nothing', async () => {
    const snapshot = () =>
      sql(
        `SELECT md5(string_agg(c::text, ',' ORDER BY dossier_id)) AS h, count(*)::int AS n FROM activation.combined_procedure c`,
      );
    const before = await snapshot();
    await seedCombinedProcedures(subgraph.dataSource);
    expect(await snapshot()).toEqual(before);
  });
});

describe('the procedure of a dossier through its life', () => {
  it('is null for other measures and for kinds that are no single permit', async () => {
    expect(await procedureOf(await dossier('GRANTED', { measureCode: 'BEROEPSKAARTEN' }))).toBeNull();
    expect(await procedureOf(await dossier('GRANTED', { kind: 'INCREASE' }))).toBeNull();
  });

  it('follows the Flemish part, then awaits the federal decision from the day Flanders granted', async () => {
    expect(await procedureOf(await dossier('ADMISSIBLE'))).toMatchObject({
      stage: 'FLEMISH_TREATMENT',
      flemishDecision: null,
      sentToFederalOn: null,
      federalDecision: null,
    });
    expect(await procedureOf(await dossier('REFUSED'))).toMatchObject({
      stage: 'ENDED_IN_FLANDERS',
      flemishDecision: 'REFUSED',
      flemishDecidedOn: '2024-02-20',
      sentToFederalOn: null,
      federalDecision: null,
    });
    expect(await procedureOf(await dossier('GRANTED', { kind: 'EXTENSION' }))).toMatchObject({
      stage: 'FEDERAL_TREATMENT',
      flemishDecision: 'GRANTED',
      flemishDecidedOn: '2024-02-20',
      sentToFederalOn: '2024-02-20',
      federalReference: null,
      federalDecision: 'PENDING',
      federalDecidedOn: null,
    });
  });
});

describe('recordFederalDecision', () => {
  it('records the federal decision once, idempotent per key', async () => {
    const id = await dossier('GRANTED');
    const input = {
      dossierId: id,
      decision: 'REFUSED',
      decidedOn: '2024-02-20',
      federalReference: 'dvz-2024-7654321',
      idempotencyKey: key(),
    };
    const res = await exec(RECORD, { input });
    expect(res.errors).toBeUndefined();
    expect(res.data.activation.recordFederalDecision).toEqual({
      stage: 'REFUSED_BY_FEDERAL',
      flemishDecision: 'GRANTED',
      flemishDecidedOn: '2024-02-20',
      sentToFederalOn: '2024-02-20',
      federalReference: 'DVZ-2024-7654321',
      federalDecision: 'REFUSED',
      federalDecidedOn: '2024-02-20',
      dossier: { id },
    });
    const written = await rows();
    expect((await exec(RECORD, { input })).data.activation.recordFederalDecision.federalDecision).toBe('REFUSED');
    expect(await rows()).toBe(written);
    const other = await exec(RECORD, { input: { ...input, decision: 'GRANTED' } });
    expect(errorOf(other)).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
    const twice = await record(id, { federalReference: 'DVZ-2024-7654321' });
    expect(errorOf(twice)).toMatchObject({ code: 'CONFLICT', field: 'dossierId' });
    expect(await procedureOf(id)).toMatchObject({ stage: 'REFUSED_BY_FEDERAL', federalDecision: 'REFUSED' });
  });

  it('grants the residence part: the single permit is granted', async () => {
    const id = await dossier('GRANTED');
    const res = await record(id);
    expect(res.errors).toBeUndefined();
    expect(res.data.activation.recordFederalDecision).toMatchObject({
      stage: 'GRANTED',
      federalDecision: 'GRANTED',
      federalDecidedOn: '2024-04-15',
    });
  });

  it('refuses every invalid request with a coded error and writes nothing', async () => {
    const granted = await dossier('GRANTED');
    const taken = await dossier('GRANTED');
    expect((await record(taken, { federalReference: 'DVZ-TAKEN-1' })).errors).toBeUndefined();
    // The Date scalar refuses a day that does not exist before the command runs: no field then.
    const cases: Array<[string, Record<string, unknown>, string, string | undefined]> = [
      [granted, { idempotencyKey: 'short' }, 'BAD_USER_INPUT', 'idempotencyKey'],
      [granted, { decision: 'PENDING' }, 'BAD_USER_INPUT', 'decision'],
      [granted, { decidedOn: '2024-02-31' }, 'BAD_USER_INPUT', undefined],
      [granted, { decidedOn: '2999-01-01' }, 'BAD_USER_INPUT', 'decidedOn'],
      // Before the Flemish decision of 2024-02-20.
      [granted, { decidedOn: '2024-02-19' }, 'BAD_USER_INPUT', 'decidedOn'],
      [granted, { federalReference: 'no spaces allowed' }, 'BAD_USER_INPUT', 'federalReference'],
      [granted, { federalReference: null }, 'BAD_USER_INPUT', 'federalReference'],
      [granted, { federalReference: 'DVZ-TAKEN-1' }, 'CONFLICT', 'federalReference'],
      ['ACT-999999999', {}, 'NOT_FOUND', 'dossierId'],
      ['IWL-2021', {}, 'NOT_FOUND', 'dossierId'],
      [await dossier('ADMISSIBLE'), {}, 'CONFLICT', 'dossierId'],
      [await dossier('REFUSED'), {}, 'CONFLICT', 'dossierId'],
      [await dossier('GRANTED', { kind: 'INCREASE' }), {}, 'CONFLICT', 'dossierId'],
      [await dossier('GRANTED', { measureCode: 'BEROEPSKAARTEN' }), {}, 'CONFLICT', 'dossierId'],
    ];
    const before = await rows();
    for (const [dossierId, overrides, code, field] of cases) {
      const res = await record(dossierId, overrides);
      expect(errorOf(res), `${dossierId} ${JSON.stringify(overrides)}`).toMatchObject(
        field ? { code, field } : { code },
      );
    }
    expect(await rows()).toBe(before);
    expect(await procedureOf(granted)).toMatchObject({ stage: 'FEDERAL_TREATMENT', federalDecision: 'PENDING' });
  });
});

describe('batched loading', () => {
  it('reads the procedures of a page of permits with as many statements for 2 as for 80', async () => {
    const query = `query ($first: Int!) { _entities(representations: [{ __typename: "ActivationMeasure", code: "ARBEIDSKAARTEN" }]) {
      ... on ActivationMeasure { dossiers(first: $first, filter: { status: GRANTED }) { nodes {
        ... on ActivationDossier { id combinedProcedure { stage federalDecision dossier { id } } } } } } } }`;
    const run = async (first: number) => {
      const { result: res, statements } = await subgraph.countStatements(() => exec(query, { first }));
      expect(res.errors).toBeUndefined();
      const nodes = res.data._entities[0].dossiers.nodes;
      expect(nodes).toHaveLength(first);
      expect(nodes.filter((n: { combinedProcedure: unknown }) => n.combinedProcedure).length).toBeGreaterThan(0);
      return statements;
    };
    expect(await run(80)).toBe(await run(2));
  });
});
