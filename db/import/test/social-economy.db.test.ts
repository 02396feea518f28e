import fs from 'node:fs';
import path from 'node:path';
import { createDataSource } from '@measure-graph/db';
import { createTestDatabase, type TestDatabase } from '@measure-graph/db/testing';
import { generateOrganisations, seedSocialEconomySector, socialEconomyLines } from '@measure-graph/demo-data';
import { subgraphs } from '@measure-graph/schema/subgraphs';
import { kboFromBase } from '@measure-graph/subgraph-platform/identifiers';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataset, type ImportReport } from '../src/index.ts';
import { migrateSubgraphs } from '../src/databases.ts';
import type { ContingentRow } from '../src/aggregates/contingents.ts';
import type { GrowthPathRow } from '../src/aggregates/growth-paths.ts';
import type { SectorOrganisationRow } from '../src/aggregates/sector-organisations.ts';
import { KBO, ORGS, writeDataset, writeReferenceData } from './fixtures.ts';

/** The social economy's own files: sector-organisations.jsonl, contingents.jsonl, growth-paths.jsonl. */

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

const SE_TABLES = [
  'sector_organisation',
  'sector_label',
  'lde_action_plan',
  'contingent',
  'settlement',
  'growth_path_call',
  'growth_path_province_weight',
  'growth_path_application',
  'growth_path_allocation',
];
async function counts(url = db.url): Promise<Record<string, number>> {
  const rows = await query(
    SE_TABLES.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM social_economy.${t}`).join(' UNION ALL '),
    [],
    url,
  );
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

// ORGS[0] an LDE initiative, ORGS[1] a former sheltered workplace, ORGS[2] a social workplace.
const sectorOrganisations = (): SectorOrganisationRow[] => [
  {
    kboNumber: ORGS[0]!.kboNumber,
    sector: 'LDE',
    provinceCode: 'ANT',
    mergedOn: '2017-03-01',
    labels: [{ label: 'LDE_INITIATIEF', validFrom: '2015-01-01' }],
    actionPlans: [{ year: 2020, submittedOn: '2021-03-15' }],
  },
  {
    kboNumber: ORGS[1]!.kboNumber,
    sector: 'BW',
    provinceCode: 'OVL',
    labels: [
      { label: 'BESCHUTTE_WERKPLAATS', validFrom: '1990-05-01', validTo: '2018-12-31' },
      { label: 'MAATWERKBEDRIJF', validFrom: '2019-01-01' },
    ],
  },
  {
    kboNumber: ORGS[2]!.kboNumber,
    sector: 'SW',
    provinceCode: 'LIM',
    labels: [{ label: 'SOCIALE_WERKPLAATS', validFrom: '2001-01-01' }],
  },
];
const contingents = (): ContingentRow[] => [
  {
    kboNumber: ORGS[0]!.kboNumber,
    contingents: [{ measureCode: 'LDE', fte: '4.5', validFrom: '2016-01-01', reason: 'INITIAL' }],
    settlements: [
      {
        quarter: '2017-Q4',
        contingentFte: '4.5',
        filledFte: '4.25',
        advances: '27945',
        balance: '-620.5',
        settledOn: '2018-07-16',
      },
      { quarter: '2018-Q1', contingentFte: '4.50', filledFte: '4.50', advances: '27945', balance: '3105' },
    ],
  },
  {
    kboNumber: ORGS[1]!.kboNumber,
    contingents: [
      { measureCode: 'MAATWERK', fte: '20', validFrom: '2016-01-01', reason: 'INITIAL' },
      { measureCode: 'MAATWERK', fte: '-0.6', validFrom: '2020-10-01', reason: 'REDISTRIBUTION' },
    ],
    settlements: [
      {
        quarter: '2017-Q4',
        contingentFte: '20',
        filledFte: '19.8',
        advances: '165600',
        balance: '16560',
        settledOn: '2018-05-10',
      },
    ],
  },
  {
    kboNumber: ORGS[2]!.kboNumber,
    contingents: [{ measureCode: 'MAATWERK', fte: '8', validFrom: '2016-01-01', reason: 'INITIAL' }],
  },
];
const growthPaths = (): GrowthPathRow[] => [
  {
    id: 'GP-T-LDE',
    name: 'Groeipad test LDE',
    measureCode: 'LDE',
    sector: 'LDE',
    budgetFte: '3',
    unitFte: '1',
    ruleSet: 'LDE_PRIORITY',
    deadline: '2018-04-30',
    effectiveFrom: '2018-07-01',
    distributedAt: '2018-04-30T12:00',
    provinceWeights: { ANT: 74300, LIM: 28900 },
    applications: [
      {
        kboNumber: ORGS[0]!.kboNumber,
        requestedFte: '2',
        submittedOn: '2018-04-01',
        allocation: {
          fte: '2',
          rule: 'PRIORITY_SMALL',
          explanation: 'priority 1: initiative with a contingent under 5 FTE',
        },
      },
    ],
  },
  {
    id: 'GP-T-MAATWERK',
    name: 'Groeipad test maatwerk',
    measureCode: 'MAATWERK',
    sector: 'MAATWERK',
    budgetFte: '1.5',
    unitFte: '0.01',
    ruleSet: 'CAPACITY_SHARE',
    minFillRate: 0.95,
    referenceFrom: '2017-Q1',
    referenceTo: '2017-Q4',
    deadline: '2020-12-15',
    effectiveFrom: '2021-04-01',
    provinceWeights: { OVL: 17800, LIM: 11900 },
    applications: [
      { kboNumber: ORGS[1]!.kboNumber, requestedFte: '1.25', submittedOn: '2020-12-01' },
      { kboNumber: ORGS[2]!.kboNumber, requestedFte: '0.5', submittedOn: '2020-12-15' },
    ],
  },
];
const dataset = () =>
  writeDataset({
    'organisations.jsonl': ORGS,
    'sector-organisations.jsonl': sectorOrganisations(),
    'contingents.jsonl': contingents(),
    'growth-paths.jsonl': growthPaths(),
  });

beforeAll(async () => {
  db = await createTestDatabase();
  await migrateSubgraphs(subgraphs, () => db.url, true);
  await writeReferenceData(db.url);
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

describe('data:import of the social economy', () => {
  it('loads sector organisations, contingents with settlements, and growth paths', async () => {
    const report = await run(dataset());
    expect(report.files.map((f) => [f.file, f.loaded, f.errors])).toEqual([
      ['organisations.jsonl', true, []],
      ['sector-organisations.jsonl', true, []],
      ['contingents.jsonl', true, []],
      ['growth-paths.jsonl', true, []],
    ]);
    expect(await counts()).toEqual({
      sector_organisation: 3,
      sector_label: 4,
      lde_action_plan: 1,
      // 4 from contingents.jsonl, 1 from the LDE call's allocation.
      contingent: 5,
      settlement: 3,
      growth_path_call: 2,
      growth_path_province_weight: 4,
      growth_path_application: 3,
      growth_path_allocation: 1,
    });
    expect(
      await query(
        `SELECT kbo, measure_code, fte::text, valid_from::text, reason, allocation_id IS NOT NULL AS allocated
           FROM social_economy.contingent ORDER BY kbo, valid_from`,
      ),
    ).toEqual(
      [
        [KBO[0], 'LDE', '4.50', '2016-01-01', 'INITIAL', false],
        [KBO[0], 'LDE', '2.00', '2018-07-01', 'GROWTH_PATH', true],
        [KBO[1], 'MAATWERK', '20.00', '2016-01-01', 'INITIAL', false],
        [KBO[1], 'MAATWERK', '-0.60', '2020-10-01', 'REDISTRIBUTION', false],
        [KBO[2], 'MAATWERK', '8.00', '2016-01-01', 'INITIAL', false],
      ].map(([kbo, measure_code, fte, valid_from, reason, allocated]) => ({
        kbo,
        measure_code,
        fte,
        valid_from,
        reason,
        allocated,
      })),
    );
    expect(
      await query(
        `SELECT quarter::text, balance_cents::text, settled_on::text FROM social_economy.settlement WHERE kbo = $1 ORDER BY quarter`,
        [KBO[0]],
      ),
    ).toEqual([
      { quarter: '2017-10-01', balance_cents: '-62050', settled_on: '2018-07-16' },
      { quarter: '2018-01-01', balance_cents: '310500', settled_on: null },
    ]);
    expect(
      await query(
        `SELECT id, status, reference_from::text, reference_to::text, distributed_at::text FROM social_economy.growth_path_call ORDER BY id`,
      ),
    ).toEqual([
      {
        id: 'GP-T-LDE',
        status: 'DISTRIBUTED',
        reference_from: null,
        reference_to: null,
        distributed_at: '2018-04-30 12:00:00',
      },
      {
        id: 'GP-T-MAATWERK',
        status: 'OPEN',
        reference_from: '2017-01-01',
        reference_to: '2017-10-01',
        distributed_at: null,
      },
    ]);
  });

  it('importing the same files again leaves the same rows (and ids)', async () => {
    const before = await counts();
    const ids = await query(
      `SELECT id FROM social_economy.contingent UNION ALL SELECT id FROM social_economy.growth_path_application ORDER BY 1`,
    );
    const report = await run(dataset());
    expect(report.ok).toBe(true);
    expect(report.files.slice(1).map((f) => f.counts)).toEqual([
      {
        inserted: 0,
        updated: 0,
        unchanged: 3,
        labelsWritten: 0,
        labelsRemoved: 0,
        actionPlansWritten: 0,
        actionPlansRemoved: 0,
      },
      {
        organisations: 3,
        contingentsWritten: 0,
        contingentsRemoved: 0,
        settlementsInserted: 0,
        settlementsUpdated: 0,
        settlementsRemoved: 0,
      },
      {
        inserted: 0,
        updated: 0,
        unchanged: 2,
        applicationsInserted: 0,
        applicationsUpdated: 0,
        applicationsRemoved: 0,
        allocationsWritten: 0,
        allocationsRemoved: 0,
        contingentsWritten: 0,
        contingentsRemoved: 0,
      },
    ]);
    expect(await counts()).toEqual(before);
    expect(
      await query(
        `SELECT id FROM social_economy.contingent UNION ALL SELECT id FROM social_economy.growth_path_application ORDER BY 1`,
      ),
    ).toEqual(ids);
  });

  it('a changed row replaces its records by natural key, without duplicates', async () => {
    const orgs = sectorOrganisations();
    // The BW workplace became a custom-work department, not a company.
    orgs[1]!.labels[1]!.label = 'MAATWERKAFDELING';
    const cs = contingents();
    cs[1]!.settlements![0]!.filledFte = '19.9';
    cs[1]!.contingents.pop();
    const gps = growthPaths();
    // The maatwerk call was distributed: 1.25 and 0.25 FTE; the LDE call lost its application.
    Object.assign(gps[1]!, { distributedAt: '2020-12-20T09:00' });
    Object.assign(gps[1]!.applications[0]!, {
      allocation: { fte: '1.25', rule: 'FULL_REQUEST', explanation: 'the whole request' },
    });
    Object.assign(gps[1]!.applications[1]!, {
      allocation: { fte: '0.25', rule: 'CAPACITY_SHARE', explanation: 'share' },
    });
    gps[0]!.applications = [];
    const TOMBSTONED = ['contingent', 'settlement', 'growth_path_allocation'];
    const ids = async () =>
      Object.fromEntries(
        await Promise.all(
          TOMBSTONED.map(async (t) => [
            t,
            (await query(`SELECT id::text FROM social_economy.${t}`)).map((r) => r.id as string),
          ]),
        ),
      ) as Record<string, string[]>;
    const idsBefore = await ids();
    const [{ mark }] = await query(`SELECT pg_current_xact_id()::text AS mark`);
    const report = await run(
      writeDataset({
        'sector-organisations.jsonl': orgs,
        'contingents.jsonl': cs,
        'growth-paths.jsonl': gps,
      }),
    );
    expect(report.files.map((f) => f.errors)).toEqual([[], [], []]);
    expect(report.files[0]!.counts).toMatchObject({ labelsWritten: 1, labelsRemoved: 1 });
    expect(report.files[1]!.counts).toMatchObject({ contingentsRemoved: 1, settlementsUpdated: 1 });
    expect(report.files[2]!.counts).toMatchObject({
      updated: 1,
      applicationsRemoved: 1,
      allocationsWritten: 2,
      contingentsWritten: 2,
    });
    expect(
      await query(
        `SELECT kbo, fte::text, reason FROM social_economy.contingent WHERE reason <> 'INITIAL' ORDER BY kbo, fte`,
      ),
    ).toEqual([
      { kbo: KBO[1], fte: '1.25', reason: 'GROWTH_PATH' },
      { kbo: KBO[2], fte: '0.25', reason: 'GROWTH_PATH' },
    ]);
    expect(await counts()).toMatchObject({ sector_label: 4, growth_path_application: 2, growth_path_allocation: 2 });
    // Every row the import removed left a tombstone for the incremental pulls, and only those.
    const idsAfter = await ids();
    const tombstones = await query(
      `SELECT table_name, row_id::text FROM social_economy.deleted_row WHERE change_xid > $1::xid8`,
      [mark],
    );
    for (const t of TOMBSTONED) {
      const removed = idsBefore[t]!.filter((id) => !idsAfter[t]!.includes(id)).sort();
      expect(
        tombstones
          .filter((r) => r.table_name === t)
          .map((r) => r.row_id as string)
          .sort(),
      ).toEqual(removed);
    }
    expect(tombstones.length).toBe(3);
  });

  it('refuses files with bad rows: precise errors, nothing of them written', async () => {
    const before = await counts();
    const stranger = kboFromBase(9_999_999);
    const badCheck = KBO[2]!.slice(0, 9) + String((Number(KBO[2]!.at(-1)) + 1) % 10);
    const orgs = [
      { ...sectorOrganisations()[0]!, kboNumber: stranger },
      { ...sectorOrganisations()[1]!, mergedOn: '2019-01-01' },
      {
        ...sectorOrganisations()[2]!,
        labels: [
          { label: 'SOCIALE_WERKPLAATS', validFrom: '2001-01-01' },
          { label: 'MAATWERKBEDRIJF', validFrom: '2019-01-01' },
        ],
      },
      { ...sectorOrganisations()[2]!, provinceCode: 'ZZZ' },
    ];
    const cs = contingents();
    cs[0]!.settlements![1]!.quarter = '2018-Q5';
    cs[0]!.settlements!.push({ ...cs[0]!.settlements![0]!, settledOn: '2017-12-01' });
    cs[1]!.contingents[0]!.measureCode = 'LDE';
    cs[2]!.kboNumber = badCheck;
    cs.push({ ...contingents()[2]!, kboNumber: stranger }, contingents()[1]!);
    const gps = growthPaths();
    gps[0]!.applications.push({ ...gps[0]!.applications[0]!, requestedFte: '0.001', submittedOn: '2018-05-01' });
    gps[1]!.applications[1]!.kboNumber = ORGS[0]!.kboNumber;
    gps.push({ ...growthPaths()[0]!, budgetFte: '1' }, growthPaths()[1]!);
    const report = await run(
      writeDataset({
        'sector-organisations.jsonl': orgs,
        'contingents.jsonl': cs,
        'growth-paths.jsonl': gps,
      }),
    );
    expect(report.files.map((f) => f.loaded)).toEqual([false, false, false]);
    const errors = report.files.map((f) => f.errors.map((e) => `${e.file}:${e.line}: ${e.field}: ${e.reason}`));
    expect(errors[0]).toEqual([
      `sector-organisations.jsonl:1: kboNumber: Organisation with kboNumber "${stranger}" does not exist`,
      'sector-organisations.jsonl:2: mergedOn: only an LDE initiative merges (this is BW)',
      'sector-organisations.jsonl:3: labels[1].validFrom: overlaps labels[0] (valid from 2001-01-01)',
      'sector-organisations.jsonl:4: provinceCode: Province with provinceCode "ZZZ" does not exist',
    ]);
    expect(errors[1]).toEqual([
      'contingents.jsonl:1: settlements[1].quarter: must be a quarter like 2017-Q4, got "2018-Q5"',
      'contingents.jsonl:1: settlements[2].quarter: the same quarter as settlements[0]',
      'contingents.jsonl:1: settlements[2].settledOn: must be after the quarter ended (2017-12-31)',
      'contingents.jsonl:2: contingents[0].measureCode: must be MAATWERK for an organisation of sector BW, got "LDE"',
      `contingents.jsonl:3: kboNumber: "${badCheck}" is not a valid KBO number (10 digits with a mod-97 check)`,
      `contingents.jsonl:4: kboNumber: Organisation ${stranger} is not a recognised organisation of the social economy and has no contingent (see sector-organisations.jsonl)`,
      'contingents.jsonl:5: kboNumber: the same organisation as line 2',
    ]);
    expect(errors[2]).toEqual([
      `growth-paths.jsonl:1: applications[1].kboNumber: Organisation ${KBO[0]} already applied for call GP-T-LDE (applications[0])`,
      'growth-paths.jsonl:1: applications[1].requestedFte: must be a positive number of FTE with at most two decimals, got "0.001"',
      'growth-paths.jsonl:1: applications[1].submittedOn: Call GP-T-LDE closed on 2018-04-30; submittedOn is 2018-05-01',
      `growth-paths.jsonl:2: applications[1].kboNumber: Call GP-T-MAATWERK is for MAATWERK; organisation ${KBO[0]} is LDE`,
      'growth-paths.jsonl:3: applications: the allocations give 2 FTE of a budget of 1',
      'growth-paths.jsonl:4: id: the same call as line 2',
    ]);
    expect(await counts()).toEqual(before);
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
        'sector-organisations.jsonl': lines.sectorOrganisations,
        'contingents.jsonl': lines.contingents,
        'growth-paths.jsonl': lines.growthPaths,
      });
      const report = await run(dir, fresh.url);
      expect(report.files.map((f) => [f.file, f.loaded, f.errors.slice(0, 3)])).toEqual([
        ['organisations.jsonl', true, []],
        ['sector-organisations.jsonl', true, []],
        ['contingents.jsonl', true, []],
        ['growth-paths.jsonl', true, []],
      ]);
      fs.rmSync(path.resolve(dir), { recursive: true, force: true });
      const imported = await contents(fresh.url);

      await query(`TRUNCATE ${SE_TABLES.map((t) => `social_economy.${t}`).join(', ')} CASCADE`, [], fresh.url);
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

/** The sector tables as the graph reads them, without generated ids, plus the contingent figures per quarter and province. */
async function contents(url: string): Promise<Record<string, unknown[]>> {
  const q = (sql: string) => query(sql, [], url);
  return {
    organisations: await q(
      `SELECT kbo, sector, province_code, merged_on::text FROM social_economy.sector_organisation ORDER BY kbo`,
    ),
    labels: await q(
      `SELECT kbo, label, valid_from::text, valid_to::text FROM social_economy.sector_label ORDER BY kbo, valid_from`,
    ),
    actionPlans: await q(`SELECT kbo, year, submitted_on::text FROM social_economy.lde_action_plan ORDER BY kbo, year`),
    contingents: await q(
      `SELECT c.kbo, c.measure_code, c.fte::text, c.valid_from::text, c.valid_to::text, c.reason, a.call_id
         FROM social_economy.contingent c LEFT JOIN social_economy.growth_path_application a ON a.id = c.allocation_id
        ORDER BY 1, 2, 4, 6, 3`,
    ),
    settlements: await q(
      `SELECT kbo, quarter::text, contingent_fte::text, filled_fte::text, advances_cents::text, balance_cents::text,
              settled_on::text FROM social_economy.settlement ORDER BY kbo, quarter`,
    ),
    calls: await q(
      `SELECT id, name, measure_code, sector, budget_fte::text, unit_fte::text, rule_set, min_fill_rate::text,
              reference_from::text, reference_to::text, deadline::text, effective_from::text, status, distributed_at::text
         FROM social_economy.growth_path_call ORDER BY id`,
    ),
    weights: await q(
      `SELECT call_id, province_code, weight::text FROM social_economy.growth_path_province_weight ORDER BY 1, 2`,
    ),
    applications: await q(
      `SELECT a.call_id, a.kbo, a.requested_fte::text, a.submitted_on::text, l.fte::text AS allocated, l.rule, l.explanation
         FROM social_economy.growth_path_application a LEFT JOIN social_economy.growth_path_allocation l ON l.application_id = a.id
        ORDER BY 1, 2`,
    ),
    figures: await q(
      `SELECT s.quarter::text, o.sector, o.province_code, count(*)::int AS organisations, sum(s.contingent_fte)::text AS contingent,
              sum(s.filled_fte)::text AS filled
         FROM social_economy.settlement s JOIN social_economy.sector_organisation o ON o.kbo = s.kbo
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    ),
  };
}
