import { createTestDatabase } from '@measure-graph/db/testing';
import { subgraphs } from '@measure-graph/schema/subgraphs';
import { describe, expect, it } from 'vitest';
import { CannotRunError, importDataset } from '../src/index.ts';
import {
  dossiers,
  KBO,
  ORGS,
  PERSONS,
  rowCounts,
  smallDataset,
  writeDataset,
  useImportTestDatabase,
} from './fixtures.ts';

const db = useImportTestDatabase();
const { run, query, urlFor } = db;

describe('data:import', () => {
  it('imports a small dataset into the registry and three domains', async () => {
    const report = await run(smallDataset());
    expect(report.files.map((f) => [f.file, f.loaded, f.errors])).toEqual([
      ['organisations.jsonl', true, []],
      ['persons.jsonl', true, []],
      ['dossiers.jsonl', true, []],
    ]);
    expect(report.files[2]!.counts).toMatchObject({ inserted: 5, updated: 0, eventsWritten: 13, paymentsWritten: 3 });

    expect(await rowCounts(db.url)).toMatchObject({
      'registry.organisation': 3,
      'registry.person': 3,
      'social_economy.dossier': 2,
      'social_economy.dossier_event': 4,
      'social_economy.payment': 2,
      'activation.dossier': 1,
      'activation.dossier_event': 4,
      'competences.dossier': 2,
      'competences.dossier_event': 5,
      'competences.payment': 1,
      'inspection.dossier': 0,
    });
    // Stored as the mutations store them: KBO without separators, INSZ as 11 digits, cents exact.
    expect(
      (await query('SELECT kbo_number FROM registry.organisation ORDER BY kbo_number')).map((r) => r.kbo_number),
    ).toEqual([...KBO].sort());
    expect(await query('SELECT insz FROM registry.person WHERE id = $1', [PERSONS[1]!.id])).toEqual([
      { insz: PERSONS[1]!.insz },
    ]);
    const [granted] = await query(
      `SELECT d.status, d.applicant_kbo, d.reference_date::text AS reference_date,
              array_agg(p.amount_cents::text || ':' || p.from_budget ORDER BY p.paid_at) AS payments
         FROM social_economy.dossier d JOIN social_economy.payment p ON p.dossier_id = d.id
        WHERE d.source_ref = 'LDE-2' GROUP BY d.id`,
    );
    expect(granted).toEqual({
      status: 'GRANTED',
      applicant_kbo: KBO[1],
      reference_date: '2021-03-02',
      payments: ['125050:true', '7:false'],
    });
    // Events carry their dossier's columns; completed_at from the completion on.
    const permit = await query(
      `SELECT e.type, to_char(e.completed_at, 'YYYY-MM-DD') AS completed, e.measure_code, e.kind, e.channel
         FROM activation.dossier_event e JOIN activation.dossier d ON d.id = e.dossier_id
        WHERE d.source_ref = 'AK-1' ORDER BY e.occurred_at`,
    );
    expect(permit.map((e) => [e.type, e.completed])).toEqual([
      ['RECEIVED', null],
      ['ADMISSIBLE', null],
      ['FILE_COMPLETED', '2020-01-15'],
      ['REFUSED', '2020-01-15'],
    ]);
    expect(
      permit.every((e) => e.measure_code === 'ARBEIDSKAARTEN' && e.kind === 'APPLICATION' && e.channel === 'ONLINE'),
    ).toBe(true);
    expect(
      await query(`SELECT status, completed_at::text AS c FROM activation.dossier WHERE source_ref = 'AK-1'`),
    ).toEqual([{ status: 'REFUSED', c: '2020-01-15 08:00:00' }]);
  });

  /** Each dossier's change tracking (docs/bi.md, "Incremental refresh"), by source reference. */
  const changeTracking = async () =>
    Object.fromEntries(
      (
        await query(
          `SELECT source_ref, change_xid::text || ' ' || updated_at::text AS stamp FROM social_economy.dossier
            UNION ALL SELECT source_ref, change_xid::text || ' ' || updated_at::text FROM competences.dossier`,
        )
      ).map((r) => [r.source_ref, r.stamp]),
    );

  it('importing the same dataset again leaves the same rows (and ids)', async () => {
    const before = await rowCounts(db.url);
    const tracked = await changeTracking();
    const ids = await query(`SELECT id, type FROM social_economy.dossier_event ORDER BY id`);
    const report = await run(smallDataset());
    expect(report.ok).toBe(true);
    expect(report.files.map((f) => f.counts)).toEqual([
      { inserted: 0, updated: 0, unchanged: 3 },
      { inserted: 0, updated: 0, unchanged: 3 },
      {
        inserted: 0,
        updated: 0,
        unchanged: 5,
        eventsWritten: 0,
        eventsRemoved: 0,
        paymentsWritten: 0,
        paymentsRemoved: 0,
      },
    ]);
    expect(await rowCounts(db.url)).toEqual(before);
    expect(await query(`SELECT id, type FROM social_economy.dossier_event ORDER BY id`)).toEqual(ids);
    // Nothing written, so nothing changed for an incremental pull either.
    expect(await changeTracking()).toEqual(tracked);
  });

  it('a changed row updates its record by natural key, without duplicates', async () => {
    const before = await rowCounts(db.url);
    const tracked = await changeTracking();
    const changed = dossiers();
    // LDE-1 is now admissible and granted, and paid once.
    Object.assign(changed[0]!, {
      events: [
        { type: 'ADMISSIBLE', at: '2021-03-02T09:00' },
        { type: 'GRANTED', at: '2021-03-03T09:00' },
      ],
      payments: [
        {
          kind: 'ADVANCE',
          period: '2021-03-01',
          requestedAt: '2021-03-04T09:00',
          paidAt: '2021-03-05T09:00',
          amount: '99.99',
        },
      ],
    });
    // LDE-2's balance was 0.08, not 0.07.
    (changed[1] as any).payments[1].amount = '0.08';
    const dir = writeDataset({
      'organisations.jsonl': [{ ...ORGS[0]!, name: 'Kringloop Peeters en Zonen vzw' }],
      'dossiers.jsonl': changed,
    });
    const report = await run(dir);
    expect(report.ok).toBe(true);
    expect(report.files[0]!.counts).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    expect(report.files[1]!.counts).toMatchObject({
      inserted: 0,
      updated: 1,
      eventsWritten: 2,
      eventsRemoved: 0,
      paymentsWritten: 2,
      paymentsRemoved: 1,
    });
    expect(await rowCounts(db.url)).toEqual({
      ...before,
      'social_economy.dossier_event': before['social_economy.dossier_event']! + 2,
      'social_economy.payment': before['social_economy.payment']! + 1,
    });
    expect(await query(`SELECT name FROM registry.organisation WHERE kbo_number = $1`, [KBO[0]])).toEqual([
      { name: 'Kringloop Peeters en Zonen vzw' },
    ]);
    expect(await query(`SELECT status FROM social_economy.dossier WHERE source_ref = 'LDE-1'`)).toEqual([
      { status: 'GRANTED' },
    ]);
    // LDE-1 changed itself; LDE-2 only through a replaced payment, which changes its dossier too.
    const after = await changeTracking();
    const changedRefs = Object.keys(after).filter((ref) => after[ref] !== tracked[ref]);
    expect(changedRefs.sort()).toEqual(['LDE-1', 'LDE-2']);
  });

  it('refuses a file with three bad rows: three precise errors, no row of it written', async () => {
    const before = await rowCounts(db.url);
    const rows = dossiers().map((d) => ({ ...d, sourceRef: `NEW-${(d as any).sourceRef}` }));
    // Line 2: a withdrawal of a recognition that was never granted.
    Object.assign(rows[1]!, { events: [{ type: 'WITHDRAWN', at: '2021-03-20T10:00' }] });
    // Line 3: the permit's KBO number has a wrong check digit.
    const bad = KBO[2]!.slice(0, 9) + String((Number(KBO[2]!.at(-1)) + 1) % 10);
    Object.assign(rows[2]!, { applicantKbo: bad });
    // Line 5: paid before it was granted.
    (rows[4] as any).payments[0].requestedAt = '2019-06-01T10:00';
    const report = await run(writeDataset({ 'dossiers.jsonl': rows }));
    expect(report.ok).toBe(false);
    const [file] = report.files;
    expect(file!.loaded).toBe(false);
    expect(file!.errorCount).toBe(3);
    expect(file!.errors).toEqual([
      {
        file: 'dossiers.jsonl',
        line: 2,
        field: 'events[0].type',
        reason: 'A dossier that is RECEIVED cannot have WITHDRAWN; only a dossier that is GRANTED',
      },
      {
        file: 'dossiers.jsonl',
        line: 3,
        field: 'applicantKbo',
        reason: `"${bad}" is not a valid KBO number (10 digits with a mod-97 check)`,
      },
      {
        file: 'dossiers.jsonl',
        line: 5,
        field: 'payments[0].requestedAt',
        reason: 'must not be before the dossier was granted (2019-06-04 10:00:00)',
      },
    ]);
    expect(await rowCounts(db.url)).toEqual(before);
    expect(await query(`SELECT count(*)::int AS n FROM social_economy.dossier WHERE source_ref LIKE 'NEW-%'`)).toEqual([
      { n: 0 },
    ]);
  });

  it('refuses dossiers whose applicant, measure or kind the database does not know', async () => {
    const before = await rowCounts(db.url);
    const unknownKbo = '0999999999'.slice(0, 8);
    const { kboFromBase } = await import('@measure-graph/subgraph-platform/identifiers');
    const stranger = kboFromBase(Number(unknownKbo));
    const rows = [
      { ...(dossiers()[0] as object), sourceRef: 'X-1', applicantKbo: stranger },
      { ...(dossiers()[3] as object), sourceRef: 'X-2', applicantPersonId: 'prs_nobody' },
      { ...(dossiers()[0] as object), sourceRef: 'X-3', kind: 'CONTINGENT' },
      { ...(dossiers()[0] as object), sourceRef: 'X-4', measureCode: 'NO_SUCH_MEASURE' },
      // The permit decided without a complete file.
      {
        ...(dossiers()[2] as object),
        sourceRef: 'X-5',
        events: [
          { type: 'ADMISSIBLE', at: '2020-01-11T08:00' },
          { type: 'GRANTED', at: '2020-01-12T08:00' },
        ],
      },
      { ...(dossiers()[0] as object), sourceRef: 'X-1' },
    ];
    const report = await run(writeDataset({ 'dossiers.jsonl': rows }));
    expect(report.files[0]!.errors.map((e) => [e.line, e.field, e.reason])).toEqual([
      [1, 'applicantKbo', `Organisation with applicantKbo "${stranger}" does not exist`],
      [2, 'applicantPersonId', 'Person with applicantPersonId "prs_nobody" does not exist'],
      [3, 'kind', 'must be one of APPLICATION, EXTENSION for LDE, got "CONTINGENT"'],
      [4, 'measureCode', 'Measure with measureCode "NO_SUCH_MEASURE" does not exist'],
      [
        5,
        'events',
        'The file is not complete: ARBEIDSKAARTEN decides on a complete file only, FILE_COMPLETED must come before the decision',
      ],
      [6, 'sourceRef', 'the same dossier as line 1 (a sourceRef is unique within a domain)'],
    ]);
    expect(await rowCounts(db.url)).toEqual(before);
  });

  it('reports schema errors with their field, and every file on its own', async () => {
    const report = await run(
      writeDataset({
        'organisations.jsonl': [
          { kboNumber: KBO[0], name: 'Same', provinceCode: 'ANT' },
          '{"kboNumber": "0403170701", "name": "x",',
          { kboNumber: KBO[1], provinceCode: 'XX', extra: 1 },
          { kboNumber: KBO[0], name: 'Twice', provinceCode: 'ANT' },
          { kboNumber: KBO[2], name: 'Province unknown', provinceCode: 'ZZZ' },
        ],
        'persons.jsonl': [
          { ...PERSONS[0]!, birthDate: '2021-02-29' },
          { ...PERSONS[1]!, id: 'prs_other', givenName: 'Other' },
        ],
      }),
    );
    expect(report.files[0]!.errors.map((e) => [e.line, e.field, e.reason.replace(/:.*/s, ':')])).toEqual([
      [2, '(row)', 'is not valid JSON:'],
      [3, 'name', 'is required'],
      [3, 'extra', 'is not a field of this file (see its JSON Schema)'],
      [4, 'kboNumber', 'the same organisation as line 1'],
      [5, 'provinceCode', 'Province with provinceCode "ZZZ" does not exist'],
    ]);
    // The national number is personal data: no message repeats it.
    expect(report.files[1]!.errors).toEqual([
      { file: 'persons.jsonl', line: 1, field: 'birthDate', reason: 'must be a real calendar date YYYY-MM-DD' },
      {
        file: 'persons.jsonl',
        line: 2,
        field: 'insz',
        reason: `the national number of person ${PERSONS[1]!.id} of the registry`,
      },
    ]);
    expect(JSON.stringify(report)).not.toContain(PERSONS[1]!.insz);
  });

  it('refuses a NUL character, which PostgreSQL text cannot hold', async () => {
    const report = await run(
      writeDataset({ 'organisations.jsonl': [{ kboNumber: KBO[0], name: 'Nul\u0000', provinceCode: 'ANT' }] }),
    );
    expect(report.files[0]!.errors.map((e) => [e.line, e.field])).toEqual([[1, '(row)']]);
  });

  it('with migrate: false, refuses to run on a database with pending migrations', async () => {
    const fresh = await createTestDatabase();
    try {
      await expect(
        importDataset({ dir: smallDataset(), urlFor: () => fresh.url, subgraphs, migrate: false }),
      ).rejects.toThrow(
        new CannotRunError(
          'the registry schema has pending migrations: start the subgraph once, or import without --no-migrate',
        ),
      );
      // On the migrated database it runs.
      expect((await importDataset({ dir: smallDataset(), urlFor, subgraphs, migrate: false })).ok).toBe(true);
    } finally {
      await fresh.drop();
    }
  });

  it('lists at most the error limit, and counts them all', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => ({
      kboNumber: '0000000000',
      name: `Org ${i}`,
      provinceCode: 'ANT',
    }));
    const report = await importDataset({
      dir: writeDataset({ 'organisations.jsonl': rows }),
      urlFor,
      subgraphs,
      errorLimit: 100,
    });
    expect(report.files[0]!.errorCount).toBe(250);
    expect(report.files[0]!.errors).toHaveLength(100);
    expect(report.files[0]!.errors.at(-1)!.line).toBe(100);
  });
});
