import { startSubgraphForTest, type SubgraphUnderTest } from '@measure-graph/demo-data/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { competencesSubgraph } from '../src/subgraph.ts';
import { CARD_2020 } from '../src/vouchers/rules.ts';
import { voucherSeedTargets } from '@measure-graph/demo-data';

let subgraph: SubgraphUnderTest;
beforeAll(async () => {
  subgraph = await startSubgraphForTest(competencesSubgraph);
}, 120_000);
afterAll(() => subgraph?.stop());

const sql = (text: string, params: unknown[] = []) => subgraph.dataSource.query(text, params);
const FIGURES = `query ($from: Date!, $to: Date!) { trainingVoucherFigures(from: $from, to: $to) {
  from to issued issuedValue used paid paidValue } }`;
const VOUCHER = `id status issuedOn usedOn reimbursedOn value course { id } provider { kboNumber }`;
const USE = `mutation ($input: UseTrainingVoucherInput!) { competences { useTrainingVoucher(input: $input) { ${VOUCHER} } } }`;
const REIMBURSE = `mutation ($input: ReimburseTrainingVoucherInput!) { competences {
  reimburseTrainingVoucher(input: $input) { ${VOUCHER} } } }`;
let n = 0;
const key = () => `voucher-test-${Date.now()}-${n++}`;
type Row = { id: string; issuedOn: string; usedOn: string | null };
const voucher = async (where: string): Promise<Row> =>
  (
    await sql(
      `SELECT id::text, to_char(issued_on, 'YYYY-MM-DD') AS "issuedOn", to_char(used_on, 'YYYY-MM-DD') AS "usedOn"
         FROM competences.training_voucher WHERE ${where} ORDER BY id LIMIT 1`,
    )
  )[0];
const state = () =>
  sql(`SELECT count(*) FILTER (WHERE used_on IS NOT NULL)::int AS used, count(reimbursed_on)::int AS paid,
              (SELECT count(*)::int FROM competences.idempotency) AS keys FROM competences.training_voucher`);

describe('training vouchers of the small profile', () => {
  it('counts the vouchers of September-December 2020: one in twenty of the card’s issued and paid cheques', async () => {
    const res = await subgraph.execute<any>(FIGURES, CARD_2020);
    expect(res.errors).toBeUndefined();
    const figures = res.data.trainingVoucherFigures;
    expect({ issued: figures.issued, paid: figures.paid }).toEqual(voucherSeedTargets('small'));
    const [row] = await sql(
      `SELECT count(*)::int AS used, (sum(value_cents) / 100.0)::numeric(14, 2)::text AS value
         FROM competences.training_voucher WHERE used_on BETWEEN $1 AND $2`,
      [CARD_2020.from, CARD_2020.to],
    );
    expect(figures.used).toBe(row.used);
    expect(Number(figures.issuedValue)).toBeGreaterThan(Number(figures.paidValue));
    // The department issues none before September 2020 (VDAB's cheques are not in its systems).
    const before = await subgraph.execute<any>(FIGURES, { from: '2019-01-01', to: '2020-08-31' });
    expect(before.data.trainingVoucherFigures).toMatchObject({ issued: 0, paid: 0, paidValue: '0.00' });
  });

  it('issues each voucher to the applicant of a granted OPLEIDINGSCHEQUES dossier, on or after the grant', async () => {
    const [row] = await sql(
      `SELECT count(*)::int AS wrong FROM competences.training_voucher v JOIN competences.dossier d ON d.id = v.dossier_id
        WHERE d.measure_code <> 'OPLEIDINGSCHEQUES' OR d.status <> 'GRANTED' OR d.applicant_person_id <> v.person_id
           OR v.issued_on < (SELECT min(e.occurred_at)::date FROM competences.dossier_event e
                              WHERE e.dossier_id = d.id AND e.type = 'GRANTED')`,
    );
    expect(row.wrong).toBe(0);
    const [several] = await sql(
      `SELECT count(*)::int AS n FROM (SELECT dossier_id FROM competences.training_voucher GROUP BY dossier_id HAVING count(*) > 1) s`,
    );
    expect(several.n).toBeGreaterThan(0);
  });

  it('shows a person’s vouchers with their course, provider and dossier', async () => {
    const [{ person, course }] = await sql(
      `SELECT person_id AS person, course_id::text AS course FROM competences.training_voucher
        WHERE course_id IS NOT NULL ORDER BY id LIMIT 1`,
    );
    const res = await subgraph.execute<any>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { trainingVouchers {
        ${VOUCHER} person { id } dossier { measureCode status } course { id provider { kboNumber } } } } } }`,
      { r: [{ __typename: 'Person', id: person }] },
    );
    expect(res.errors).toBeUndefined();
    const vouchers = res.data._entities[0].trainingVouchers;
    const used = vouchers.find((v: any) => v.course?.id === course);
    expect(used).toMatchObject({
      person: { id: person },
      dossier: { measureCode: 'OPLEIDINGSCHEQUES', status: 'GRANTED' },
    });
    expect(used.provider.kboNumber).toBe(used.course.provider.kboNumber);
    expect(['USED', 'REIMBURSED']).toContain(used.status);
    expect(used.value).toMatch(/^\d+\.\d{2}$/);
  });

  it('loads 2 or 20 persons’ vouchers with their course and dossier in as many statements', async () => {
    const rows: Array<{ person: string }> = await sql(
      `SELECT person_id AS person FROM competences.training_voucher GROUP BY person_id
        HAVING count(course_id) > 0 ORDER BY person_id LIMIT 20`,
    );
    expect(rows).toHaveLength(20);
    const counts: number[] = [];
    for (const size of [2, 20]) {
      const { result: res, statements } = await subgraph.countStatements(() =>
        subgraph.execute<any>(
          `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person {
          trainingVouchers { id course { title } dossier { id } } } } }`,
          { r: rows.slice(0, size).map((r) => ({ __typename: 'Person', id: r.person })) },
        ),
      );
      counts.push(statements);
      expect(res.errors).toBeUndefined();
      expect(res.data._entities.every((p: any) => p.trainingVouchers.some((v: any) => v.course && v.dossier))).toBe(
        true,
      );
    }
    expect(counts[1]).toBe(counts[0]);
  });

  it('needs persons:read for a person’s vouchers', async () => {
    const [{ person }] = await sql(`SELECT person_id AS person FROM competences.training_voucher LIMIT 1`);
    const res = await subgraph.execute<any>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { trainingVouchers { id } } } }`,
      { r: [{ __typename: 'Person', id: person }] },
      { principal: { subject: 'reader', scopes: new Set(['dossiers:read']) } },
    );
    expect(res.data?._entities[0].trainingVouchers).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it.each([
    [{ from: '2020-13-01', to: '2020-12-31' }, 'from'],
    [{ from: '2020-09-01', to: '2020-08-31' }, 'to'],
  ])('refuses figures for %j (BAD_USER_INPUT on %s)', async (variables, field) => {
    const res = await subgraph.execute(FIGURES, variables);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });
});

describe('using and reimbursing a voucher', () => {
  it('uses an issued voucher for a course recognised that day, then reimburses it; retries change nothing', async () => {
    const v = await voucher(`used_on IS NULL`);
    const [course] = await sql(
      `SELECT id::text, provider_kbo AS kbo FROM competences.course WHERE recognised_on <= $1 AND valid_until >= $1 LIMIT 1`,
      [v.issuedOn],
    );
    const use = { voucherId: v.id, usedOn: v.issuedOn, courseId: course.id, idempotencyKey: key() };
    const used = await subgraph.execute<any>(USE, { input: use });
    expect(used.errors).toBeUndefined();
    expect(used.data.competences.useTrainingVoucher).toMatchObject({
      status: 'USED',
      usedOn: v.issuedOn,
      course: { id: course.id },
      provider: { kboNumber: course.kbo },
    });
    const input = { voucherId: v.id, reimbursedOn: v.issuedOn, idempotencyKey: key() };
    const first = await subgraph.execute<any>(REIMBURSE, { input });
    expect(first.errors).toBeUndefined();
    expect(first.data.competences.reimburseTrainingVoucher).toMatchObject({
      status: 'REIMBURSED',
      reimbursedOn: v.issuedOn,
    });
    const before = await state();
    const retry = await subgraph.execute<any>(REIMBURSE, { input });
    expect(retry.data.competences.reimburseTrainingVoucher).toEqual(first.data.competences.reimburseTrainingVoucher);
    expect(await state()).toEqual(before);
    // The same key for another request, and another key for the reimbursed voucher, are conflicts.
    const reused = await subgraph.execute(REIMBURSE, { input: { ...input, reimbursedOn: '2021-01-05' } });
    expect(reused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
    const again = await subgraph.execute(REIMBURSE, { input: { ...input, idempotencyKey: key() } });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'voucherId' });
    const usedAgain = await subgraph.execute(USE, { input: { ...use, idempotencyKey: key() } });
    expect(usedAgain.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'voucherId' });
  });

  it.each([
    ['an unused voucher', `used_on IS NULL`, {}, 'CONFLICT', 'voucherId'],
    ['a reimbursed voucher', `reimbursed_on IS NOT NULL`, {}, 'CONFLICT', 'voucherId'],
    [
      'a date before the use',
      `used_on > issued_on AND reimbursed_on IS NULL`,
      { reimbursedOn: 'issued' },
      'BAD_USER_INPUT',
      'reimbursedOn',
    ],
    [
      'a future date',
      `used_on IS NOT NULL AND reimbursed_on IS NULL`,
      { reimbursedOn: '2999-01-01' },
      'BAD_USER_INPUT',
      'reimbursedOn',
    ],
    [
      'a malformed date',
      `used_on IS NOT NULL AND reimbursed_on IS NULL`,
      { reimbursedOn: '2021-02-30' },
      'BAD_USER_INPUT',
      'reimbursedOn',
    ],
    [
      'a short idempotency key',
      `used_on IS NOT NULL AND reimbursed_on IS NULL`,
      { idempotencyKey: 'short' },
      'BAD_USER_INPUT',
      'idempotencyKey',
    ],
    ['an unknown voucher', `true`, { voucherId: '999999999' }, 'NOT_FOUND', 'voucherId'],
    ['a malformed voucher id', `true`, { voucherId: 'TV-1' }, 'NOT_FOUND', 'voucherId'],
  ])('refuses to reimburse %s and writes nothing', async (_, where, overrides, code, field) => {
    const v = await voucher(where);
    const input: Record<string, string> = {
      voucherId: v.id,
      reimbursedOn: '2021-01-15',
      idempotencyKey: key(),
      ...overrides,
    };
    if (input.reimbursedOn === 'issued') input.reimbursedOn = v.issuedOn;
    const before = await state();
    const res = await subgraph.execute(REIMBURSE, { input });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code, field });
    expect(await state()).toEqual(before);
  });

  it.each([
    ['both a course and a provider', { courseId: '1', providerKbo: 'known' }, 'BAD_USER_INPUT', 'courseId'],
    ['neither a course nor a provider', {}, 'BAD_USER_INPUT', 'courseId'],
    ['an unknown provider', { providerKbo: '0200000000' }, 'NOT_FOUND', 'providerKbo'],
    ['an unknown course', { courseId: '999999999' }, 'NOT_FOUND', 'courseId'],
    ['a course not recognised that day', { courseId: 'expired' }, 'CONFLICT', 'usedOn'],
    ['a day before the issue', { providerKbo: 'known', usedOn: '2020-01-01' }, 'BAD_USER_INPUT', 'usedOn'],
  ])(
    'refuses to use a voucher with %s and writes nothing',
    async (_, overrides: Record<string, string>, code, field) => {
      const v = await voucher(`used_on IS NULL`);
      const [known] = await sql(`SELECT id::text, provider_kbo AS kbo, to_char(valid_until + 1, 'YYYY-MM-DD') AS after
                                 FROM competences.course ORDER BY valid_until LIMIT 1`);
      const input: Record<string, string> = {
        voucherId: v.id,
        usedOn: v.issuedOn,
        idempotencyKey: key(),
        ...overrides,
      };
      if (input.providerKbo === 'known') input.providerKbo = known.kbo;
      if (input.courseId === 'expired') Object.assign(input, { courseId: known.id, usedOn: known.after });
      const before = await state();
      const res = await subgraph.execute(USE, { input });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code, field });
      expect(await state()).toEqual(before);
    },
  );
});
