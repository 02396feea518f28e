import { dualLearningSeedTargets, generatePersons, seedDemoData } from '@measure-graph/demo-data';
import { startSubgraphForTest, type SubgraphUnderTest } from '@measure-graph/demo-data/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { competencesSubgraph } from '../src/subgraph.ts';

let subgraph: SubgraphUnderTest;
beforeAll(async () => {
  subgraph = await startSubgraphForTest(competencesSubgraph);
}, 120_000);
afterAll(() => subgraph?.stop());

const sql = (text: string, params: unknown[] = []) => subgraph.dataSource.query(text, params);
const FIGURES = `query ($y: String!) { dualLearningFigures(schoolYear: $y) { schoolYear from to
  recognitionApplicationsReceived recognitionApplicationsApproved enterprisesWithNewRecognition
  establishmentsWithNewRecognition mentorsOfNewRecognitions newAgreements } }`;
const REGISTER = `mutation ($input: RegisterDualAgreementInput!) { competences { registerDualAgreement(input: $input) {
  id startsOn endsOn registeredOn learner { id } workplace { id status recognisedOn } } } }`;
let n = 0;
const key = () => `dual-test-${Date.now()}-${n++}`;
const agreements = async () => (await sql(`SELECT count(*)::int AS n FROM competences.dual_agreement`))[0].n;

describe('dual-learning figures of the small profile', () => {
  it.each(dualLearningSeedTargets('small'))(
    'counts the card’s rows of $schoolYear (one in twenty) from the objects',
    async (t) => {
      const res = await subgraph.execute<any>(FIGURES, { y: t.schoolYear });
      expect(res.errors).toBeUndefined();
      expect(res.data.dualLearningFigures).toEqual({
        schoolYear: t.schoolYear,
        from: `${t.schoolYear.slice(0, 4)}-09-01`,
        to: `${t.schoolYear.slice(5)}-08-31`,
        recognitionApplicationsReceived: t.received,
        recognitionApplicationsApproved: t.approved,
        enterprisesWithNewRecognition: t.enterprises,
        establishmentsWithNewRecognition: t.establishments,
        mentorsOfNewRecognitions: t.mentors,
        newAgreements: t.agreements,
      });
    },
  );

  it('keeps each establishment with one enterprise, valid numbers, and agreements at workplaces recognised on their start', async () => {
    const [row] = await sql(
      `SELECT (SELECT count(*)::int FROM (SELECT establishment_number FROM competences.dual_workplace
                GROUP BY establishment_number HAVING count(DISTINCT enterprise_kbo) > 1) s) AS shared,
              (SELECT count(*)::int FROM competences.dual_workplace
                WHERE 97 - substr(establishment_number, 1, 8)::bigint % 97 <> substr(establishment_number, 9)::int) AS invalid,
              (SELECT count(*)::int FROM competences.dual_agreement a JOIN competences.dual_workplace w ON w.id = a.workplace_id
                WHERE w.status <> 'RECOGNISED' OR a.starts_on NOT BETWEEN w.recognised_on AND w.valid_until) AS unrecognised`,
    );
    expect(row).toEqual({ shared: 0, invalid: 0, unrecognised: 0 });
  });

  it.each(['2019', '2019-2021', '2020-2019', 'school year'])('refuses the school year %j', async (y) => {
    const res = await subgraph.execute(FIGURES, { y });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'schoolYear' });
  });
});

describe('a second start', () => {
  it('seeds no more vouchers, workplaces or agreements', async () => {
    const counts = () =>
      sql(`SELECT (SELECT count(*)::int FROM competences.training_voucher) AS vouchers,
                  (SELECT count(*)::int FROM competences.dual_workplace) AS workplaces,
                  (SELECT count(*)::int FROM competences.dual_agreement) AS agreements`);
    const before = await counts();
    expect(before[0].vouchers).toBeGreaterThan(0);
    await competencesSubgraph.seedReference!(subgraph.dataSource);
    await seedDemoData('competences', subgraph.dataSource, 'small');
    expect(await counts()).toEqual(before);
  });
});

describe('workplaces and agreements', () => {
  it('shows an enterprise’s workplaces and a learner’s agreements with their workplace', async () => {
    const [a] = await sql(
      `SELECT a.person_id AS person, a.workplace_id::text AS workplace, w.enterprise_kbo AS kbo
         FROM competences.dual_agreement a JOIN competences.dual_workplace w ON w.id = a.workplace_id ORDER BY a.id LIMIT 1`,
    );
    const res = await subgraph.execute<any>(
      `query ($r: [_Any!]!) { _entities(representations: $r) {
        ... on Person { dualAgreements { startsOn endsOn learner { id } workplace { id establishmentNumber mentorCount enterprise { kboNumber } } } }
        ... on Organisation { dualLearningWorkplaces { id status appliedOn recognisedOn validUntil mentorCount } } } }`,
      {
        r: [
          { __typename: 'Person', id: a.person },
          { __typename: 'Organisation', kboNumber: a.kbo },
        ],
      },
    );
    expect(res.errors).toBeUndefined();
    const [person, organisation] = res.data._entities;
    const agreement = person.dualAgreements.find((x: any) => x.workplace.id === a.workplace);
    expect(agreement).toMatchObject({ learner: { id: a.person }, workplace: { enterprise: { kboNumber: a.kbo } } });
    expect(agreement.workplace.establishmentNumber).toMatch(/^[2-8]\d{9}$/);
    expect(agreement.workplace.mentorCount).toBeGreaterThan(0);
    const workplace = organisation.dualLearningWorkplaces.find((w: any) => w.id === a.workplace);
    expect(workplace.status).toBe('RECOGNISED');
    expect(Number(workplace.validUntil.slice(0, 4)) - Number(workplace.recognisedOn.slice(0, 4))).toBe(5);
  });

  it('needs dossiers:read for an enterprise’s workplaces and persons:read for agreements', async () => {
    const [w] = await sql(`SELECT enterprise_kbo AS kbo FROM competences.dual_workplace LIMIT 1`);
    const res = await subgraph.execute<any>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Organisation { dualLearningWorkplaces { id } } } }`,
      { r: [{ __typename: 'Organisation', kboNumber: w.kbo }] },
      { principal: { subject: 'reader', scopes: new Set(['persons:read']) } },
    );
    expect(res.data?._entities[0].dualLearningWorkplaces).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('loads 2 or 20 learners’ agreements with their workplaces, and enterprises’ workplaces, in as many statements', async () => {
    const rows: Array<{ person: string; kbo: string }> = await sql(
      `SELECT DISTINCT ON (a.person_id) a.person_id AS person, w.enterprise_kbo AS kbo
         FROM competences.dual_agreement a JOIN competences.dual_workplace w ON w.id = a.workplace_id
        ORDER BY a.person_id LIMIT 20`,
    );
    const counts: number[] = [];
    for (const size of [2, 20]) {
      const chosen = rows.slice(0, size);
      const { result: res, statements } = await subgraph.countStatements(() =>
        subgraph.execute<any>(
          `query ($r: [_Any!]!) { _entities(representations: $r) {
          ... on Person { dualAgreements { id workplace { id enterprise { kboNumber } } } }
          ... on Organisation { dualLearningWorkplaces { id } } } }`,
          {
            r: [
              ...chosen.map((c) => ({ __typename: 'Person', id: c.person })),
              ...chosen.map((c) => ({ __typename: 'Organisation', kboNumber: c.kbo })),
            ],
          },
        ),
      );
      counts.push(statements);
      expect(res.errors).toBeUndefined();
      expect(res.data._entities.slice(0, size).every((p: any) => p.dualAgreements.length > 0)).toBe(true);
      expect(res.data._entities.slice(size).every((o: any) => o.dualLearningWorkplaces.length > 0)).toBe(true);
    }
    expect(counts[1]).toBe(counts[0]);
  });

  describe('registerDualAgreement', () => {
    let workplace: { id: string; recognisedOn: string; validUntil: string };
    let refused: string;
    beforeAll(async () => {
      [workplace] = await sql(
        `SELECT id::text, to_char(recognised_on, 'YYYY-MM-DD') AS "recognisedOn", to_char(valid_until, 'YYYY-MM-DD') AS "validUntil"
           FROM competences.dual_workplace WHERE status = 'RECOGNISED' ORDER BY id LIMIT 1`,
      );
      [{ refused }] = await sql(
        `SELECT id::text AS refused FROM competences.dual_workplace WHERE status = 'REFUSED' LIMIT 1`,
      );
    });
    const input = (overrides: Record<string, string> = {}) => ({
      personId: generatePersons()[42]!.id,
      workplaceId: workplace.id,
      startsOn: workplace.recognisedOn,
      endsOn: '2022-06-30',
      registeredOn: workplace.recognisedOn,
      idempotencyKey: key(),
      ...overrides,
    });

    it('registers an agreement at a workplace recognised on its start; a retry returns it again', async () => {
      const first = input();
      const res = await subgraph.execute<any>(REGISTER, { input: first });
      expect(res.errors).toBeUndefined();
      expect(res.data.competences.registerDualAgreement).toMatchObject({
        startsOn: workplace.recognisedOn,
        learner: { id: first.personId },
        workplace: { id: workplace.id, status: 'RECOGNISED' },
      });
      const count = await agreements();
      const retry = await subgraph.execute<any>(REGISTER, { input: first });
      expect(retry.data.competences.registerDualAgreement).toEqual(res.data.competences.registerDualAgreement);
      expect(await agreements()).toBe(count);
      const reused = await subgraph.execute(REGISTER, { input: { ...first, endsOn: '2023-06-30' } });
      expect(reused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
      const mine = await subgraph.execute<any>(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { dualAgreements { id } } } }`,
        { r: [{ __typename: 'Person', id: first.personId }] },
      );
      expect(mine.data._entities[0].dualAgreements.map((a: any) => a.id)).toContain(
        res.data.competences.registerDualAgreement.id,
      );
    });

    it.each([
      ['an unknown person', { personId: 'prs_nobody' }, 'NOT_FOUND', 'personId'],
      ['an unknown workplace', { workplaceId: '999999999' }, 'NOT_FOUND', 'workplaceId'],
      ['a malformed workplace id', { workplaceId: 'WP-1' }, 'NOT_FOUND', 'workplaceId'],
      ['a start before the recognition', { startsOn: 'before' }, 'CONFLICT', 'startsOn'],
      ['a start after the recognition ended', { startsOn: 'after', endsOn: '2099-01-01' }, 'CONFLICT', 'startsOn'],
      ['a refused workplace', { workplaceId: 'refused' }, 'CONFLICT', 'startsOn'],
      ['an end before the start', { endsOn: '2001-01-01' }, 'BAD_USER_INPUT', 'endsOn'],
      ['a malformed start', { startsOn: '2020-02-30' }, 'BAD_USER_INPUT', 'startsOn'],
      ['a registration in the future', { registeredOn: '2999-01-01' }, 'BAD_USER_INPUT', 'registeredOn'],
      ['a short idempotency key', { idempotencyKey: 'short' }, 'BAD_USER_INPUT', 'idempotencyKey'],
    ])('refuses %s and writes nothing', async (_, overrides: Record<string, string>, code, field) => {
      const day = (d: string, k: number) => new Date(Date.parse(d) + k * 86_400_000).toISOString().slice(0, 10);
      const values = { ...overrides };
      if (values.startsOn === 'before') values.startsOn = day(workplace.recognisedOn, -1);
      if (values.startsOn === 'after') values.startsOn = day(workplace.validUntil, 1);
      if (values.workplaceId === 'refused') values.workplaceId = refused;
      const count = await agreements();
      const res = await subgraph.execute(REGISTER, { input: input(values) });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code, field });
      expect(await agreements()).toBe(count);
    });
  });
});
