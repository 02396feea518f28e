import { describe, expect, it } from 'vitest';
import { formatRowError } from '../src/index.ts';
import { writeDataset, useImportTestDatabase } from './fixtures.ts';

/** commitments.jsonl, budgets.jsonl and registered-figures.jsonl on the fixtures' three measures. */

const db = useImportTestDatabase(async (db) => {
  // A card row registered from another system and one computed from the dossiers.
  await db.query(
    `INSERT INTO social_economy.volume_definition (id, measure_code, position, label, metric, unit)
     VALUES ('LDE-V1', 'LDE', 1, 'Doelgroepwerknemers', 'REGISTERED', 'COUNT'),
            ('LDE-V2', 'LDE', 2, 'Aanvragen', 'DOSSIERS_RECEIVED', 'COUNT')`,
  );
});
const { run, query } = db;

const commitments = () => [
  { sourceRef: 'VAK-LDE-1', measureCode: 'LDE', committedOn: '2020-01-15', amount: '1250.07' },
  { sourceRef: 'VAK-LDE-2', measureCode: 'LDE', committedOn: '2020-02-15', amount: '0.5' },
  { sourceRef: 'VAK-AK-1', measureCode: 'ARBEIDSKAARTEN', committedOn: '2019-12-31', amount: '100' },
];
const budgets = () => [
  { measureCode: 'LDE', year: 2021, vak: '1000000', vek: '999999.99' },
  { measureCode: 'OPLEIDINGSCHEQUES', year: 2021, vek: '0' },
];
const figures = () => [
  { measureCode: 'LDE', volumeId: 'LDE-V1', period: '2020-01-01', value: '12' },
  { measureCode: 'LDE', volumeId: 'LDE-V1', period: '2020-02-01', value: '0.8125' },
];
const money = () => ({
  'commitments.jsonl': commitments(),
  'budgets.jsonl': budgets(),
  'registered-figures.jsonl': figures(),
});

const counts = async () =>
  Object.fromEntries(
    (
      await query(
        ['commitment', 'budget_plan', 'registered_figure']
          .flatMap((t) => ['social_economy', 'activation', 'competences'].map((s) => `${s}.${t}`))
          .map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM ${t}`)
          .join(' UNION ALL '),
      )
    ).map((r) => [r.t, r.n]),
  );

describe('data:import of commitments, budgets and registered figures', () => {
  it('loads each row into its measure’s domain, amounts exact to the cent', async () => {
    const report = await run(writeDataset(money()));
    expect(report.files.map((f) => [f.file, f.loaded, f.errors, f.counts])).toEqual([
      ['commitments.jsonl', true, [], { inserted: 3, updated: 0, unchanged: 0 }],
      ['budgets.jsonl', true, [], { inserted: 2, updated: 0, unchanged: 0 }],
      ['registered-figures.jsonl', true, [], { inserted: 2, updated: 0, unchanged: 0 }],
    ]);
    expect(
      await query(
        `SELECT source_ref, measure_code, committed_on::text AS d, amount_cents::text AS c
           FROM social_economy.commitment ORDER BY source_ref`,
      ),
    ).toEqual([
      { source_ref: 'VAK-LDE-1', measure_code: 'LDE', d: '2020-01-15', c: '125007' },
      { source_ref: 'VAK-LDE-2', measure_code: 'LDE', d: '2020-02-15', c: '50' },
    ]);
    expect(await query(`SELECT source_ref, amount_cents::text AS c FROM activation.commitment`)).toEqual([
      { source_ref: 'VAK-AK-1', c: '10000' },
    ]);
    expect(
      await query(
        `SELECT measure_code, year, vak_cents::text AS vak, vek_cents::text AS vek FROM competences.budget_plan`,
      ),
    ).toEqual([{ measure_code: 'OPLEIDINGSCHEQUES', year: 2021, vak: null, vek: '0' }]);
    expect(
      await query(`SELECT vak_cents::text AS vak, vek_cents::text AS vek FROM social_economy.budget_plan`),
    ).toEqual([{ vak: '100000000', vek: '99999999' }]);
    expect(
      await query(
        `SELECT volume_id, period::text AS p, value::text AS v FROM social_economy.registered_figure ORDER BY period`,
      ),
    ).toEqual([
      { volume_id: 'LDE-V1', p: '2020-01-01', v: '12.0000' },
      { volume_id: 'LDE-V1', p: '2020-02-01', v: '0.8125' },
    ]);
  });

  it('importing the same files again leaves the same rows', async () => {
    const before = await counts();
    const ids = await query(`SELECT id, source_ref FROM social_economy.commitment ORDER BY id`);
    const report = await run(writeDataset(money()));
    expect(report.files.map((f) => f.counts)).toEqual([
      { inserted: 0, updated: 0, unchanged: 3 },
      { inserted: 0, updated: 0, unchanged: 2 },
      { inserted: 0, updated: 0, unchanged: 2 },
    ]);
    expect(await counts()).toEqual(before);
    expect(await query(`SELECT id, source_ref FROM social_economy.commitment ORDER BY id`)).toEqual(ids);
  });

  it('a changed row updates its record by natural key', async () => {
    const c = commitments();
    c[1]!.amount = '0.51';
    const b = budgets();
    delete (b[0] as { vak?: string }).vak;
    const f = figures();
    f[0]!.value = '13';
    const report = await run(
      writeDataset({ 'commitments.jsonl': c, 'budgets.jsonl': b, 'registered-figures.jsonl': f }),
    );
    expect(report.files.map((r) => r.counts)).toEqual([
      { inserted: 0, updated: 1, unchanged: 2 },
      { inserted: 0, updated: 1, unchanged: 1 },
      { inserted: 0, updated: 1, unchanged: 1 },
    ]);
    expect(
      await query(`SELECT amount_cents::text AS c FROM social_economy.commitment WHERE source_ref = 'VAK-LDE-2'`),
    ).toEqual([{ c: '51' }]);
    expect(await query(`SELECT vak_cents, vek_cents::text AS vek FROM social_economy.budget_plan`)).toEqual([
      { vak_cents: null, vek: '99999999' },
    ]);
    expect(
      await query(`SELECT value::text AS v FROM social_economy.registered_figure WHERE period = '2020-01-01'`),
    ).toEqual([{ v: '13.0000' }]);
  });

  it('refuses a file with bad rows, naming file, line and field, and writes nothing of it', async () => {
    const before = await counts();
    const dir = writeDataset({
      'commitments.jsonl': [
        { sourceRef: 'VAK-X-1', measureCode: 'NOPE', committedOn: '2020-01-15', amount: '10' },
        { sourceRef: 'VAK-X-2', measureCode: 'LDE', committedOn: '2020-02-30', amount: '10' },
        { sourceRef: 'VAK-X-3', measureCode: 'LDE', committedOn: '2020-01-15', amount: '10.001' },
        { sourceRef: 'VAK-X-4', measureCode: 'LDE', committedOn: '2020-01-15', amount: '0.00' },
        { sourceRef: 'VAK-X-5', measureCode: 'LDE', committedOn: '2020-01-15', amount: '5' },
        { sourceRef: 'VAK-X-5', measureCode: 'LDE', committedOn: '2020-01-16', amount: '6' },
        { sourceRef: 'VAK-X-6', measureCode: 'LDE', committedOn: '2099-01-15', amount: '6' },
      ],
      'budgets.jsonl': [
        { measureCode: 'LDE', year: 2022, vak: '1' },
        { measureCode: 'LDE', year: 2022, vek: '2' },
        { measureCode: 'LDE', year: 2023, vak: '-1' },
        { measureCode: 'LDE', year: 1999 },
      ],
      'registered-figures.jsonl': [
        { measureCode: 'LDE', volumeId: 'LDE-V2', period: '2020-01-01', value: '1' },
        { measureCode: 'LDE', volumeId: 'LDE-V9', period: '2020-01-01', value: '1' },
        { measureCode: 'LDE', volumeId: 'LDE-V1', period: '2020-01-15', value: '1' },
        { measureCode: 'ARBEIDSKAARTEN', volumeId: 'LDE-V1', period: '2020-03-01', value: '1' },
        { measureCode: 'LDE', volumeId: 'LDE-V1', period: '2020-04-01', value: '1.23456' },
        { measureCode: 'LDE', volumeId: 'LDE-V1', period: '2020-05-01', value: '1' },
        { measureCode: 'LDE', volumeId: 'LDE-V1', period: '2020-05-01', value: '2' },
      ],
    });
    const report = await run(dir);
    expect(report.ok).toBe(false);
    expect(report.files.map((f) => f.loaded)).toEqual([false, false, false]);
    expect(report.files.flatMap((f) => f.errors.map(formatRowError))).toEqual([
      'commitments.jsonl:1: measureCode: Measure with measureCode "NOPE" does not exist',
      'commitments.jsonl:2: committedOn: must be a real calendar date YYYY-MM-DD',
      'commitments.jsonl:3: amount: must match ^\\d{1,12}(?:\\.\\d{1,2})?$ (Euros as a decimal string with at most two decimals, more than zero: "1250", "1250.5", "1250.50". A string, so that no amount passes through a binary floating-point number.)',
      'commitments.jsonl:4: amount: must be more than zero',
      'commitments.jsonl:6: sourceRef: the same commitment (a sourceRef is unique within a domain) as line 5',
      expect.stringMatching(/^commitments\.jsonl:7: committedOn: must not be in the future \(it is /),
      'budgets.jsonl:2: year: the same budget (measureCode and year) as line 1',
      'budgets.jsonl:3: vak: must match ^\\d{1,12}(?:\\.\\d{1,2})?$ (Commitment credit (vastleggingskrediet, VAK) in euros as a decimal string with at most two decimals, zero or more: "1250000", "1250000.5".)',
      'budgets.jsonl:4: year: must be >= 2000',
      'registered-figures.jsonl:1: volumeId: "LDE-V2" is computed from the dossiers (DOSSIERS_RECEIVED), not a registered figure',
      'registered-figures.jsonl:2: volumeId: Volume row of LDE with volumeId "LDE-V9" does not exist',
      'registered-figures.jsonl:3: period: must be the first day of a month, YYYY-MM-01, got "2020-01-15"',
      // The measure decides the domain: there is no such row in its domain.
      'registered-figures.jsonl:4: volumeId: Volume row of ARBEIDSKAARTEN with volumeId "LDE-V1" does not exist',
      'registered-figures.jsonl:5: value: must match ^\\d{1,10}(?:\\.\\d{1,4})?$ (The figure, zero or more, at most four decimals, as a decimal string: "127", "0.8125".)',
      'registered-figures.jsonl:7: period: the same figure (volumeId and period) as line 6',
    ]);
    expect(await counts()).toEqual(before);
  });
});
