import { createTestDatabase, type TestDatabase } from '@measure-graph/db/testing';
import { subgraphs } from '@measure-graph/schema/subgraphs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeasureLine } from '../src/catalogue.ts';
import { importDataset, formatRowError, type ImportReport } from '../src/index.ts';
import { migrateSubgraphs } from '../src/databases.ts';
import { writeDataset } from './fixtures.ts';

let db: TestDatabase;
const urlFor = () => db.url;
const run = (lines: Array<object | string>): Promise<ImportReport> =>
  importDataset({ dir: writeDataset({ 'measures.jsonl': lines }), urlFor, subgraphs });

async function query<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const measure = (code: string, position: number, domain: string, extra: Partial<MeasureLine> = {}): MeasureLine => ({
  code,
  position,
  name: `Measure ${code}`,
  domain,
  status: 'ACTIVE',
  policyField: 'WORK',
  objective: { code: 'SD1', heading: 'Work' },
  budgetArticle: null,
  reportSection: '2.1',
  dossierKinds: ['APPLICATION', 'EXTENSION'],
  requiresCompleteFile: false,
  cardRows: [
    { id: `${code}-V1`, label: 'Aantal ontvangen dossiers', metric: 'DOSSIERS_RECEIVED', unit: 'COUNT' },
    {
      id: `${code}-V2`,
      label: 'Aantal afgehandelde dossiers',
      metric: 'DOSSIERS_HANDLED',
      unit: 'COUNT',
      kinds: ['APPLICATION'],
      eventTypes: ['GRANTED', 'REFUSED'],
    },
  ],
  norms: [
    {
      id: `${code}-1`,
      label: 'Beslissing binnen 30 dagen',
      stage: 'DECISION',
      kind: 'LEGAL',
      targetShare: 0.9,
      thresholdDays: 30,
      overviewRowId: `OV-${code}`,
      endTypes: ['GRANTED', 'REFUSED'],
      clock: 'RECEIVED',
      rule: { type: 'WITHIN_DAYS', days: 30 },
    },
    {
      id: `${code}-2`,
      label: 'Betaling binnen 2 maanden',
      stage: 'PAYMENT',
      kind: 'INTERNAL',
      targetShare: null,
      endTypes: ['PAID'],
      clock: 'REQUESTED',
      rule: { type: 'WITHIN_MONTHS', months: 2 },
      kinds: ['ADVANCE'],
    },
  ],
  ...extra,
});

const CATALOGUE = [measure('TEST_SE', 1, 'SOCIAL_ECONOMY'), measure('TEST_ACT', 2, 'ACTIVATION')];

beforeAll(async () => {
  db = await createTestDatabase();
  await migrateSubgraphs(subgraphs, urlFor, true);
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

describe('measures.jsonl', () => {
  it('writes the catalogue into the registry, the domains and inspection', async () => {
    const report = await run(CATALOGUE);
    expect(report.files.map((f) => [f.file, f.loaded, f.errors])).toEqual([['measures.jsonl', true, []]]);
    expect(report.files[0]!.counts).toEqual({
      inserted: 2,
      updated: 0,
      unchanged: 0,
      cardRowsWritten: 4,
      normsWritten: 4,
    });
    expect(await query('SELECT code, position, domain FROM registry.measure ORDER BY position')).toEqual([
      { code: 'TEST_SE', position: 1, domain: 'SOCIAL_ECONOMY' },
      { code: 'TEST_ACT', position: 2, domain: 'ACTIVATION' },
    ]);
    expect(await query('SELECT id, position, overview_row_id FROM registry.norm_index ORDER BY id')).toHaveLength(4);
    expect(await query('SELECT code, dossier_kinds FROM social_economy.measure_module')).toEqual([
      { code: 'TEST_SE', dossier_kinds: ['APPLICATION', 'EXTENSION'] },
    ]);
    expect(await query('SELECT id, end_types, clock, rule, kinds FROM activation.norm ORDER BY id')).toEqual([
      {
        id: 'TEST_ACT-1',
        end_types: ['GRANTED', 'REFUSED'],
        clock: 'RECEIVED',
        rule: { type: 'WITHIN_DAYS', days: 30 },
        kinds: null,
      },
      {
        id: 'TEST_ACT-2',
        end_types: ['PAID'],
        clock: 'REQUESTED',
        rule: { type: 'WITHIN_MONTHS', months: 2 },
        kinds: ['ADVANCE'],
      },
    ]);
    expect(await query('SELECT id, kinds, event_types FROM social_economy.volume_definition ORDER BY id')).toEqual([
      { id: 'TEST_SE-V1', kinds: null, event_types: null },
      { id: 'TEST_SE-V2', kinds: ['APPLICATION'], event_types: ['GRANTED', 'REFUSED'] },
    ]);
    expect(await query('SELECT code, domain FROM inspection.measure_catalogue ORDER BY code')).toEqual([
      { code: 'TEST_ACT', domain: 'ACTIVATION' },
      { code: 'TEST_SE', domain: 'SOCIAL_ECONOMY' },
    ]);
  });

  it('is idempotent, and a changed line updates its measure, reordering its norms', async () => {
    expect((await run(CATALOGUE)).files[0]!.counts).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: 2,
      cardRowsWritten: 0,
      normsWritten: 0,
    });
    const [se, act] = CATALOGUE as [MeasureLine, MeasureLine];
    const changed = [
      { ...act, position: 1 },
      { ...se, position: 2, name: 'Renamed', norms: [...se.norms].reverse() },
    ];
    const report = await run(changed);
    expect(report.files[0]!.counts).toEqual({
      inserted: 0,
      updated: 2,
      unchanged: 0,
      cardRowsWritten: 0,
      normsWritten: 2,
    });
    expect(await query(`SELECT id, position FROM social_economy.norm ORDER BY position`)).toEqual([
      { id: 'TEST_SE-2', position: 1 },
      { id: 'TEST_SE-1', position: 2 },
    ]);
    expect(await query(`SELECT code, name FROM registry.measure ORDER BY position`)).toEqual([
      { code: 'TEST_ACT', name: 'Measure TEST_ACT' },
      { code: 'TEST_SE', name: 'Renamed' },
    ]);
  });

  it('refuses the whole file for a bad line, with line, field and reason', async () => {
    const bad = measure('TEST_BAD', 3, 'COMPETENCES');
    bad.norms[0]!.rule = { type: 'WITHIN_DAYS', days: -3 };
    bad.norms[1]!.kinds = ['CONTINGENT'];
    const moved = measure('TEST_SE', 4, 'ACTIVATION');
    const report = await run([bad, moved, { ...measure('TEST_X', 3, 'INSPECTION'), status: 'GONE' }, 'not json']);
    expect(report.ok).toBe(false);
    expect(report.files[0]!.errors.map(formatRowError)).toEqual([
      'measures.jsonl:1: norms[0].rule.days: must be a number above 0: the norm results cannot evaluate this rule',
      expect.stringMatching(/^measures.jsonl:1: norms\[1\].kinds: CONTINGENT: not one of payment kinds/),
      'measures.jsonl:3: status: must be one of "ACTIVE", "PHASING_OUT", "REFORM"',
      expect.stringMatching(/^measures.jsonl:4: \(row\): is not valid JSON/),
    ]);
    // Only the checks that need no database ran; the domain move is refused on its own.
    const domainMove = await run([moved]);
    expect(domainMove.files[0]!.errors.map(formatRowError)).toEqual([
      'measures.jsonl:1: domain: TEST_SE is a measure of SOCIAL_ECONOMY already: its module and dossiers are there, it cannot move',
    ]);
    expect(await query(`SELECT count(*)::int AS n FROM registry.measure`)).toEqual([{ n: 2 }]);
    expect(await query(`SELECT count(*)::int AS n FROM competences.measure_module`)).toEqual([{ n: 0 }]);
  });
});
