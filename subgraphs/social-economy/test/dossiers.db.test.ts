import { generateOrganisations, generatePersons } from '@measure-graph/demo-data';
import { startSubgraphForTest, type SubgraphUnderTest } from '@measure-graph/demo-data/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socialEconomySubgraph } from '../src/subgraph.ts';

let subgraph: SubgraphUnderTest;
beforeAll(async () => {
  subgraph = await startSubgraphForTest(socialEconomySubgraph);
});
afterAll(() => subgraph?.stop());

// What every domain's dossiers do (lifecycle, validation, idempotency, pages) is the measure-module
// contract (schema/test/measure-module-contract.db.test.ts); this file keeps what is the sector's.

const kbo = generateOrganisations()[0]!.kboNumber;
let keyCounter = 0;
const key = () => `test-key-${++keyCounter}-${Date.now()}`;

const SUBMIT = `mutation ($input: SubmitDossierInput!) { socialEconomy { submitDossier(input: $input) { id status kind receivedAt events { type } } } }`;
const ADMISSIBLE = `mutation ($input: DeclareAdmissibilityInput!) { socialEconomy { declareAdmissibility(input: $input) { id status } } }`;
const DECIDE = `mutation ($input: DecideDossierInput!) { socialEconomy { decideDossier(input: $input) { id status events { type occurredAt } } } }`;

const submitInput = (overrides: Record<string, unknown> = {}) => ({
  measureCode: 'LDE',
  kind: 'APPLICATION',
  channel: 'ONLINE',
  applicantKbo: kbo,
  receivedAt: '2021-03-01T09:00:00+01:00',
  idempotencyKey: key(),
  ...overrides,
});

async function submit(overrides: Record<string, unknown> = {}) {
  const res = await subgraph.execute<any>(SUBMIT, { input: submitInput(overrides) });
  expect(res.errors).toBeUndefined();
  return res.data.socialEconomy.submitDossier as { id: string; status: string };
}

describe('figures of what the mutations write', () => {
  it('counts what the mutations write in the norm results and volumes of its year', async () => {
    const figures = async () => {
      const res = await subgraph.execute<any>(
        `{ _entities(representations: [{ __typename: "SocialEconomyMeasure", code: "MAATWERK" }]) {
            ... on SocialEconomyMeasure {
              normResults(year: 2022) { norm { id } counted late }
              volumes(year: 2022) { metric value } } } }`,
      );
      expect(res.errors).toBeUndefined();
      const m = res.data._entities[0];
      const result = (id: string) => m.normResults.find((r: { norm: { id: string } }) => r.norm.id === id);
      const volume = (metric: string) => m.volumes.find((v: { metric: string }) => v.metric === metric)?.value;
      return {
        admissibility: result('MAATWERK-1'),
        decision: result('MAATWERK-2'),
        decisions: volume('DOSSIERS_HANDLED'),
        admissibilityDecisions: volume('ADMISSIBILITY_DECISIONS'),
      };
    };
    const before = await figures();
    // Admissible after 10 days (the norm allows 7: late), granted 20 days after receipt (45: on time).
    const dossier = await submit({ measureCode: 'MAATWERK', receivedAt: '2022-05-02T09:00:00+02:00' });
    for (const [query, input] of [
      [ADMISSIBLE, { admissible: true, at: '2022-05-12T10:00:00+02:00' }],
      [DECIDE, { granted: true, at: '2022-05-22T10:00:00+02:00' }],
    ] as const) {
      const res = await subgraph.execute(query, { input: { dossierId: dossier.id, idempotencyKey: key(), ...input } });
      expect(res.errors).toBeUndefined();
    }
    const after = await figures();
    expect(after.admissibility).toEqual({
      ...before.admissibility,
      counted: before.admissibility.counted + 1,
      late: before.admissibility.late + 1,
    });
    expect(after.decision).toEqual({ ...before.decision, counted: before.decision.counted + 1 });
    expect(after.decisions).toBe(before.decisions + 1);
    expect(after.admissibilityDecisions).toBe(before.admissibilityDecisions + 1);
  });
});

describe('a person applicant by national number', () => {
  it('takes a person applicant by national number, resolved to the registry person, never echoing it', async () => {
    const person = generatePersons()[7]!;
    const formatted = `${person.insz.slice(0, 2)}.${person.insz.slice(2, 4)}.${person.insz.slice(4, 6)}-${person.insz.slice(6, 9)}.${person.insz.slice(9)}`;
    const res = await subgraph.execute<any>(
      `mutation ($input: SubmitDossierInput!) { socialEconomy { submitDossier(input: $input) {
          applicant { ... on Person { id } } } } }`,
      { input: submitInput({ applicantKbo: null, applicantInsz: formatted }) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.socialEconomy.submitDossier.applicant).toEqual({ id: person.id });
    const wrong = `${person.insz.slice(0, 9)}${String((Number(person.insz.slice(9)) + 1) % 100).padStart(2, '0')}`;
    const bad = await subgraph.execute(SUBMIT, { input: submitInput({ applicantKbo: null, applicantInsz: wrong }) });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'applicantInsz' });
    expect(JSON.stringify(bad.errors)).not.toContain(wrong);
    // Without person:identify a national number is not looked up at all (no existence oracle).
    const writer = { principal: { subject: 'clerk', scopes: new Set(['social-economy:write']) } };
    const refused = await subgraph.execute(
      SUBMIT,
      { input: submitInput({ applicantKbo: null, applicantInsz: formatted }) },
      writer,
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'person:identify' });
  });
});
