import { generatePersons, generateOrganisations } from '@measure-graph/demo-data';
import { startSubgraphForTest, type SubgraphUnderTest } from '@measure-graph/demo-data/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activationSubgraph } from '../src/subgraph.ts';

let subgraph: SubgraphUnderTest;
beforeAll(async () => {
  subgraph = await startSubgraphForTest(activationSubgraph);
}, 120_000);
afterAll(() => subgraph?.stop());

let counter = 0;
const key = () => `activation-test-${++counter}-${Date.now()}`;
const sql = (text: string, params: unknown[] = []) => subgraph.dataSource.query(text, params);
const exec = <T = any>(query: string, variables: Record<string, unknown>) => subgraph.execute<T>(query, variables);

const SUBMIT = `mutation ($input: SubmitDossierInput!) { activation { submitDossier(input: $input) { id } } }`;
const STEP = (op: string, input: string) =>
  `mutation ($input: ${input}!) { activation { ${op}(input: $input) { id status completedAt events { type } } } }`;

async function admissiblePermit(measureCode = 'BEROEPSKAARTEN') {
  const submitted = await exec(SUBMIT, {
    input: {
      measureCode,
      kind: 'APPLICATION',
      channel: 'ONLINE',
      applicantPersonId: generatePersons()[3]!.id,
      receivedAt: '2024-02-01T09:00:00+01:00',
      idempotencyKey: key(),
    },
  });
  expect(submitted.errors).toBeUndefined();
  const id = submitted.data.activation.submitDossier.id as string;
  const adm = await exec(STEP('declareAdmissibility', 'DeclareAdmissibilityInput'), {
    input: { dossierId: id, admissible: true, at: '2024-02-03T10:00:00+01:00', idempotencyKey: key() },
  });
  expect(adm.errors).toBeUndefined();
  return id;
}

describe('permits and cards are decided on a complete file', () => {
  it('refuses a decision without a complete file (CONFLICT) and writes nothing', async () => {
    const id = await admissiblePermit();
    const [{ n }] = await sql(`SELECT count(*)::int AS n FROM activation.dossier_event`);
    const res = await exec(STEP('decideDossier', 'DecideDossierInput'), {
      input: { dossierId: id, granted: true, at: '2024-02-20T10:00:00+01:00', idempotencyKey: key() },
    });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'dossierId' });
    expect((await sql(`SELECT count(*)::int AS n FROM activation.dossier_event`))[0].n).toBe(n);
  });

  it('decides once the file is complete; the file completes once, and not before the last event', async () => {
    const id = await admissiblePermit();
    const early = await exec(STEP('completeFile', 'CompleteFileInput'), {
      input: { dossierId: id, at: '2024-02-02T10:00:00+01:00', idempotencyKey: key() },
    });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'at' });
    const done = await exec(STEP('completeFile', 'CompleteFileInput'), {
      input: { dossierId: id, at: '2024-02-10T10:00:00+01:00', idempotencyKey: key() },
    });
    expect(done.data.activation.completeFile.completedAt).toBe('2024-02-10T10:00:00+01:00');
    const again = await exec(STEP('completeFile', 'CompleteFileInput'), {
      input: { dossierId: id, at: '2024-02-11T10:00:00+01:00', idempotencyKey: key() },
    });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const decided = await exec(STEP('decideDossier', 'DecideDossierInput'), {
      input: { dossierId: id, granted: true, at: '2024-02-20T10:00:00+01:00', idempotencyKey: key() },
    });
    expect(decided.errors).toBeUndefined();
    expect(decided.data.activation.decideDossier.events.map((e: { type: string }) => e.type)).toEqual([
      'RECEIVED',
      'ADMISSIBLE',
      'FILE_COMPLETED',
      'GRANTED',
    ]);
    // The decision counts 10 days of WSE time and 19 days in total in that year's lead times.
    const lead = await exec<any>(
      `{ _entities(representations: [{ __typename: "ActivationMeasure", code: "BEROEPSKAARTEN" }]) {
          ... on ActivationMeasure { decisionLeadTime(year: 2024) { decided averageDays averageTotalDays medianDays } } } }`,
      {},
    );
    expect(lead.data._entities[0].decisionLeadTime).toEqual({
      decided: 1,
      averageDays: 10,
      averageTotalDays: 19,
      medianDays: 10,
    });
  });

  it('does not ask a complete file of other measures', async () => {
    const id = await admissiblePermit('ZORGKREDIET');
    const res = await exec(STEP('decideDossier', 'DecideDossierInput'), {
      input: { dossierId: id, granted: true, at: '2024-02-20T10:00:00+01:00', idempotencyKey: key() },
    });
    expect(res.errors).toBeUndefined();
  });
});

describe('recognitions of an organisation', () => {
  it('lists granted recognitions with their status from the events that ended them', async () => {
    const [row] = await sql(
      `SELECT d.applicant_kbo AS kbo, e.type FROM activation.dossier d JOIN activation.dossier_event e ON e.dossier_id = d.id
        WHERE d.measure_code = 'DIENSTENCHEQUES' AND e.type IN ('WITHDRAWN', 'REVOKED') LIMIT 1`,
    );
    const res = await exec<any>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Organisation {
          recognitions { measureCode status grantedOn history { type } dossier { id } } } } }`,
      { r: [{ __typename: 'Organisation', kboNumber: row.kbo }] },
    );
    expect(res.errors).toBeUndefined();
    const ended = res.data._entities[0].recognitions.find((r: { status: string }) => r.status === row.type);
    expect(ended).toBeDefined();
    expect(ended.history.map((h: { type: string }) => h.type)).toEqual(expect.arrayContaining(['GRANTED', row.type]));
    expect(ended.dossier.id).toMatch(/^ACT-\d+$/);
  });
});

describe('lead times beside the norm results', () => {
  it('gives average and median WSE and total lead times of the decisions of a year', async () => {
    const res = await exec<any>(
      `{ _entities(representations: [{ __typename: "ActivationMeasure", code: "ARBEIDSKAARTEN" }]) {
          ... on ActivationMeasure { decisionLeadTime(year: 2020) { decided averageDays medianDays averageTotalDays } } } }`,
      {},
    );
    const t = res.data._entities[0].decisionLeadTime;
    expect(t.decided).toBeGreaterThan(0);
    expect(t.averageTotalDays).toBeGreaterThanOrEqual(t.averageDays);
    expect(t.medianDays).toBeGreaterThan(0);
  });
});

describe('the Intensive Workplace Learning tender (WEP+ reform)', () => {
  const TENDER = `{ iwlTender(id: "IWL-2021") { selectionCriteria awardCriteria { criterion weight } approvedBy
      lots { id provinceCode awardedTo { kboNumber } monitoring { kind heldBy }
             bids { organisation { kboNumber } selected score } } } }`;
  const AWARD = `mutation ($input: AwardIwlLotInput!) { activation { awardIwlLot(input: $input) { id awardedTo { kboNumber } awardedOn } } }`;
  type Lot = {
    id: string;
    provinceCode: string;
    awardedTo: { kboNumber: string } | null;
    monitoring: Array<{ kind: string }>;
    bids: Array<{ organisation: { kboNumber: string }; selected: boolean; score: number | null }>;
  };
  const lots = async () => (await exec<{ iwlTender: { lots: Lot[] } }>(TENDER, {})).data!.iwlTender.lots;
  const best = (lot: Lot) =>
    [...lot.bids]
      .filter((b) => b.selected)
      .sort((a, b) => b.score! - a.score! || a.organisation.kboNumber.localeCompare(b.organisation.kboNumber))[0]!;

  it('has a lot per province, each awarded to the best selected offer and monitored, Limburg still open', async () => {
    const all = await lots();
    expect(all.map((l) => l.provinceCode)).toEqual(['ANT', 'LIM', 'OVL', 'VBR', 'WVL']);
    for (const lot of all) {
      if (lot.provinceCode === 'LIM') {
        expect(lot.awardedTo).toBeNull();
        continue;
      }
      expect(lot.awardedTo!.kboNumber).toBe(best(lot).organisation.kboNumber);
      expect(new Set(lot.monitoring.map((m) => m.kind))).toEqual(
        new Set(['PERIODIC_MEETING', 'COMPLAINT', 'QUALITY_REVIEW', 'AUDIT', 'CONTRACT_FOLLOW_UP']),
      );
    }
  });

  it('awards only a selected partner with the best offer, once; every refusal coded and nothing written', async () => {
    const lim = (await lots()).find((l) => l.provinceCode === 'LIM')!;
    const failed = lim.bids.find((b) => !b.selected);
    const second = lim.bids.filter((b) => b.selected).find((b) => b !== best(lim));
    const award = (overrides: Record<string, unknown>) =>
      exec(AWARD, {
        input: { lotId: lim.id, kbo: best(lim).organisation.kboNumber, awardedOn: '2021-05-10', ...overrides },
      });
    const refusals: Array<[Record<string, unknown>, string, string]> = [
      [{ lotId: 'IWL-2021-BRU' }, 'NOT_FOUND', 'lotId'],
      [{ kbo: '0200000000' }, 'NOT_FOUND', 'kbo'],
      [{ awardedOn: '2999-01-01' }, 'BAD_USER_INPUT', 'awardedOn'],
      [{ awardedOn: '2021-03-01' }, 'BAD_USER_INPUT', 'awardedOn'],
    ];
    // An organisation the registry knows that did not bid on the lot: the domain's rule, not NOT_FOUND.
    const bidders = new Set(lim.bids.map((b) => b.organisation.kboNumber));
    refusals.push([
      { kbo: generateOrganisations().find((o) => !bidders.has(o.kboNumber))!.kboNumber },
      'CONFLICT',
      'kbo',
    ]);
    if (failed) refusals.push([{ kbo: failed.organisation.kboNumber }, 'CONFLICT', 'kbo']);
    if (second) refusals.push([{ kbo: second.organisation.kboNumber }, 'CONFLICT', 'kbo']);
    for (const [overrides, code, field] of refusals) {
      const res = await award(overrides);
      expect(res.errors?.[0]?.extensions, JSON.stringify(overrides)).toMatchObject({ code, field });
    }
    expect((await lots()).find((l) => l.provinceCode === 'LIM')!.awardedTo).toBeNull();
    const ok = await award({});
    expect(ok.errors).toBeUndefined();
    const again = await award({});
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'lotId' });
  });

  it('keeps a failed-selection bid without scores, so it can never be the best', async () => {
    const [row] = await sql(
      `SELECT count(*)::int AS n FROM activation.iwl_bid WHERE NOT selected AND (quality_score IS NOT NULL OR price_cents IS NOT NULL)`,
    );
    expect(row.n).toBe(0);
    const [{ failed }] = await sql(`SELECT count(*)::int AS failed FROM activation.iwl_bid WHERE NOT selected`);
    expect(failed).toBeGreaterThan(0);
  });
});
