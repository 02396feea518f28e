import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Training vouchers and dual-learning workplaces and agreements as objects: a person's vouchers and
 * agreements come back with their course and workplace, in a number of statements that does not
 * grow with the number of persons. (The card's figures, on the full profile, are asserted in
 * report-2020.e2e.ts.)
 */
let graph: TestStack;
const statements = new Map<string, number>();
const texts: string[] = [];
beforeAll(async () => {
  graph = await startTestStack({
    onQuery: (subgraph, sql) => {
      statements.set(subgraph, (statements.get(subgraph) ?? 0) + 1);
      if (subgraph === 'competences') texts.push(sql.replace(/\s+/g, ' ').slice(0, 90));
    },
  });
}, 600_000);
afterAll(() => graph?.stop());

const competences = (sql: string) => graph.stack.subgraphs.find((s) => s.name === 'competences')!.dataSource.query(sql);

describe('training vouchers (OPLEIDINGSCHEQUES)', () => {
  it('shows a person’s vouchers with their course, provider and dossier', async () => {
    const [{ person, course }] = await competences(
      `SELECT person_id AS person, course_id::text AS course FROM competences.training_voucher
        WHERE course_id IS NOT NULL ORDER BY id LIMIT 1`,
    );
    const { person: found } = await graph.data(
      `query ($id: ID!) { person(id: $id) { id givenName trainingVouchers {
        status issuedOn usedOn value course { id title provider { kboNumber name } } provider { kboNumber }
        dossier { measureCode status } } } }`,
      { id: person },
    );
    const voucher = found.trainingVouchers.find((v: { course: { id: string } | null }) => v.course?.id === course);
    expect(voucher.course.title).toEqual(expect.any(String));
    expect(voucher.course.provider.name).toEqual(expect.any(String));
    expect(voucher.provider.kboNumber).toBe(voucher.course.provider.kboNumber);
    expect(voucher.dossier).toEqual({ measureCode: 'OPLEIDINGSCHEQUES', status: 'GRANTED' });
  });
});

describe('dual learning (REGIE_WERKPLEK)', () => {
  it('shows a learner’s agreements with their workplace and its enterprise', async () => {
    const [{ person }] = await competences(
      `SELECT person_id AS person FROM competences.dual_agreement ORDER BY id LIMIT 1`,
    );
    const { person: found } = await graph.data(
      `query ($id: ID!) { person(id: $id) { dualAgreements { startsOn endsOn registeredOn
        workplace { id status recognisedOn validUntil establishmentNumber mentorCount
          enterprise { kboNumber name dualLearningWorkplaces { id } } } } } }`,
      { id: person },
    );
    expect(found.dualAgreements.length).toBeGreaterThan(0);
    for (const a of found.dualAgreements) {
      expect(a.workplace.status).toBe('RECOGNISED');
      expect(a.workplace.recognisedOn <= a.startsOn && a.startsOn <= a.workplace.validUntil).toBe(true);
      expect(a.workplace.establishmentNumber).toMatch(/^[2-8]\d{9}$/);
      expect(a.workplace.enterprise.name).toEqual(expect.any(String));
      expect(a.workplace.enterprise.dualLearningWorkplaces.map((w: { id: string }) => w.id)).toContain(a.workplace.id);
    }
  });
});

describe('statements', () => {
  it('do not grow with the number of persons whose vouchers are read (agreements: see the subgraph test)', async () => {
    const query = `query ($n: Int!) { measure(code: "OPLEIDINGSCHEQUES") {
      dossiers(first: $n, filter: { year: 2020, status: GRANTED }) { nodes { applicant { ... on Person { id
        trainingVouchers { status course { title provider { name } } provider { kboNumber } dossier { id } } } } } } } }`;
    const counts: number[] = [];
    const vouchers: number[] = [];
    const shapes: string[][] = [];
    for (const n of [10, 40]) {
      statements.clear();
      texts.length = 0;
      const data = await graph.data(query, { n });
      counts.push(statements.get('competences') ?? 0);
      shapes.push([...texts].sort());
      const persons = data.measure.dossiers.nodes.map(
        (d: { applicant: { trainingVouchers: unknown[] } }) => d.applicant,
      );
      expect(persons).toHaveLength(n);
      vouchers.push(persons.flatMap((p: { trainingVouchers: unknown[] }) => p.trainingVouchers).length);
    }
    expect(vouchers[1]).toBeGreaterThan(vouchers[0]!);
    expect(shapes[1]).toEqual(shapes[0]);
    expect(counts[1]).toBe(counts[0]);
  });
});
