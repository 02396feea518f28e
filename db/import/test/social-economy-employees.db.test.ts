import fs from 'node:fs';
import path from 'node:path';
import { createDataSource } from '@measure-graph/db';
import { createTestDatabase, type TestDatabase } from '@measure-graph/db/testing';
import {
  generateOrganisations,
  generatePersons,
  seedSocialEconomySector,
  socialEconomyLines,
} from '@measure-graph/demo-data';
import { subgraphs } from '@measure-graph/schema/subgraphs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataset, type ImportReport } from '../src/index.ts';
import { migrateSubgraphs } from '../src/databases.ts';
import type { EmployeeRow } from '../src/aggregates/employees.ts';
import type { SectorOrganisationRow } from '../src/aggregates/sector-organisations.ts';
import type { TrajectoryRow } from '../src/aggregates/trajectories.ts';
import { KBO, ORGS, PERSONS, writeDataset, writeReferenceData } from './fixtures.ts';

/** The social economy's target-group employees (with evaluation samples) and transition trajectories. */

let db: TestDatabase;
const run = (dir: string, url = db.url): Promise<ImportReport> => importDataset({ dir, urlFor: () => url, subgraphs });

async function query<T = any>(sql: string, params: unknown[] = [], url = db.url): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const TABLES = ['target_group_employee', 'evaluation_sample', 'transition_trajectory'];
async function counts(url = db.url): Promise<Record<string, number>> {
  const rows = await query(
    TABLES.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM social_economy.${t}`).join(' UNION ALL '),
    [],
    url,
  );
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

// ORGS[0] an LDE initiative, ORGS[1] a custom-work company; ORGS[2] is no organisation of the sector.
const sectorOrganisations = (): SectorOrganisationRow[] => [
  {
    kboNumber: ORGS[0]!.kboNumber,
    sector: 'LDE',
    provinceCode: 'ANT',
    labels: [{ label: 'LDE_INITIATIEF', validFrom: '2015-01-01' }],
  },
  {
    kboNumber: ORGS[1]!.kboNumber,
    sector: 'BW',
    provinceCode: 'OVL',
    labels: [{ label: 'MAATWERKBEDRIJF', validFrom: '2019-01-01' }],
  },
];
const employees = (): EmployeeRow[] => [
  {
    ref: 'EMP-1',
    personId: PERSONS[0]!.id,
    kboNumber: ORGS[0]!.kboNumber,
    startedOn: '2018-03-01',
    supportPackage: 'LDE inschakelingstraject',
    popFormalisedOn: '2018-05-02',
  },
  {
    ref: 'EMP-2',
    personId: PERSONS[1]!.id,
    kboNumber: ORGS[1]!.kboNumber,
    startedOn: '2012-09-01',
    endedOn: '2020-06-30',
    supportPackage: 'WOP 40 Laag',
    sampledForEvaluation: [2019, 2020],
  },
  {
    ref: 'EMP-3',
    personId: PERSONS[2]!.id,
    kboNumber: ORGS[1]!.kboNumber,
    startedOn: '2019-04-01',
    supportPackage: 'WOP 60 Hoog',
    nextEvaluationOn: '2024-04-01',
  },
];
const trajectories = (): TrajectoryRow[] => [
  {
    ref: 'TRJ-1',
    personId: PERSONS[1]!.id,
    employerKbo: ORGS[1]!.kboNumber,
    esfCall: 380,
    referredByVdab: false,
    startedOn: '2017-01-09',
    endedOn: '2017-12-22',
    outcome: 'SUCCEEDED',
    regularEmployerKbo: ORGS[2]!.kboNumber,
    hiredOn: '2018-01-02',
    aftercareUntil: '2018-04-02',
  },
  {
    ref: 'TRJ-2',
    personId: PERSONS[2]!.id,
    employerKbo: ORGS[1]!.kboNumber,
    esfCall: 432,
    referredByVdab: true,
    referredOn: '2018-10-15',
  },
];
const dataset = (files: Record<string, object[]> = {}) =>
  writeDataset({
    'employees.jsonl': employees(),
    'trajectories.jsonl': trajectories(),
    ...files,
  });

beforeAll(async () => {
  db = await createTestDatabase();
  await migrateSubgraphs(subgraphs, () => db.url, true);
  await writeReferenceData(db.url);
  const report = await run(
    writeDataset({
      'organisations.jsonl': ORGS,
      'persons.jsonl': PERSONS,
      'sector-organisations.jsonl': sectorOrganisations(),
    }),
  );
  expect(report.ok).toBe(true);
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

const employeeRows = () =>
  query(
    `SELECT e.source_ref, e.person_id, e.kbo, e.started_on::text, e.ended_on::text, e.support_package,
            e.next_evaluation_on::text, e.pop_formalised_on::text,
            coalesce((SELECT array_agg(s.year ORDER BY s.year) FROM social_economy.evaluation_sample s
                       WHERE s.employee_id = e.id), '{}') AS samples
       FROM social_economy.target_group_employee e ORDER BY e.source_ref`,
  );

describe('data:import of target-group employees and transition trajectories', () => {
  it('loads employees with their evaluation samples and trajectories', async () => {
    const report = await run(dataset());
    expect(report.files.map((f) => [f.file, f.loaded, f.errors])).toEqual([
      ['employees.jsonl', true, []],
      ['trajectories.jsonl', true, []],
    ]);
    expect(report.files[0]!.counts).toEqual({
      employeesInserted: 3,
      employeesUpdated: 0,
      samplesInserted: 2,
      samplesRemoved: 0,
    });
    expect(report.files[1]!.counts).toEqual({ trajectoriesInserted: 2, trajectoriesUpdated: 0 });
    expect(await counts()).toEqual({ target_group_employee: 3, evaluation_sample: 2, transition_trajectory: 2 });
    expect(await employeeRows()).toEqual([
      {
        source_ref: 'EMP-1',
        person_id: PERSONS[0]!.id,
        kbo: KBO[0],
        started_on: '2018-03-01',
        ended_on: null,
        support_package: 'LDE inschakelingstraject',
        next_evaluation_on: null,
        pop_formalised_on: '2018-05-02',
        samples: [],
      },
      {
        source_ref: 'EMP-2',
        person_id: PERSONS[1]!.id,
        kbo: KBO[1],
        started_on: '2012-09-01',
        ended_on: '2020-06-30',
        support_package: 'WOP 40 Laag',
        next_evaluation_on: null,
        pop_formalised_on: null,
        samples: [2019, 2020],
      },
      {
        source_ref: 'EMP-3',
        person_id: PERSONS[2]!.id,
        kbo: KBO[1],
        started_on: '2019-04-01',
        ended_on: null,
        support_package: 'WOP 60 Hoog',
        next_evaluation_on: '2024-04-01',
        pop_formalised_on: null,
        samples: [],
      },
    ]);
    expect(
      await query(
        `SELECT source_ref, person_id, employer_kbo, esf_call, referred_by_vdab, referred_on::text, started_on::text,
                ended_on::text, outcome, regular_employer_kbo, hired_on::text, aftercare_until::text
           FROM social_economy.transition_trajectory ORDER BY source_ref`,
      ),
    ).toEqual([
      {
        source_ref: 'TRJ-1',
        person_id: PERSONS[1]!.id,
        employer_kbo: KBO[1],
        esf_call: 380,
        referred_by_vdab: false,
        referred_on: null,
        started_on: '2017-01-09',
        ended_on: '2017-12-22',
        outcome: 'SUCCEEDED',
        regular_employer_kbo: KBO[2],
        hired_on: '2018-01-02',
        aftercare_until: '2018-04-02',
      },
      {
        source_ref: 'TRJ-2',
        person_id: PERSONS[2]!.id,
        employer_kbo: KBO[1],
        esf_call: 432,
        referred_by_vdab: true,
        referred_on: '2018-10-15',
        started_on: null,
        ended_on: null,
        outcome: null,
        regular_employer_kbo: null,
        hired_on: null,
        aftercare_until: null,
      },
    ]);
  });

  it('importing the same files again leaves the same rows (and ids)', async () => {
    const before = await counts();
    const ids = await query(
      `SELECT id, source_ref FROM social_economy.target_group_employee
       UNION ALL SELECT id, source_ref FROM social_economy.transition_trajectory ORDER BY 2`,
    );
    const report = await run(dataset());
    expect(report.files.map((f) => [f.loaded, f.counts])).toEqual([
      [true, { employeesInserted: 0, employeesUpdated: 0, samplesInserted: 0, samplesRemoved: 0 }],
      [true, { trajectoriesInserted: 0, trajectoriesUpdated: 0 }],
    ]);
    expect(await counts()).toEqual(before);
    expect(
      await query(
        `SELECT id, source_ref FROM social_economy.target_group_employee
         UNION ALL SELECT id, source_ref FROM social_economy.transition_trajectory ORDER BY 2`,
      ),
    ).toEqual(ids);
  });

  it('a changed row updates its records by ref, without duplicates', async () => {
    const es = employees();
    Object.assign(es[1]!, { endedOn: '2020-09-30', sampledForEvaluation: [2020] });
    Object.assign(es[2]!, { sampledForEvaluation: [2020] });
    const ts = trajectories();
    Object.assign(ts[1]!, { startedOn: '2018-11-05', endedOn: '2019-03-01', outcome: 'STOPPED' });
    const report = await run(dataset({ 'employees.jsonl': es, 'trajectories.jsonl': ts }));
    expect(report.files.map((f) => [f.loaded, f.counts])).toEqual([
      [true, { employeesInserted: 0, employeesUpdated: 1, samplesInserted: 1, samplesRemoved: 1 }],
      [true, { trajectoriesInserted: 0, trajectoriesUpdated: 1 }],
    ]);
    expect(await counts()).toEqual({ target_group_employee: 3, evaluation_sample: 2, transition_trajectory: 2 });
    expect((await employeeRows()).map((e) => [e.source_ref, e.ended_on, e.samples])).toEqual([
      ['EMP-1', null, []],
      ['EMP-2', '2020-09-30', [2020]],
      ['EMP-3', null, [2020]],
    ]);
    expect(
      await query(
        `SELECT started_on::text, ended_on::text, outcome FROM social_economy.transition_trajectory WHERE source_ref = 'TRJ-2'`,
      ),
    ).toEqual([{ started_on: '2018-11-05', ended_on: '2019-03-01', outcome: 'STOPPED' }]);
  });

  it('refuses files with bad rows: precise errors, nothing of them written', async () => {
    const before = await counts();
    const beforeRows = await employeeRows();
    const es: EmployeeRow[] = [
      { ...employees()[0]!, personId: 'prs_unknown' },
      { ...employees()[1]!, kboNumber: ORGS[2]!.kboNumber },
      { ...employees()[2]!, endedOn: '2019-03-31', sampledForEvaluation: [2018, 2020, 2020] },
      { ...employees()[1]!, popFormalisedOn: '2013-01-01' },
      { ...employees()[0]!, ref: 'EMP-9', startedOn: '2018-02-30' } as EmployeeRow,
      employees()[1]!,
    ];
    const ts: TrajectoryRow[] = [
      { ...trajectories()[0]!, personId: 'prs_unknown' },
      { ...trajectories()[1]!, employerKbo: ORGS[2]!.kboNumber },
      { ...trajectories()[1]!, ref: 'TRJ-3', startedOn: '2018-10-01', endedOn: '2018-09-30', outcome: 'FAILED' },
      { ...trajectories()[1]!, ref: 'TRJ-4', outcome: 'FAILED', hiredOn: '2019-01-01' },
      { ...trajectories()[0]!, ref: 'TRJ-5', aftercareUntil: '2018-04-03' },
      trajectories()[0]!,
    ];
    const report = await run(dataset({ 'employees.jsonl': es, 'trajectories.jsonl': ts }));
    expect(report.files.map((f) => f.loaded)).toEqual([false, false]);
    const errors = report.files.map((f) => f.errors.map((e) => `${e.file}:${e.line}: ${e.field}: ${e.reason}`));
    expect(errors[0]).toEqual([
      'employees.jsonl:1: personId: Person with personId "prs_unknown" does not exist (see persons.jsonl)',
      `employees.jsonl:2: kboNumber: Organisation ${KBO[2]} is not a recognised organisation of the social economy and employs no target-group employees (see sector-organisations.jsonl)`,
      'employees.jsonl:3: endedOn: must not be before startedOn (2019-04-01)',
      'employees.jsonl:3: sampledForEvaluation[0]: must not be before 2019 (the first sample)',
      'employees.jsonl:3: sampledForEvaluation[2]: the same year as sampledForEvaluation[1]',
      'employees.jsonl:4: ref: the same ref as line 2',
      'employees.jsonl:4: popFormalisedOn: only for an employee of an LDE initiative (this organisation is of sector BW)',
      'employees.jsonl:5: startedOn: must be a real calendar date YYYY-MM-DD',
      'employees.jsonl:6: ref: the same ref as line 2',
    ]);
    expect(errors[1]).toEqual([
      'trajectories.jsonl:1: personId: Person with personId "prs_unknown" does not exist (see persons.jsonl)',
      `trajectories.jsonl:2: employerKbo: Organisation ${KBO[2]} is not a recognised organisation of the social economy and has no transition trajectories (see sector-organisations.jsonl)`,
      'trajectories.jsonl:3: startedOn: must not be before referredOn (2018-10-15)',
      'trajectories.jsonl:3: endedOn: must not be before startedOn (2018-10-01)',
      'trajectories.jsonl:4: outcome: only for a trajectory that ended (endedOn)',
      'trajectories.jsonl:4: hiredOn: only with the regular employer that hired (regularEmployerKbo)',
      'trajectories.jsonl:5: aftercareUntil: must not be more than 3 months after hiredOn (2018-01-02)',
      'trajectories.jsonl:6: ref: the same ref as line 1',
    ]);
    expect(await counts()).toEqual(before);
    expect(await employeeRows()).toEqual(beforeRows);
  });

  it('the generated demo files import to what the demo seed writes', async () => {
    const lines = socialEconomyLines();
    const fresh = await createTestDatabase();
    try {
      await migrateSubgraphs(subgraphs, () => fresh.url, true);
      await writeReferenceData(fresh.url);
      const dir = writeDataset({
        'organisations.jsonl': generateOrganisations().map((o) => ({
          kboNumber: o.kboNumber,
          name: o.name,
          provinceCode: o.provinceCode,
        })),
        'persons.jsonl': generatePersons().map((p) => ({
          id: p.id,
          insz: p.insz,
          givenName: p.givenName,
          familyName: p.familyName,
          birthDate: p.birthDate,
          provinceCode: p.provinceCode,
        })),
        'sector-organisations.jsonl': lines.sectorOrganisations,
        'employees.jsonl': lines.employees,
        'trajectories.jsonl': lines.trajectories,
      });
      const report = await run(dir, fresh.url);
      expect(report.files.map((f) => [f.file, f.loaded, f.errors.slice(0, 3)])).toEqual([
        ['organisations.jsonl', true, []],
        ['persons.jsonl', true, []],
        ['sector-organisations.jsonl', true, []],
        ['employees.jsonl', true, []],
        ['trajectories.jsonl', true, []],
      ]);
      fs.rmSync(path.resolve(dir), { recursive: true, force: true });
      const imported = await contents(fresh.url);

      await query(
        `TRUNCATE ${['sector_organisation', ...TABLES].map((t) => `social_economy.${t}`).join(', ')} CASCADE`,
        [],
        fresh.url,
      );
      const ds = createDataSource({ url: fresh.url, schema: 'social_economy', migrations: [], poolSize: 1 });
      await ds.initialize();
      try {
        await seedSocialEconomySector(ds);
      } finally {
        await ds.destroy();
      }
      const seeded = await contents(fresh.url);
      expect(Object.values(seeded).every((rows) => rows.length > 0)).toBe(true);
      for (const key of Object.keys(seeded)) expect([key, imported[key]]).toEqual([key, seeded[key]]);
    } finally {
      await fresh.drop();
    }
  }, 300_000);
});

/** Employees with their sample years and trajectories, without ids and source references, plus the figures read from them. */
async function contents(url: string): Promise<Record<string, unknown[]>> {
  const q = async (sql: string) =>
    (await query<{ r: string }>(`SELECT r::text FROM (${sql}) t (r) ORDER BY 1`, [], url)).map((x) => x.r);
  return {
    employees: await q(
      `SELECT (e.person_id, e.kbo, e.started_on, e.ended_on, e.support_package, e.next_evaluation_on, e.pop_formalised_on,
               (SELECT array_agg(s.year ORDER BY s.year) FROM social_economy.evaluation_sample s WHERE s.employee_id = e.id))
         FROM social_economy.target_group_employee e`,
    ),
    trajectories: await q(
      `SELECT (person_id, employer_kbo, esf_call, referred_by_vdab, referred_on, started_on, ended_on, outcome,
               regular_employer_kbo, hired_on, aftercare_until) FROM social_economy.transition_trajectory`,
    ),
    employedPersons: await q(
      `SELECT (y, o.sector, count(DISTINCT e.person_id)) FROM generate_series(2016, 2020) y
         JOIN social_economy.target_group_employee e
           ON e.started_on <= make_date(y, 12, 31) AND (e.ended_on IS NULL OR e.ended_on >= make_date(y, 1, 1))
         JOIN social_economy.sector_organisation o ON o.kbo = e.kbo GROUP BY y, o.sector`,
    ),
    transitionCalls: await q(
      `SELECT (t.esf_call, o.province_code, count(*), count(t.started_on), count(t.outcome))
         FROM social_economy.transition_trajectory t JOIN social_economy.sector_organisation o ON o.kbo = t.employer_kbo
        GROUP BY t.esf_call, o.province_code`,
    ),
  };
}
