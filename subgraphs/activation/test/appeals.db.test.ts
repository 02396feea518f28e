import { publishedMeasures } from '@measure-graph/db';
import { generatePersons } from '@measure-graph/demo-data';
import { startSubgraphForTest, type SubgraphUnderTest } from '@measure-graph/demo-data/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAppeals } from '@measure-graph/demo-data';
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

const APPEAL_FIELDS =
  'id measureCode lodgedOn grounds outcome decidedOn dossier { id status events { type occurredAt } }';
const LODGE = `mutation ($input: LodgeAppealInput!) { activation { lodgeAppeal(input: $input) { ${APPEAL_FIELDS} } } }`;
const DECIDE = `mutation ($input: DecideAppealInput!) { activation { decideAppeal(input: $input) { ${APPEAL_FIELDS} } } }`;
const MEASURE_APPEALS = `query ($code: ID!, $year: Int!, $first: Int, $after: String) {
  _entities(representations: [{ __typename: "ActivationMeasure", code: $code }]) { ... on ActivationMeasure {
    appeals(year: $year, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id lodgedOn } }
      nodes { id lodgedOn outcome decidedOn dossier { id appeals { id } } } }
    volumes(year: $year) { label value } } } }`;

async function measureAppeals(code: string, year: number, first = 50, after: string | null = null) {
  const res = await exec(MEASURE_APPEALS, { code, year, first, after });
  expect(res.errors).toBeUndefined();
  return res.data._entities[0] as {
    appeals: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: Array<{ cursor: string; node: { id: string } }>;
      nodes: Array<{ id: string; lodgedOn: string; outcome: string; decidedOn: string | null; dossier: any }>;
    };
    volumes: Array<{ label: string; value: number }>;
  };
}

const steps = dossierSteps(() => subgraph, 'appeal-test');
const key = steps.key;
/** A BEROEPSKAARTEN dossier of a person, taken up to `until`. */
const dossier = (until: DossierStage) =>
  steps.dossier(until, { measureCode: 'BEROEPSKAARTEN', applicant: { applicantPersonId: generatePersons()[7]!.id } });

const lodge = (dossierId: string, overrides: Record<string, unknown> = {}) =>
  exec(LODGE, {
    input: {
      dossierId,
      lodgedOn: '2024-03-05T11:00:00+01:00',
      grounds: 'Betwist de motivering van de weigering',
      idempotencyKey: key(),
      ...overrides,
    },
  });
const decide = (appealId: string, overrides: Record<string, unknown> = {}) =>
  exec(DECIDE, {
    input: { appealId, outcome: 'UPHELD', decidedOn: '2024-05-02T14:00:00+02:00', idempotencyKey: key(), ...overrides },
  });
const counts = async () =>
  (
    await sql(`SELECT (SELECT count(*)::int FROM activation.appeal) AS appeals,
                      (SELECT count(*)::int FROM activation.dossier_event) AS events`)
  )[0] as { appeals: number; events: number };

describe('appeals seeded from the APPEALED events', () => {
  const published = publishedMeasures()
    .find((m) => m.code === 'BEROEPSKAARTEN')!
    .volumes.find((v) => v.label === 'beroepsprocedures')!;

  it('gives the published BEROEPSKAARTEN appeals per year, equal to the card row and the APPEALED events', async () => {
    for (const year of [2019, 2020]) {
      const { appeals, volumes } = await measureAppeals('BEROEPSKAARTEN', year, 5);
      const [{ events }] = await sql(
        `SELECT count(*)::int AS events FROM activation.dossier_event
          WHERE measure_code = 'BEROEPSKAARTEN' AND type = 'APPEALED' AND extract(year FROM occurred_at) = $1`,
        [year],
      );
      expect(appeals.totalCount).toBe(year === 2019 ? published.value2019 : published.value2020);
      expect(appeals.totalCount).toBe(events);
      expect(volumes.find((v) => v.label === 'beroepsprocedures')!.value).toBe(appeals.totalCount);
      expect(appeals.nodes).toHaveLength(5);
      for (const a of appeals.nodes) expect(a.lodgedOn.startsWith(`${year}-`)).toBe(true);
    }
  });

  it('ties each appeal to its APPEALED event, and each decided one to an APPEAL_DECIDED event after it', async () => {
    const [row] = await sql(`
      SELECT count(*)::int AS appeals,
             count(*) FILTER (WHERE l.type = 'APPEALED' AND l.dossier_id = a.dossier_id AND l.occurred_at = a.lodged_at)::int AS lodged,
             count(*) FILTER (WHERE a.outcome <> 'PENDING')::int AS decided,
             count(*) FILTER (WHERE x.type = 'APPEAL_DECIDED' AND x.dossier_id = a.dossier_id AND x.occurred_at = a.decided_at
                                AND a.decided_at > a.lodged_at)::int AS "decidedEvents",
             count(DISTINCT a.outcome)::int AS outcomes
        FROM activation.appeal a JOIN activation.dossier_event l ON l.id = a.lodged_event_id
        LEFT JOIN activation.dossier_event x ON x.id = a.decided_event_id`);
    const [{ events }] = await sql(
      `SELECT count(*)::int AS events FROM activation.dossier_event WHERE type = 'APPEALED'`,
    );
    expect(row.appeals).toBe(events);
    expect(row.lodged).toBe(row.appeals);
    expect(row.decidedEvents).toBe(row.decided);
    expect(row.decided).toBeGreaterThan(0);
    expect(row.outcomes).toBeGreaterThan(2);
  });

  it('shows the appeal on its dossier, with the dossier’s events', async () => {
    const { appeals } = await measureAppeals('BEROEPSKAARTEN', 2020, 3);
    for (const a of appeals.nodes) {
      expect(a.dossier.appeals.map((x: { id: string }) => x.id)).toContain(a.id);
    }
    expect(appeals.nodes[0]!.id).toMatch(/^ACT-APPEAL-\d+$/);
  });

  it('pages with keyset cursors, without overlap, and refuses bad arguments', async () => {
    const first = await measureAppeals('BEROEPSKAARTEN', 2019, 100);
    const second = await measureAppeals('BEROEPSKAARTEN', 2019, 100, first.appeals.pageInfo.endCursor);
    expect(first.appeals.pageInfo.hasNextPage).toBe(true);
    expect(second.appeals.pageInfo.hasNextPage).toBe(false);
    const ids = [...first.appeals.nodes, ...second.appeals.nodes].map((a) => a.id);
    expect(new Set(ids).size).toBe(first.appeals.totalCount);
    const dates = [...first.appeals.nodes, ...second.appeals.nodes].map((a) => a.lodgedOn);
    expect(dates).toEqual([...dates].sort());
    expect(first.appeals.edges.at(-1)!.cursor).toBe(first.appeals.pageInfo.endCursor);
    for (const [vars, field] of [
      [{ year: 1999 }, 'year'],
      [{ year: 2019, first: 0 }, 'first'],
      [{ year: 2019, after: 'not-a-cursor' }, 'after'],
    ] as const) {
      const res = await exec(MEASURE_APPEALS, { code: 'BEROEPSKAARTEN', ...vars });
      expect(errorOf(res), field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    // A measure without appeals has an empty list.
    expect((await measureAppeals('ZORGKREDIET', 2019)).appeals).toMatchObject({ totalCount: 0, nodes: [] });
  });

  it('is deterministic per event and idempotent: a second run adds nothing, a re-run of a lost row gives it back', async () => {
    const before = await counts();
    await seedAppeals(subgraph.dataSource);
    expect(await counts()).toEqual(before);
    const [victim] = await sql(
      `SELECT id, lodged_event_id, decided_event_id, grounds, outcome, to_char(decided_at, 'YYYY-MM-DD HH24:MI:SS') AS decided
         FROM activation.appeal WHERE outcome <> 'PENDING' ORDER BY id LIMIT 1`,
    );
    await sql(`DELETE FROM activation.appeal WHERE id = $1`, [victim.id]);
    await sql(`DELETE FROM activation.dossier_event WHERE id = $1`, [victim.decided_event_id]);
    await seedAppeals(subgraph.dataSource);
    const [again] = await sql(
      `SELECT grounds, outcome, to_char(decided_at, 'YYYY-MM-DD HH24:MI:SS') AS decided
         FROM activation.appeal WHERE lodged_event_id = $1`,
      [victim.lodged_event_id],
    );
    expect(again).toEqual({ grounds: victim.grounds, outcome: victim.outcome, decided: victim.decided });
    expect(await counts()).toEqual(before);
  });
});

describe('lodgeAppeal', () => {
  it('lodges an appeal against a refusal, writes the APPEALED event the card row counts, once per key', async () => {
    const id = await dossier('REFUSED');
    const before = await measureAppeals('BEROEPSKAARTEN', 2024);
    const input = {
      dossierId: id,
      lodgedOn: '2024-03-05T11:00:00+01:00',
      grounds: '  Legt nieuwe stukken voor  ',
      idempotencyKey: key(),
    };
    const res = await exec(LODGE, { input });
    expect(res.errors).toBeUndefined();
    const appeal = res.data.activation.lodgeAppeal;
    expect(appeal).toMatchObject({
      measureCode: 'BEROEPSKAARTEN',
      lodgedOn: '2024-03-05',
      grounds: 'Legt nieuwe stukken voor',
      outcome: 'PENDING',
      decidedOn: null,
      dossier: { id, status: 'REFUSED' },
    });
    expect(appeal.dossier.events.at(-1)).toEqual({ type: 'APPEALED', occurredAt: '2024-03-05T11:00:00+01:00' });
    const after = await measureAppeals('BEROEPSKAARTEN', 2024);
    expect(after.appeals.totalCount).toBe(before.appeals.totalCount + 1);
    const row = (v: typeof after) => v.volumes.find((r) => r.label === 'beroepsprocedures')!.value;
    expect(row(after)).toBe(row(before) + 1);
    expect(row(after)).toBe(after.appeals.totalCount);

    // A retry returns the same appeal and writes nothing; another request with the key is a CONFLICT.
    const written = await counts();
    const retry = await exec(LODGE, { input });
    expect(retry.data.activation.lodgeAppeal.id).toBe(appeal.id);
    expect(await counts()).toEqual(written);
    const other = await exec(LODGE, { input: { ...input, grounds: 'Iets anders' } });
    expect(errorOf(other)).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
  });

  it('also takes an appeal against a grant (e.g. by a third party)', async () => {
    const res = await lodge(await dossier('GRANTED'));
    expect(res.errors).toBeUndefined();
    expect(res.data.activation.lodgeAppeal.dossier.status).toBe('GRANTED');
  });

  it('lets only one of two concurrent appeals on a dossier through; the other is a CONFLICT', async () => {
    const id = await dossier('REFUSED');
    const results = await Promise.all([lodge(id), lodge(id, { lodgedOn: '2024-03-06T09:00:00+01:00' })]);
    expect(results.filter((r) => r.errors === undefined)).toHaveLength(1);
    expect(results.map((r) => errorOf(r)?.code).filter(Boolean)).toEqual(['CONFLICT']);
  });

  it('refuses every invalid request with a coded error and writes nothing', async () => {
    const refused = await dossier('REFUSED');
    const undecided = await dossier('ADMISSIBLE');
    const pending = await dossier('REFUSED');
    expect((await lodge(pending)).errors).toBeUndefined();
    const before = await counts();
    // The DateTime scalar refuses a malformed lodgedOn before the command runs: no field then.
    const cases: Array<[string, Record<string, unknown>, string, string | undefined]> = [
      [refused, { idempotencyKey: 'short' }, 'BAD_USER_INPUT', 'idempotencyKey'],
      [refused, { lodgedOn: '2024-02-30T10:00:00+01:00' }, 'BAD_USER_INPUT', undefined],
      [refused, { lodgedOn: 'yesterday' }, 'BAD_USER_INPUT', undefined],
      [refused, { lodgedOn: '2024-03-05T11:00:00' }, 'BAD_USER_INPUT', undefined],
      [refused, { lodgedOn: '2999-01-01T10:00:00+01:00' }, 'BAD_USER_INPUT', 'lodgedOn'],
      // Before the refusal (2024-02-20 10:00).
      [refused, { lodgedOn: '2024-02-20T09:59:00+01:00' }, 'BAD_USER_INPUT', 'lodgedOn'],
      [refused, { grounds: ' x ' }, 'BAD_USER_INPUT', 'grounds'],
      [refused, { grounds: 'x'.repeat(2001) }, 'BAD_USER_INPUT', 'grounds'],
      ['ACT-999999999', {}, 'NOT_FOUND', 'dossierId'],
      ['SE-1', {}, 'NOT_FOUND', 'dossierId'],
      [undecided, {}, 'CONFLICT', 'dossierId'],
      [pending, { lodgedOn: '2024-04-01T10:00:00+02:00' }, 'CONFLICT', 'dossierId'],
    ];
    for (const [dossierId, overrides, code, field] of cases) {
      const res = await lodge(dossierId, overrides);
      expect(errorOf(res), `${dossierId} ${JSON.stringify(overrides).slice(0, 60)}`).toMatchObject(
        field ? { code, field } : { code },
      );
    }
    expect(await counts()).toEqual(before);
  });
});

describe('decideAppeal', () => {
  it('decides a pending appeal once, writes the APPEAL_DECIDED event and leaves the original decision', async () => {
    const id = await dossier('REFUSED');
    const appeal = (await lodge(id)).data.activation.lodgeAppeal;
    const input = {
      appealId: appeal.id,
      outcome: 'UPHELD',
      decidedOn: '2024-05-02T14:00:00+02:00',
      idempotencyKey: key(),
    };
    const res = await exec(DECIDE, { input });
    expect(res.errors).toBeUndefined();
    const decided = res.data.activation.decideAppeal;
    expect(decided).toMatchObject({ id: appeal.id, outcome: 'UPHELD', decidedOn: '2024-05-02' });
    expect(decided.dossier.status).toBe('REFUSED');
    expect(decided.dossier.events.map((e: { type: string }) => e.type).slice(-3)).toEqual([
      'REFUSED',
      'APPEALED',
      'APPEAL_DECIDED',
    ]);
    const written = await counts();
    expect((await exec(DECIDE, { input })).data.activation.decideAppeal.id).toBe(appeal.id);
    expect(await counts()).toEqual(written);
    const twice = await decide(appeal.id, { outcome: 'REJECTED' });
    expect(errorOf(twice)).toMatchObject({ code: 'CONFLICT', field: 'appealId' });

    // Decided, the dossier can be appealed again, after the decision on the first appeal.
    const early = await lodge(id, { lodgedOn: '2024-05-01T10:00:00+02:00' });
    expect(errorOf(early)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lodgedOn' });
    const second = await lodge(id, { lodgedOn: '2024-05-10T10:00:00+02:00' });
    expect(second.errors).toBeUndefined();
    const list = await exec(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ActivationDossier { appeals { id outcome } } } }`,
      { r: [{ __typename: 'ActivationDossier', id }] },
    );
    expect(list.data._entities[0].appeals).toEqual([
      { id: appeal.id, outcome: 'UPHELD' },
      { id: second.data.activation.lodgeAppeal.id, outcome: 'PENDING' },
    ]);
  });

  it('takes every final outcome', async () => {
    for (const outcome of ['REJECTED', 'INADMISSIBLE', 'WITHDRAWN']) {
      const appeal = (await lodge(await dossier('REFUSED'))).data.activation.lodgeAppeal;
      const res = await decide(appeal.id, { outcome });
      expect(res.errors, outcome).toBeUndefined();
      expect(res.data.activation.decideAppeal.outcome).toBe(outcome);
    }
  });

  it('refuses every invalid request with a coded error and writes nothing', async () => {
    const appeal = (await lodge(await dossier('REFUSED'))).data.activation.lodgeAppeal;
    const before = await counts();
    const cases: Array<[string, Record<string, unknown>, string, string | undefined]> = [
      [appeal.id, { idempotencyKey: 'short' }, 'BAD_USER_INPUT', 'idempotencyKey'],
      [appeal.id, { outcome: 'PENDING' }, 'BAD_USER_INPUT', 'outcome'],
      // Lodged 2024-03-05 11:00.
      [appeal.id, { decidedOn: '2024-03-05T10:59:00+01:00' }, 'BAD_USER_INPUT', 'decidedOn'],
      [appeal.id, { decidedOn: '2999-01-01T00:00:00+01:00' }, 'BAD_USER_INPUT', 'decidedOn'],
      [appeal.id, { decidedOn: '05/05/2024' }, 'BAD_USER_INPUT', undefined],
      ['ACT-APPEAL-999999999', {}, 'NOT_FOUND', 'appealId'],
      ['ACT-12', {}, 'NOT_FOUND', 'appealId'],
    ];
    for (const [appealId, overrides, code, field] of cases) {
      const res = await decide(appealId, overrides);
      expect(errorOf(res), `${appealId} ${JSON.stringify(overrides)}`).toMatchObject(
        field ? { code, field } : { code },
      );
    }
    // An outcome outside the enum never reaches the resolver.
    const unknown = await decide(appeal.id, { outcome: 'GEGROND' });
    expect(unknown.errors?.length).toBeGreaterThan(0);
    expect(unknown.data ?? null).toBeNull();
    expect(await counts()).toEqual(before);
  });
});

describe('batched loading', () => {
  it('reads appeals, their dossiers and their dossiers’ appeals with as many statements for 2 as for 60', async () => {
    const query = `query ($first: Int!) { _entities(representations: [
        { __typename: "ActivationMeasure", code: "BEROEPSKAARTEN" }, { __typename: "ActivationMeasure", code: "ARBEIDSKAARTEN" }]) {
      ... on ActivationMeasure { appeals(year: 2019, first: $first) { totalCount nodes { id dossier { id status
        appeals { id outcome } combinedProcedure { stage } } } } } } }`;
    const run = async (first: number) => {
      const { result: res, statements } = await subgraph.countStatements(() => exec(query, { first }));
      expect(res.errors).toBeUndefined();
      expect(res.data._entities[0].appeals.nodes).toHaveLength(first);
      return statements;
    };
    expect(await run(60)).toBe(await run(2));
  });
});
