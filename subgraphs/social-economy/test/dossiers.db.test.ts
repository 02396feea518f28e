import { inszFor } from '@measure-graph/subgraph-kit';
import { generateOrganisations, generatePersons } from '@measure-graph/demo-data';
import { startSubgraphForTest, type SubgraphUnderTest } from '@measure-graph/demo-data/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socialEconomySubgraph } from '../src/subgraph.ts';

let subgraph: SubgraphUnderTest;
beforeAll(async () => {
  subgraph = await startSubgraphForTest(socialEconomySubgraph);
});
afterAll(() => subgraph?.stop());

const kbo = generateOrganisations()[0]!.kboNumber;
let keyCounter = 0;
const key = () => `test-key-${++keyCounter}-${Date.now()}`;

const SUBMIT = `mutation ($input: SubmitDossierInput!) { socialEconomy { submitDossier(input: $input) { id status kind receivedAt events { type } } } }`;
const ADMISSIBLE = `mutation ($input: DeclareAdmissibilityInput!) { socialEconomy { declareAdmissibility(input: $input) { id status } } }`;
const DECIDE = `mutation ($input: DecideDossierInput!) { socialEconomy { decideDossier(input: $input) { id status events { type occurredAt } } } }`;
const PAY = `mutation ($input: RegisterPaymentInput!) { socialEconomy { registerPayment(input: $input) { id amount kind } } }`;

const submitInput = (overrides: Record<string, unknown> = {}) => ({
  measureCode: 'LDE',
  kind: 'APPLICATION',
  channel: 'ONLINE',
  applicantKbo: kbo,
  receivedAt: '2021-03-01T09:00',
  idempotencyKey: key(),
  ...overrides,
});

async function submit(overrides: Record<string, unknown> = {}) {
  const res = await subgraph.execute<any>(SUBMIT, { input: submitInput(overrides) });
  expect(res.errors).toBeUndefined();
  return res.data.socialEconomy.submitDossier as { id: string; status: string };
}

const codeOf = (res: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) =>
  res.errors?.[0]?.extensions?.code;
const count = async (table: string) =>
  (await subgraph.dataSource.query(`SELECT count(*)::int AS n FROM social_economy.${table}`))[0].n;

describe('dossier lifecycle through the mutations', () => {
  it('submits, declares admissible, grants and pays, with an event for each step', async () => {
    const dossier = await submit();
    expect(dossier).toMatchObject({ status: 'RECEIVED', kind: 'APPLICATION' });
    expect(dossier.id).toMatch(/^SE-\d+$/);
    const adm = await subgraph.execute<any>(ADMISSIBLE, {
      input: { dossierId: dossier.id, admissible: true, at: '2021-03-03T10:00', idempotencyKey: key() },
    });
    expect(adm.data.socialEconomy.declareAdmissibility.status).toBe('ADMISSIBLE');
    const decided = await subgraph.execute<any>(DECIDE, {
      input: { dossierId: dossier.id, granted: true, at: '2021-03-20T10:00', idempotencyKey: key() },
    });
    expect(decided.data.socialEconomy.decideDossier.events.map((e: { type: string }) => e.type)).toEqual([
      'RECEIVED',
      'ADMISSIBLE',
      'GRANTED',
    ]);
    const paid = await subgraph.execute<any>(PAY, {
      input: {
        dossierId: dossier.id,
        kind: 'ADVANCE',
        period: '2021-04-01',
        requestedAt: '2021-03-25T10:00',
        paidAt: '2021-04-02T10:00',
        amount: '1250.5',
        idempotencyKey: key(),
      },
    });
    expect(paid.errors).toBeUndefined();
    expect(paid.data.socialEconomy.registerPayment).toMatchObject({
      amount: '1250.50',
      kind: 'ADVANCE',
    });
  });

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
    const dossier = await submit({ measureCode: 'MAATWERK', receivedAt: '2022-05-02T09:00' });
    for (const [query, input] of [
      [ADMISSIBLE, { admissible: true, at: '2022-05-12T10:00' }],
      [DECIDE, { granted: true, at: '2022-05-22T10:00' }],
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

  it('rejects impossible transitions with CONFLICT and writes nothing', async () => {
    const dossier = await submit();
    // A received dossier may be decided at once (the decision decides its admissibility too); a
    // refused one can be neither granted nor paid.
    const refuse = await subgraph.execute(DECIDE, {
      input: { dossierId: dossier.id, granted: false, at: '2021-03-04', idempotencyKey: key() },
    });
    expect(refuse.errors).toBeUndefined();
    const events = await count('dossier_event');
    const grant = await subgraph.execute(DECIDE, {
      input: { dossierId: dossier.id, granted: true, at: '2021-03-05', idempotencyKey: key() },
    });
    expect(codeOf(grant)).toBe('CONFLICT');
    const pay = await subgraph.execute(PAY, {
      input: {
        dossierId: dossier.id,
        kind: 'PAYMENT',
        period: '2021-03-01',
        requestedAt: '2021-03-05',
        paidAt: '2021-03-06',
        amount: '10',
        idempotencyKey: key(),
      },
    });
    expect(codeOf(pay)).toBe('CONFLICT');
    expect(await count('dossier_event')).toBe(events);
  });
});

describe('validation', () => {
  it.each([
    [{ applicantKbo: '0316381038' }, 'BAD_USER_INPUT', 'applicantKbo'],
    [{ applicantKbo: null }, 'BAD_USER_INPUT', 'applicantKbo'],
    [{ applicantPersonId: 'prs_x' }, 'BAD_USER_INPUT', 'applicantKbo'],
    [{ applicantKbo: null, applicantInsz: '85073003300' }, 'BAD_USER_INPUT', 'applicantInsz'],
    // A valid national number of nobody in the registry.
    [{ applicantKbo: null, applicantInsz: inszFor('1931-02-03', 999) }, 'NOT_FOUND', 'applicantInsz'],
    [{ kind: 'HOLIDAY' }, 'BAD_USER_INPUT', 'kind'],
    [{ measureCode: 'VOP' }, 'NOT_FOUND', 'measureCode'],
    [{ receivedAt: '2999-01-01' }, 'BAD_USER_INPUT', 'receivedAt'],
    [{ receivedAt: '2021-02-30T10:00' }, 'BAD_USER_INPUT', 'receivedAt'],
    [{ receivedAt: 'yesterday' }, 'BAD_USER_INPUT', 'receivedAt'],
    [{ idempotencyKey: 'short' }, 'BAD_USER_INPUT', 'idempotencyKey'],
  ])('submit with %j gives %s on %s', async (overrides, code, field) => {
    const before = await count('dossier');
    const res = await subgraph.execute(SUBMIT, { input: submitInput(overrides) });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code, field });
    expect(await count('dossier')).toBe(before);
  });

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

  it('rejects a decision dated before the last event, and amounts that are not exact positive euros', async () => {
    const dossier = await submit();
    const early = await subgraph.execute(ADMISSIBLE, {
      input: { dossierId: dossier.id, admissible: true, at: '2021-02-01T10:00', idempotencyKey: key() },
    });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'at' });
    for (const amount of ['0', '-5', '12.345', '1e3', '']) {
      const res = await subgraph.execute(PAY, {
        input: {
          dossierId: dossier.id,
          kind: 'PAYMENT',
          period: '2021-03-01',
          requestedAt: '2021-03-05',
          paidAt: '2021-03-06',
          amount,
          idempotencyKey: key(),
        },
      });
      expect(res.errors?.[0]?.extensions, amount).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amount' });
    }
  });

  it('answers a dossier id of another domain with NOT_FOUND', async () => {
    const res = await subgraph.execute(ADMISSIBLE, {
      input: { dossierId: 'ACT-1', admissible: true, at: '2021-03-03', idempotencyKey: key() },
    });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('idempotency', () => {
  it('returns the same dossier for a retried submit and creates one', async () => {
    const input = submitInput();
    const before = await count('dossier');
    const first = await subgraph.execute<any>(SUBMIT, { input });
    const retry = await subgraph.execute<any>(SUBMIT, { input });
    expect(retry.data.socialEconomy.submitDossier.id).toBe(first.data.socialEconomy.submitDossier.id);
    expect(await count('dossier')).toBe(before + 1);
  });

  it('creates one dossier when the same submit arrives many times at once', async () => {
    const input = submitInput();
    const before = await count('dossier');
    const results = await Promise.all(Array.from({ length: 8 }, () => subgraph.execute<any>(SUBMIT, { input })));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(new Set(results.map((r) => r.data?.socialEconomy.submitDossier.id)).size).toBe(1);
    expect(await count('dossier')).toBe(before + 1);
  });

  it('refuses a key reused for a different request with CONFLICT', async () => {
    const input = submitInput();
    await subgraph.execute(SUBMIT, { input });
    const other = await subgraph.execute(SUBMIT, { input: { ...input, channel: 'PAPER' } });
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
  });
});
