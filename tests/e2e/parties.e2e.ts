import { inszFor, kboFromBase } from '@measure-graph/subgraph-platform';
import { SCOPES } from '@measure-graph/auth';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Every domain checks organisations and persons in the registry at the time of the command (a call
 * to the registry subgraph as the caller), never in generated data: a party added to the
 * registry's tables can apply everywhere at once, an unknown one nowhere, and with the registry
 * down nothing is written.
 */
let graph: TestStack;
let db: pg.Client;
beforeAll(async () => {
  graph = await startTestStack();
  db = new pg.Client({ connectionString: graph.database.url });
  await db.connect();
  // There is no registry mutation yet: the organisation and the person are inserted as an import would.
  await db.query(
    `INSERT INTO registry.organisation (kbo_number, name, province_code) VALUES ($1, 'Nieuw Atelier vzw', 'LIM')`,
    [NEW_KBO],
  );
  await db.query(
    `INSERT INTO registry.person (id, insz, given_name, family_name, birth_date, province_code)
     VALUES ($1, $2, 'Nora', 'Nieuwkomer', '1950-05-17', 'ANT')`,
    [NEW_PERSON.id, NEW_PERSON.insz],
  );
  // An open growth-path call (the seeded ones are distributed): a copy of the 2021 custom-work call.
  await db.query(
    `INSERT INTO social_economy.growth_path_call (id, name, measure_code, sector, budget_fte, unit_fte, rule_set,
                                                  min_fill_rate, reference_from, reference_to, deadline, effective_from)
     SELECT $2, name || ' (e2e)', measure_code, sector, budget_fte, unit_fte, rule_set, min_fill_rate, reference_from,
            reference_to, deadline, effective_from + 3650 FROM social_economy.growth_path_call WHERE id = $1`,
    ['GP-2021-MAATWERK', OPEN_CALL],
  );
}, 300_000);
afterAll(async () => {
  await db?.end();
  await graph?.stop();
});

/** A valid KBO number outside the generated range (bases 2,000,000-9,999,999). */
const NEW_KBO = kboFromBase(1_777_001);
/** Born before every generated person (1955-2003): no generated national number is the same. */
const NEW_PERSON = { id: 'prs_e2e_newcomer', insz: inszFor('1950-05-17', 123) };
/** The README's old example (valid check digits, not in the registry) and another valid unknown one. */
const UNKNOWN_KBOS = ['0316381039', kboFromBase(1_777_002)];
/** An open growth-path call this file adds. */
const OPEN_CALL = 'GP-E2E-OPEN';

const DOMAINS = [
  { domain: 'ACTIVATION', field: 'activation', schema: 'activation' },
  { domain: 'COMPETENCES', field: 'competences', schema: 'competences' },
  { domain: 'SOCIAL_ECONOMY', field: 'socialEconomy', schema: 'social_economy' },
  { domain: 'INSPECTION', field: 'inspection', schema: 'inspection' },
] as const;
type Domain = (typeof DOMAINS)[number];

let counter = 0;
const key = () => `parties-e2e-${++counter}-${Date.now()}`;
const count = async (table: string, where = 'true', params: unknown[] = []) =>
  (await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params)).rows[0].n as number;
/** Row counts of everything a refused command could have written. */
const written = async () => {
  const dossiers: number[] = [];
  for (const d of DOMAINS) dossiers.push(await count(`${d.schema}.dossier`));
  return {
    dossiers,
    leave: await count('competences.training_leave'),
    usedVouchers: await count('competences.training_voucher', 'used_on IS NOT NULL'),
    agreements: await count('competences.dual_agreement'),
    inspections: await count('inspection.inspection'),
    awardedLots: await count('activation.iwl_lot', 'awarded_kbo IS NOT NULL'),
    growthPathApplications: await count('social_economy.growth_path_application'),
    accessLog: await count('registry.personal_data_access'),
  };
};

/** A measure of the domain that takes dossiers, with one of its kinds. */
const measures = new Map<string, { code: string; kind: string }>();
async function measureOf(d: Domain) {
  if (!measures.has(d.domain)) {
    const { measures: list } = await graph.data<{ measures: Array<{ code: string; dossierKinds: string[] | null }> }>(
      `{ measures(domain: ${d.domain}) { code dossierKinds } }`,
    );
    const measure = list.find((m) => (m.dossierKinds ?? []).length > 0)!;
    measures.set(d.domain, { code: measure.code, kind: measure.dossierKinds![0]! });
  }
  return measures.get(d.domain)!;
}

async function submit(d: Domain, applicant: Record<string, string>, headers: Record<string, string> = {}) {
  const { code, kind } = await measureOf(d);
  return graph.post(
    JSON.stringify({
      query: `mutation ($input: SubmitDossierInput!) { ${d.field} { submitDossier(input: $input) {
        id status applicant { ... on Organisation { kboNumber name } ... on Person { id familyName } } } } }`,
      variables: {
        input: {
          measureCode: code,
          kind,
          channel: 'ONLINE',
          ...applicant,
          receivedAt: '2024-03-01T09:00:00+01:00',
          idempotencyKey: key(),
        },
      },
    }),
    headers,
  );
}

const mutate = (query: string, input: Record<string, unknown>) =>
  graph.post(JSON.stringify({ query, variables: { input } }));
const REQUEST_LEAVE = `mutation ($input: RequestTrainingLeaveInput!) { competences { requestTrainingLeave(input: $input) {
  id person { id } employer { kboNumber } } } }`;
const USE_VOUCHER = `mutation ($input: UseTrainingVoucherInput!) { competences { useTrainingVoucher(input: $input) {
  id provider { kboNumber } } } }`;
const REGISTER_AGREEMENT = `mutation ($input: RegisterDualAgreementInput!) { competences { registerDualAgreement(input: $input) {
  id learner { id } } } }`;
const AWARD_LOT = `mutation ($input: AwardIwlLotInput!) { activation { awardIwlLot(input: $input) {
  id awardedTo { kboNumber } } } }`;
const APPLY_GROWTH_PATH = `mutation ($input: ApplyForGrowthPathInput!) { socialEconomy { applyForGrowthPath(input: $input) {
  organisation { kboNumber } } } }`;
const RECORD_INSPECTION = `mutation ($input: RecordInspectionInput!) { inspection { recordInspection(input: $input) {
  id organisation { kboNumber name } } } }`;

async function leaveInput(overrides: Record<string, unknown>) {
  const { rows } = await db.query(
    `SELECT id::text, to_char(recognised_on + 30, 'YYYY-MM-DD') AS start FROM competences.course
      WHERE recognised_on + 30 <= least(valid_until, current_date) ORDER BY id LIMIT 1`,
  );
  return {
    courseId: rows[0].id,
    scheme: 'VOV',
    courseStartedOn: rows[0].start,
    requestedOn: rows[0].start,
    hours: 1,
    ...overrides,
  };
}
async function voucherInput(overrides: Record<string, unknown>) {
  const { rows } = await db.query(
    `SELECT id::text, to_char(issued_on, 'YYYY-MM-DD') AS issued FROM competences.training_voucher
      WHERE used_on IS NULL ORDER BY id LIMIT 1`,
  );
  return { voucherId: rows[0].id, usedOn: rows[0].issued, idempotencyKey: key(), ...overrides };
}
async function agreementInput(overrides: Record<string, unknown>) {
  const { rows } = await db.query(
    `SELECT id::text, to_char(recognised_on, 'YYYY-MM-DD') AS "from", to_char(recognised_on + 300, 'YYYY-MM-DD') AS "to"
       FROM competences.dual_workplace WHERE status = 'RECOGNISED' AND recognised_on <= current_date ORDER BY id LIMIT 1`,
  );
  const w = rows[0];
  return {
    workplaceId: w.id,
    startsOn: w.from,
    endsOn: w.to,
    registeredOn: w.from,
    idempotencyKey: key(),
    ...overrides,
  };
}
/** A lot of the IWL tender not awarded yet, on a day after the tender closed. */
async function awardInput(overrides: Record<string, unknown>) {
  const { rows } = await db.query(
    `SELECT l.id, to_char(t.closes_on + 7, 'YYYY-MM-DD') AS "awardedOn"
       FROM activation.iwl_lot l JOIN activation.iwl_tender t ON t.id = l.tender_id
      WHERE l.awarded_kbo IS NULL ORDER BY l.id LIMIT 1`,
  );
  return { lotId: rows[0].id, awardedOn: rows[0].awardedOn, ...overrides };
}
async function growthPathInput(overrides: Record<string, unknown>) {
  const { rows } = await db.query(
    `SELECT to_char(deadline - 7, 'YYYY-MM-DD') AS "submittedOn" FROM social_economy.growth_path_call WHERE id = $1`,
    [OPEN_CALL],
  );
  return { callId: OPEN_CALL, requestedFte: '2', submittedOn: rows[0].submittedOn, ...overrides };
}
const inspectionInput = (overrides: Record<string, unknown>) => ({
  domainCode: 'LDE',
  inspectedOn: '2024-03-04',
  kind: 'TARGETED_CONTROL',
  unit: 'VSI Limburg',
  idempotencyKey: key(),
  ...overrides,
});

describe('an organisation and a person added to the registry', () => {
  it.each(DOMAINS)('can apply in $field (submitDossier by KBO and by person id)', async (d) => {
    const byKbo = await submit(d, { applicantKbo: NEW_KBO });
    expect(byKbo.errors).toBeUndefined();
    expect(byKbo.data![d.field].submitDossier).toMatchObject({
      status: 'RECEIVED',
      applicant: { kboNumber: NEW_KBO, name: 'Nieuw Atelier vzw' },
    });
    const byPerson = await submit(d, { applicantPersonId: NEW_PERSON.id });
    expect(byPerson.errors).toBeUndefined();
    expect(byPerson.data![d.field].submitDossier.applicant).toEqual({ id: NEW_PERSON.id, familyName: 'Nieuwkomer' });
  });

  it('competences: takes training leave at the new employer, uses a voucher at it, and registers an agreement', async () => {
    const leave = await mutate(REQUEST_LEAVE, await leaveInput({ personId: NEW_PERSON.id, employerKbo: NEW_KBO }));
    expect(leave.errors).toBeUndefined();
    expect(leave.data!.competences.requestTrainingLeave).toMatchObject({
      person: { id: NEW_PERSON.id },
      employer: { kboNumber: NEW_KBO },
    });
    const voucher = await mutate(USE_VOUCHER, await voucherInput({ providerKbo: NEW_KBO }));
    expect(voucher.errors).toBeUndefined();
    expect(voucher.data!.competences.useTrainingVoucher.provider).toEqual({ kboNumber: NEW_KBO });
    const agreement = await mutate(REGISTER_AGREEMENT, await agreementInput({ personId: NEW_PERSON.id }));
    expect(agreement.errors).toBeUndefined();
    expect(agreement.data!.competences.registerDualAgreement.learner).toEqual({ id: NEW_PERSON.id });
  });

  it('inspection: records an inspection of the new organisation', async () => {
    const res = await mutate(RECORD_INSPECTION, inspectionInput({ kbo: NEW_KBO }));
    expect(res.errors).toBeUndefined();
    expect(res.data!.inspection.recordInspection.organisation).toEqual({
      kboNumber: NEW_KBO,
      name: 'Nieuw Atelier vzw',
    });
  });

  it('activation and social economy: known to the registry, refused by the domain’s own rule (CONFLICT), nothing written', async () => {
    // Awarding a lot needs a bid on it, a growth path a recognised organisation of the social
    // economy in the call's sector: the registry knows the organisation, so it is no NOT_FOUND.
    const before = await written();
    const award = await mutate(AWARD_LOT, await awardInput({ kbo: NEW_KBO }));
    expect(award.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'kbo' });
    expect(award.errors?.[0]?.message).toMatch(/did not bid/);
    const apply = await mutate(APPLY_GROWTH_PATH, await growthPathInput({ kbo: NEW_KBO }));
    expect(apply.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'kbo' });
    expect(apply.errors?.[0]?.message).toMatch(/not a recognised organisation of the social economy/);
    expect(await written()).toEqual(before);
  });

  it('social economy: once recognised in the sector, the organisation can apply for a growth path', async () => {
    const { rows } = await db.query(
      `SELECT province_code AS province FROM registry.organisation WHERE kbo_number = $1`,
      [NEW_KBO],
    );
    await db.query(
      `INSERT INTO social_economy.sector_organisation (kbo, sector, province_code) VALUES ($1, 'BW', $2)`,
      [NEW_KBO, rows[0].province],
    );
    try {
      const apply = await mutate(APPLY_GROWTH_PATH, await growthPathInput({ kbo: NEW_KBO }));
      expect(apply.errors).toBeUndefined();
      expect(apply.data!.socialEconomy.applyForGrowthPath.organisation).toEqual({ kboNumber: NEW_KBO });
    } finally {
      await db.query(`DELETE FROM social_economy.growth_path_application WHERE kbo = $1`, [NEW_KBO]);
      await db.query(`DELETE FROM social_economy.sector_organisation WHERE kbo = $1`, [NEW_KBO]);
    }
  });
});

describe('the README’s example', () => {
  it('submits an LDE dossier for 0449.859.670, an organisation of the demo data', async () => {
    const res = await graph.post(
      JSON.stringify({
        query: `mutation { socialEconomy { submitDossier(input: { measureCode: "LDE", kind: "APPLICATION", channel: ONLINE,
          applicantKbo: "0449.859.670", receivedAt: "2021-03-01T09:00:00+01:00", idempotencyKey: "${key()}" }) { id status } } }`,
      }),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.socialEconomy.submitDossier.status).toBe('RECEIVED');
  });
});

describe('an organisation or person the registry does not hold', () => {
  const notFound = (res: Awaited<ReturnType<typeof submit>>, field: string) => {
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field });
  };

  it.each(DOMAINS.flatMap((d) => UNKNOWN_KBOS.map((kbo) => [d.field, kbo, d] as const)))(
    'is NOT_FOUND in %s (KBO %s) and nothing is written',
    async (_, kbo, d) => {
      const before = await written();
      notFound(await submit(d, { applicantKbo: kbo }), 'applicantKbo');
      notFound(await submit(d, { applicantPersonId: 'prs_nobody' }), 'applicantPersonId');
      expect(await written()).toEqual(before);
    },
  );

  it.each(UNKNOWN_KBOS)('is NOT_FOUND for competences’ and inspection’s own commands (KBO %s)', async (kbo) => {
    const before = await written();
    notFound(
      await mutate(REQUEST_LEAVE, await leaveInput({ personId: NEW_PERSON.id, employerKbo: kbo })),
      'employerKbo',
    );
    notFound(
      await mutate(REQUEST_LEAVE, await leaveInput({ personId: 'prs_nobody', employerKbo: NEW_KBO })),
      'personId',
    );
    notFound(await mutate(USE_VOUCHER, await voucherInput({ providerKbo: kbo })), 'providerKbo');
    notFound(await mutate(REGISTER_AGREEMENT, await agreementInput({ personId: 'prs_nobody' })), 'personId');
    notFound(await mutate(RECORD_INSPECTION, inspectionInput({ kbo })), 'kbo');
    expect(await written()).toEqual(before);
  });

  it.each(UNKNOWN_KBOS)('is NOT_FOUND for awardIwlLot and applyForGrowthPath (KBO %s)', async (kbo) => {
    const before = await written();
    notFound(await mutate(AWARD_LOT, await awardInput({ kbo })), 'kbo');
    notFound(await mutate(APPLY_GROWTH_PATH, await growthPathInput({ kbo })), 'kbo');
    expect(await written()).toEqual(before);
  });
});

describe('a national number (applicantInsz)', () => {
  const log = () =>
    db
      .query(
        `SELECT subject, field, purpose, request_id AS "requestId" FROM registry.personal_data_access
          WHERE person_id = $1 ORDER BY id`,
        [NEW_PERSON.id],
      )
      .then((r) => r.rows);

  it('is resolved by the registry, and each resolution writes one access-log row', async () => {
    const token = await graph.token({ subject: 'clerk-e2e' });
    const dotted = `${NEW_PERSON.insz.slice(0, 2)}.${NEW_PERSON.insz.slice(2, 4)}.${NEW_PERSON.insz.slice(4, 6)}-${NEW_PERSON.insz.slice(6, 9)}.${NEW_PERSON.insz.slice(9)}`;
    const se = DOMAINS[2];
    const first = await submit(
      se,
      { applicantInsz: dotted },
      { authorization: `Bearer ${token}`, 'x-request-id': 'parties-e2e-insz-1' },
    );
    expect(first.errors).toBeUndefined();
    expect(first.data!.socialEconomy.submitDossier.applicant.id).toBe(NEW_PERSON.id);
    expect(await log()).toEqual([
      {
        subject: 'clerk-e2e',
        field: 'Person.nationalNumber lookup',
        purpose: 'dossier submission (social-economy)',
        requestId: 'parties-e2e-insz-1',
      },
    ]);
    // With a stated purpose, that purpose is logged.
    const second = await submit(se, { applicantInsz: NEW_PERSON.insz }, { 'x-purpose': 'intake LDE 2024-17' });
    expect(second.errors).toBeUndefined();
    expect(second.data!.socialEconomy.submitDossier.applicant.id).toBe(NEW_PERSON.id);
    expect((await log()).map((row) => row.purpose)).toEqual([
      'dossier submission (social-economy)',
      'intake LDE 2024-17',
    ]);
    expect(second.text).not.toContain(NEW_PERSON.insz);
  });

  it('needs person:identify, refused before the registry is asked', async () => {
    const token = await graph.token({ scopes: [SCOPES.activationWrite, SCOPES.dossiersRead] });
    const before = await written();
    const res = await submit(DOMAINS[0], { applicantInsz: NEW_PERSON.insz }, { authorization: `Bearer ${token}` });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await written()).toEqual(before);
  });

  it('that matches nobody is NOT_FOUND and logs nothing', async () => {
    const before = await written();
    const res = await submit(DOMAINS[0], { applicantInsz: inszFor('1950-05-17', 124) });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'applicantInsz' });
    expect(await written()).toEqual(before);
  });
});

describe('with the registry down', () => {
  beforeAll(() => graph.stack.subgraphs.find((s) => s.name === 'registry')!.stop());

  it('a command gets REGISTRY_UNAVAILABLE and writes nothing, in every domain', async () => {
    const before = await written();
    for (const d of DOMAINS) {
      const res = await submit(d, { applicantKbo: NEW_KBO });
      expect(res.errors?.[0]?.extensions?.code).toBe('REGISTRY_UNAVAILABLE');
      expect(res.data?.[d.field]?.submitDossier ?? null).toBeNull();
    }
    const leave = await mutate(REQUEST_LEAVE, await leaveInput({ personId: NEW_PERSON.id, employerKbo: NEW_KBO }));
    expect(leave.errors?.[0]?.extensions?.code).toBe('REGISTRY_UNAVAILABLE');
    const inspection = await mutate(RECORD_INSPECTION, inspectionInput({ kbo: NEW_KBO }));
    expect(inspection.errors?.[0]?.extensions?.code).toBe('REGISTRY_UNAVAILABLE');
    const award = await mutate(AWARD_LOT, await awardInput({ kbo: NEW_KBO }));
    expect(award.errors?.[0]?.extensions?.code).toBe('REGISTRY_UNAVAILABLE');
    const apply = await mutate(APPLY_GROWTH_PATH, await growthPathInput({ kbo: NEW_KBO }));
    expect(apply.errors?.[0]?.extensions?.code).toBe('REGISTRY_UNAVAILABLE');
    expect(JSON.stringify([leave, inspection, award, apply])).not.toMatch(/127\.0\.0\.1|localhost|ECONNREFUSED/);
    expect(await written()).toEqual(before);
  });
});
