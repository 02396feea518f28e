import { generateOrganisations, generatePersons, showcasePerson } from '@measure-graph/demo-data';
import { startSubgraphForTest, type SubgraphUnderTest } from '@measure-graph/demo-data/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { competencesSubgraph } from '../src/subgraph.ts';

let subgraph: SubgraphUnderTest;
beforeAll(async () => {
  subgraph = await startSubgraphForTest(competencesSubgraph);
}, 120_000);
afterAll(() => subgraph?.stop());

const sql = (text: string, params: unknown[] = []) => subgraph.dataSource.query(text, params);
const REQUEST = `mutation ($input: RequestTrainingLeaveInput!) { competences { requestTrainingLeave(input: $input) {
  id schoolYear hours amount course { id hours } person { id } employer { kboNumber } } } }`;

describe('the training database', () => {
  it('has a course for every granted recognition of the training database, offered by the applicant', async () => {
    const [row] = await sql(
      `SELECT count(DISTINCT d.id)::int AS granted, (SELECT count(*)::int FROM competences.course) AS courses
         FROM competences.dossier d JOIN competences.dossier_event e ON e.dossier_id = d.id AND e.type = 'GRANTED'
        WHERE d.measure_code = 'OPLEIDINGSDATABANK' AND d.applicant_kbo IS NOT NULL`,
    );
    expect(row.courses).toBe(row.granted);
    const [course] = await sql(`SELECT id::text, provider_kbo AS kbo FROM competences.course LIMIT 1`);
    const res = await subgraph.execute<any>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Organisation { courses { id hours dossier { measureCode status } } } } }`,
      { r: [{ __typename: 'Organisation', kboNumber: course.kbo }] },
    );
    expect(res.errors).toBeUndefined();
    const found = res.data._entities[0].courses.find((c: { id: string }) => c.id === course.id);
    expect(found.hours).toBeGreaterThanOrEqual(32);
    expect(found.dossier).toEqual({ measureCode: 'OPLEIDINGSDATABANK', status: 'GRANTED' });
  });
});

describe('training leave per person', () => {
  let course: { id: string; hours: number; recognisedOn: string };
  beforeAll(async () => {
    [course] = await sql(
      `SELECT id::text, hours, to_char(recognised_on, 'YYYY-MM-DD') AS "recognisedOn" FROM competences.course
        WHERE hours >= 40 ORDER BY id LIMIT 1`,
    );
  });
  const start = () => new Date(Date.parse(course.recognisedOn) + 30 * 86_400_000).toISOString().slice(0, 10);
  const input = (overrides: Record<string, unknown> = {}) => ({
    personId: generatePersons()[11]!.id,
    employerKbo: generateOrganisations()[5]!.kboNumber,
    courseId: course.id,
    scheme: 'VOV',
    courseStartedOn: start(),
    requestedOn: start(),
    hours: 40,
    ...overrides,
  });

  it('shows the showcase person’s leave with its school year', async () => {
    const res = await subgraph.execute<any>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { trainingLeave { scheme schoolYear hours amount course { title } } } } }`,
      { r: [{ __typename: 'Person', id: showcasePerson().id }] },
    );
    expect(res.errors).toBeUndefined();
    const [leave] = res.data._entities[0].trainingLeave;
    expect(leave.schoolYear).toMatch(/^(2018-2019|2019-2020)$/);
    expect(Number(leave.amount)).toBe(leave.hours * 21);
  });

  it('records leave for a recognised course in its school year', async () => {
    const res = await subgraph.execute<any>(REQUEST, { input: input() });
    expect(res.errors).toBeUndefined();
    const leave = res.data.competences.requestTrainingLeave;
    const year = Number(start().slice(0, 4));
    const first = Number(start().slice(5, 7)) >= 9 ? year : year - 1;
    expect(leave).toMatchObject({
      schoolYear: `${first}-${first + 1}`,
      hours: 40,
      amount: '840.00',
      course: { id: course.id },
    });
  });

  it.each([
    [{ personId: 'prs_nobody' }, 'NOT_FOUND', 'personId'],
    [{ employerKbo: '0200000000' }, 'NOT_FOUND', 'employerKbo'],
    [{ courseId: '999999999' }, 'NOT_FOUND', 'courseId'],
    [{ scheme: 'SABBATICAL' }, 'BAD_USER_INPUT', 'scheme'],
    [{ hours: 0 }, 'BAD_USER_INPUT', 'hours'],
    [{ hours: 100_000 }, 'BAD_USER_INPUT', 'hours'],
    [{ courseStartedOn: '2999-01-01' }, 'BAD_USER_INPUT', 'courseStartedOn'],
    [{ courseStartedOn: '2020-13-01' }, 'BAD_USER_INPUT', 'courseStartedOn'],
    [{ requestedOn: '2020-02-30' }, 'BAD_USER_INPUT', 'requestedOn'],
    [{ courseStartedOn: '2001-01-01', requestedOn: '2001-01-02' }, 'CONFLICT', 'courseStartedOn'],
  ])('refuses %j with %s on %s and writes nothing', async (overrides, code, field) => {
    const [{ n }] = await sql(`SELECT count(*)::int AS n FROM competences.training_leave`);
    const res = await subgraph.execute(REQUEST, { input: input(overrides) });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code, field });
    expect((await sql(`SELECT count(*)::int AS n FROM competences.training_leave`))[0].n).toBe(n);
  });

  it('refuses VOV requested more than three months after the start (CONFLICT)', async () => {
    const late = new Date(Date.parse(start()) + 100 * 86_400_000).toISOString().slice(0, 10);
    const res = await subgraph.execute(REQUEST, { input: input({ requestedOn: late }) });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'requestedOn' });
  });
});
