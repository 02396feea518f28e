import { describe, expect, it } from 'vitest';
import { dossiers, KBO, ORGS, PERSONS, writeDataset, addTestMeasure, useImportTestDatabase } from './fixtures.ts';

/** trainings.jsonl, vouchers.jsonl and dual-learning.jsonl (docs/data-format.md) on a real database. */

// The training database's measure (the fixtures' catalogue has only the vouchers of this domain).
const db = useImportTestDatabase((db) => addTestMeasure(db, 'OPLEIDINGSDATABANK', 'competences', 99));
const { run, query } = db;

const TABLES = ['course', 'training_leave', 'training_voucher', 'dual_workplace', 'dual_agreement'];
async function counts(): Promise<Record<string, number>> {
  const rows = await query(
    TABLES.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM competences.${t}`).join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

/** A granted OPLEIDINGSDATABANK dossier: the training database recognised a course of ORGS[0]. */
const RECOGNITION = {
  sourceRef: 'OD-1',
  measureCode: 'OPLEIDINGSDATABANK',
  kind: 'APPLICATION',
  channel: 'ONLINE',
  applicantKbo: ORGS[0]!.kboNumber,
  receivedAt: '2019-04-01T09:00',
  events: [
    { type: 'ADMISSIBLE', at: '2019-04-02T09:00' },
    { type: 'GRANTED', at: '2019-05-01T09:00' },
  ],
};

const trainings = () => [
  {
    dossierRef: 'OD-1',
    providerKbo: ORGS[0]!.kboNumber,
    title: 'Lassen basis',
    hours: 40,
    recognisedOn: '2019-05-01',
    validUntil: '2022-05-01',
    leave: [
      {
        personId: PERSONS[0]!.id,
        employerKbo: KBO[1],
        scheme: 'VOV',
        courseStartedOn: '2019-09-02',
        requestedOn: '2019-10-01',
        hours: 40,
        advancePaidOn: '2019-11-01',
      },
      {
        personId: PERSONS[2]!.id,
        employerKbo: KBO[2],
        scheme: 'BEV',
        courseStartedOn: '2019-09-02',
        requestedOn: '2020-03-01',
        hours: 32,
      },
    ],
  },
];

const vouchers = () => [
  {
    sourceRef: 'V-1',
    dossierRef: 'OC-2',
    personId: PERSONS[1]!.id,
    issuedOn: '2019-06-05',
    value: '50',
    usedOn: '2019-07-01',
    courseDossierRef: 'OD-1',
    reimbursedOn: '2019-08-01',
  },
  { sourceRef: 'V-2', dossierRef: 'OC-2', personId: PERSONS[1]!.id, issuedOn: '2019-06-05', value: '12.34' },
  {
    sourceRef: 'V-3',
    dossierRef: 'OC-2',
    personId: PERSONS[1]!.id,
    issuedOn: '2019-06-05',
    value: '20.5',
    usedOn: '2019-06-20',
    providerKbo: ORGS[2]!.kboNumber,
  },
];

const dualLearning = () => [
  {
    sourceRef: 'W-1',
    enterpriseKbo: KBO[2],
    establishmentNumber: '2123456789',
    appliedOn: '2019-01-10',
    status: 'RECOGNISED',
    recognisedOn: '2019-02-01',
    mentorPersonIds: [PERSONS[2]!.id, PERSONS[0]!.id],
    agreements: [
      { personId: PERSONS[1]!.id, startsOn: '2019-09-01', endsOn: '2020-06-30', registeredOn: '2019-08-20' },
    ],
  },
  {
    sourceRef: 'W-2',
    enterpriseKbo: KBO[2],
    establishmentNumber: '2123456789',
    appliedOn: '2019-03-10',
    status: 'REFUSED',
    mentorPersonIds: [PERSONS[2]!.id],
  },
];

const dataset = () =>
  writeDataset({
    'organisations.jsonl': ORGS,
    'persons.jsonl': PERSONS,
    'dossiers.jsonl': [...dossiers(), RECOGNITION],
    'trainings.jsonl': trainings(),
    'vouchers.jsonl': vouchers(),
    'dual-learning.jsonl': dualLearning(),
  });

describe('data:import of the competences records', () => {
  it('loads courses with their leave, vouchers and dual-learning workplaces with their agreements', async () => {
    const report = await run(dataset());
    expect(report.files.map((f) => [f.file, f.loaded, f.errors])).toEqual([
      ['organisations.jsonl', true, []],
      ['persons.jsonl', true, []],
      ['dossiers.jsonl', true, []],
      ['trainings.jsonl', true, []],
      ['vouchers.jsonl', true, []],
      ['dual-learning.jsonl', true, []],
    ]);
    expect(report.files.slice(3).map((f) => f.counts)).toEqual([
      { inserted: 1, updated: 0, unchanged: 0, leaveWritten: 2, leaveRemoved: 0 },
      { inserted: 3, updated: 0, unchanged: 0 },
      { inserted: 2, updated: 0, unchanged: 0, agreementsWritten: 1, agreementsRemoved: 0 },
    ]);
    expect(await counts()).toEqual({
      course: 1,
      training_leave: 2,
      training_voucher: 3,
      dual_workplace: 2,
      dual_agreement: 1,
    });
    // As the mutations store them: school year and amount from the request, the voucher at the course's provider.
    expect(
      await query(
        `SELECT scheme, school_year, amount_cents::int AS cents, advance_paid_on::text AS advance
           FROM competences.training_leave ORDER BY scheme`,
      ),
    ).toEqual([
      { scheme: 'BEV', school_year: '2019-2020', cents: 32 * 21 * 100, advance: null },
      { scheme: 'VOV', school_year: '2019-2020', cents: 40 * 21 * 100, advance: '2019-11-01' },
    ]);
    expect(
      await query(
        `SELECT v.source_ref, v.value_cents::int AS cents, v.provider_kbo, v.course_id IS NOT NULL AS course
           FROM competences.training_voucher v ORDER BY v.source_ref`,
      ),
    ).toEqual([
      { source_ref: 'V-1', cents: 5000, provider_kbo: KBO[0], course: true },
      { source_ref: 'V-2', cents: 1234, provider_kbo: null, course: false },
      { source_ref: 'V-3', cents: 2050, provider_kbo: KBO[2], course: false },
    ]);
    expect(
      await query(
        `SELECT source_ref, status, valid_until::text AS until, mentor_person_ids AS mentors
           FROM competences.dual_workplace ORDER BY source_ref`,
      ),
    ).toEqual([
      { source_ref: 'W-1', status: 'RECOGNISED', until: '2024-01-31', mentors: [PERSONS[2]!.id, PERSONS[0]!.id] },
      { source_ref: 'W-2', status: 'REFUSED', until: null, mentors: [PERSONS[2]!.id] },
    ]);
  });

  it('importing the same files again leaves the same rows (and ids)', async () => {
    const before = await counts();
    const ids = await query(
      `SELECT id FROM competences.training_leave UNION ALL SELECT id FROM competences.dual_agreement`,
    );
    const report = await run(dataset());
    expect(report.ok).toBe(true);
    expect(report.files.slice(3).map((f) => f.counts)).toEqual([
      { inserted: 0, updated: 0, unchanged: 1, leaveWritten: 0, leaveRemoved: 0 },
      { inserted: 0, updated: 0, unchanged: 3 },
      { inserted: 0, updated: 0, unchanged: 2, agreementsWritten: 0, agreementsRemoved: 0 },
    ]);
    expect(await counts()).toEqual(before);
    expect(
      await query(`SELECT id FROM competences.training_leave UNION ALL SELECT id FROM competences.dual_agreement`),
    ).toEqual(ids);
  });

  it("a changed row updates its record by natural key; its nested records become the file's", async () => {
    const before = await counts();
    const t = trainings();
    t[0]!.title = 'Lassen basis (herzien)';
    t[0]!.leave.pop();
    const v = vouchers();
    Object.assign(v[1]!, { usedOn: '2019-06-10', providerKbo: ORGS[1]!.kboNumber });
    const d = dualLearning();
    d[0]!.agreements![0]!.endsOn = '2020-08-31';
    const report = await run(writeDataset({ 'trainings.jsonl': t, 'vouchers.jsonl': v, 'dual-learning.jsonl': d }));
    expect(report.ok).toBe(true);
    expect(report.files.map((f) => f.counts)).toEqual([
      { inserted: 0, updated: 1, unchanged: 0, leaveWritten: 0, leaveRemoved: 1 },
      { inserted: 0, updated: 1, unchanged: 2 },
      { inserted: 0, updated: 0, unchanged: 2, agreementsWritten: 1, agreementsRemoved: 1 },
    ]);
    expect(await counts()).toEqual({ ...before, training_leave: 1 });
    expect(await query(`SELECT title FROM competences.course`)).toEqual([{ title: 'Lassen basis (herzien)' }]);
    expect(
      await query(
        `SELECT used_on::text AS used, provider_kbo FROM competences.training_voucher WHERE source_ref = 'V-2'`,
      ),
    ).toEqual([{ used: '2019-06-10', provider_kbo: KBO[1] }]);
  });

  it('refuses files with bad rows: precise errors, nothing of them written', async () => {
    await run(dataset());
    const before = await counts();
    const t = trainings();
    // Line 1: an unknown person, a VOV request later than three months after the start.
    Object.assign(t[0]!.leave[0]!, { personId: 'prs_nobody', requestedOn: '2019-12-03', advancePaidOn: '2019-12-10' });
    // Line 2: the same course again; line 3: a dossier of another measure and a course too short; line 4: a
    // recognition on a day that does not exist.
    t.push({ ...trainings()[0]!, leave: [] });
    t.push({ ...trainings()[0]!, dossierRef: 'OC-2', hours: 20, leave: [] });
    t.push({ ...trainings()[0]!, dossierRef: 'OD-2', recognisedOn: '2019-02-30', leave: [] });
    const v = vouchers();
    // Line 1: used before it was issued; line 2: reimbursed without being used; line 3: a dossier of another
    // person; line 4: the same voucher as line 3.
    v[0]!.usedOn = '2019-06-01';
    Object.assign(v[1]!, { reimbursedOn: '2019-07-01' });
    Object.assign(v[2]!, { personId: PERSONS[0]!.id });
    v.push(vouchers()[2]!);
    const d = dualLearning();
    // Line 1: the agreement starts before the recognition, an unknown mentor; line 2: a recognition day on a
    // refused application.
    d[0]!.agreements![0]!.startsOn = '2019-01-15';
    d[0]!.mentorPersonIds.push('prs_unknown');
    Object.assign(d[1]!, { recognisedOn: '2019-04-01' });
    const report = await run(writeDataset({ 'trainings.jsonl': t, 'vouchers.jsonl': v, 'dual-learning.jsonl': d }));
    expect(report.ok).toBe(false);
    expect(report.files.map((f) => [f.file, f.loaded])).toEqual([
      ['trainings.jsonl', false],
      ['vouchers.jsonl', false],
      ['dual-learning.jsonl', false],
    ]);
    const messages = report.files.flatMap((f) => f.errors.map((e) => `${e.file}:${e.line}: ${e.field}: ${e.reason}`));
    expect(messages).toEqual([
      'trainings.jsonl:1: leave[0].requestedOn: Training leave is requested within 3 months of the start',
      'trainings.jsonl:1: leave[0].personId: Person with leave[0].personId "prs_nobody" does not exist',
      'trainings.jsonl:2: dossierRef: the same course as line 1',
      'trainings.jsonl:3: hours: must be at least 32 (a recognised course counts 32 hours or more)',
      'trainings.jsonl:4: recognisedOn: must be a real calendar date YYYY-MM-DD',
      'vouchers.jsonl:1: usedOn: must not be before the voucher was issued (2019-06-05)',
      'vouchers.jsonl:2: reimbursedOn: The voucher has not been used for a course yet',
      "vouchers.jsonl:3: dossierRef: is a dossier of prs_test0002: a voucher is issued to the dossier's applicant (personId)",
      'vouchers.jsonl:4: sourceRef: the same voucher as line 3',
      'dual-learning.jsonl:1: agreements[0].startsOn: The workplace is recognised from 2019-02-01 to 2024-01-31',
      'dual-learning.jsonl:1: mentorPersonIds[2]: Person with mentorPersonIds[2] "prs_unknown" does not exist',
      'dual-learning.jsonl:2: recognisedOn: is given only when status is RECOGNISED, not REFUSED',
    ]);
    expect(await counts()).toEqual(before);
  });
});
