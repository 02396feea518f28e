import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inszFor, kboFromBase } from '@measure-graph/subgraph-platform/identifiers';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@measure-graph/db/testing';
import { subgraphs } from '@measure-graph/schema/subgraphs';
import { afterAll, beforeAll } from 'vitest';
import { importDataset, type ImportReport } from '../src/index.ts';
import { migrateSubgraphs } from '../src/databases.ts';

/** Three organisations and three persons with valid numbers. */
export const ORGS = [
  { kboNumber: kboFromBase(3_163_810), name: 'Kringloop Peeters vzw', provinceCode: 'ANT' },
  { kboNumber: kboFromBase(4_031_707), name: 'Groen Maes bv', provinceCode: 'OVL' },
  // Written with separators, as people do: stored as 10 digits.
  {
    kboNumber: kboFromBase(5_550_001).replace(/^(\d{4})(\d{3})(\d{3})$/, '$1.$2.$3'),
    name: 'Zorg Claes cv',
    provinceCode: 'LIM',
  },
];
export const PERSONS = [
  {
    id: 'prs_test0001',
    insz: inszFor('1985-07-30', 33),
    givenName: 'Lotte',
    familyName: 'Peeters',
    birthDate: '1985-07-30',
    provinceCode: 'ANT',
  },
  {
    id: 'prs_test0002',
    insz: inszFor('2001-02-03', 12),
    givenName: 'Wout',
    familyName: 'Maes',
    birthDate: '2001-02-03',
    provinceCode: 'WVL',
  },
  {
    id: 'prs_test0003',
    insz: inszFor('1970-12-01', 998),
    givenName: 'Fien',
    familyName: 'Jacobs',
    birthDate: '1970-12-01',
    provinceCode: 'VBR',
  },
];
export const KBO = ORGS.map((o) => o.kboNumber.replace(/\D/g, ''));

/** A measure of each of three domains (written directly; measures.db.test.ts imports measures.jsonl). */
export const MEASURES = [
  {
    code: 'LDE',
    domain: 'SOCIAL_ECONOMY',
    schema: 'social_economy',
    kinds: ['APPLICATION', 'EXTENSION'],
    complete: false,
  },
  { code: 'ARBEIDSKAARTEN', domain: 'ACTIVATION', schema: 'activation', kinds: ['APPLICATION'], complete: true },
  { code: 'OPLEIDINGSCHEQUES', domain: 'COMPETENCES', schema: 'competences', kinds: ['APPLICATION'], complete: false },
];

/** Provinces, the catalogue and the measure modules, as the subgraphs' seeds write them today. */
export async function writeReferenceData(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO registry.province (code, name) VALUES ('ANT', 'Antwerpen'), ('LIM', 'Limburg'),
         ('OVL', 'Oost-Vlaanderen'), ('VBR', 'Vlaams-Brabant'), ('WVL', 'West-Vlaanderen'),
         ('BRU', 'Brussels Hoofdstedelijk Gewest') ON CONFLICT DO NOTHING`,
    );
    for (const [i, m] of MEASURES.entries()) {
      await client.query(
        `INSERT INTO registry.measure (code, position, name, domain, status, policy_field, objective_code,
                                       objective_heading, report_section)
         VALUES ($1, $2, $1, $3, 'ACTIVE', 'WORK', 'SD1', 'Test', '9.1') ON CONFLICT DO NOTHING`,
        [m.code, i + 1, m.domain],
      );
      await client.query(
        `INSERT INTO "${m.schema}".measure_module (code, dossier_kinds, requires_complete_file) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [m.code, m.kinds, m.complete],
      );
    }
  } finally {
    await client.end();
  }
}

/** The dossiers of the small dataset: every lifecycle path, payments, all three domains. */
export function dossiers(): object[] {
  return [
    // Received only, an organisation applies.
    {
      sourceRef: 'LDE-1',
      measureCode: 'LDE',
      kind: 'APPLICATION',
      channel: 'ONLINE',
      applicantKbo: ORGS[0]!.kboNumber,
      receivedAt: '2021-03-01T09:00',
    },
    // Granted and paid twice.
    {
      sourceRef: 'LDE-2',
      measureCode: 'LDE',
      kind: 'EXTENSION',
      channel: 'PAPER',
      applicantKbo: ORGS[1]!.kboNumber,
      receivedAt: '2021-03-02T09:00',
      events: [
        { type: 'ADMISSIBLE', at: '2021-03-05T10:00' },
        { type: 'GRANTED', at: '2021-03-20T10:00' },
      ],
      payments: [
        {
          kind: 'ADVANCE',
          period: '2021-04-01',
          requestedAt: '2021-04-02T08:00',
          paidAt: '2021-04-10T08:00',
          amount: '1250.5',
        },
        {
          kind: 'BALANCE',
          instalment: 2,
          period: '2021-05-01',
          requestedAt: '2021-05-02T08:00',
          paidAt: '2021-05-10T08:00',
          amount: '0.07',
          fromBudget: false,
        },
      ],
    },
    // A work permit: decided on a complete file only.
    {
      sourceRef: 'AK-1',
      measureCode: 'ARBEIDSKAARTEN',
      kind: 'APPLICATION',
      channel: 'ONLINE',
      applicantKbo: ORGS[2]!.kboNumber,
      receivedAt: '2020-01-10 08:30:00',
      events: [
        { type: 'ADMISSIBLE', at: '2020-01-11T08:00' },
        { type: 'FILE_COMPLETED', at: '2020-01-15T08:00' },
        { type: 'REFUSED', at: '2020-02-01T08:00' },
      ],
    },
    // Persons apply.
    {
      sourceRef: 'OC-1',
      measureCode: 'OPLEIDINGSCHEQUES',
      kind: 'APPLICATION',
      channel: 'ONLINE',
      applicantPersonId: PERSONS[0]!.id,
      receivedAt: '2019-06-01',
      events: [{ type: 'INADMISSIBLE', at: '2019-06-02T12:00' }],
    },
    {
      sourceRef: 'OC-2',
      measureCode: 'OPLEIDINGSCHEQUES',
      kind: 'APPLICATION',
      channel: 'PAPER',
      applicantPersonId: PERSONS[1]!.id,
      receivedAt: '2019-06-03T10:00',
      events: [
        { type: 'ADMISSIBLE', at: '2019-06-03T10:00' },
        { type: 'GRANTED', at: '2019-06-04T10:00' },
      ],
      payments: [
        {
          kind: 'PAYMENT',
          period: '2019-06-01',
          requestedAt: '2019-06-04T10:00',
          paidAt: '2019-06-04T10:00',
          amount: '30',
        },
      ],
    },
  ];
}

/** Writes a dataset folder: file name -> rows (objects become JSON lines, strings are written as they are). */
export function writeDataset(files: Record<string, Array<object | string>>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'measure-graph-import-'));
  for (const [name, rows] of Object.entries(files)) {
    fs.writeFileSync(
      path.join(dir, name),
      rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n',
    );
  }
  return dir;
}

export const smallDataset = () =>
  writeDataset({ 'organisations.jsonl': ORGS, 'persons.jsonl': PERSONS, 'dossiers.jsonl': dossiers() });

/** Row counts of every table the import writes. */
export async function rowCounts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = ['registry.organisation', 'registry.person'];
    for (const schema of ['activation', 'competences', 'social_economy', 'inspection']) {
      tables.push(`${schema}.dossier`, `${schema}.dossier_event`, `${schema}.payment`);
    }
    const { rows } = await client.query(
      tables.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM ${t}`).join(' UNION ALL '),
    );
    return Object.fromEntries(rows.map((r) => [r.t, r.n]));
  } finally {
    await client.end();
  }
}

/** The database of one import test file, with the import and SQL bound to it. */
export interface ImportTestDatabase {
  readonly url: string;
  urlFor: () => string;
  /** Imports the dataset in `dir` into this database. */
  run(dir: string): Promise<ImportReport>;
  /** One statement on a fresh connection (nothing stays open between tests). */
  query<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
}

/**
 * A fresh database for the calling test file (created before its tests, dropped after): every
 * subgraph migrated as the import leaves it, the fixtures' catalogue and parties written
 * (writeReferenceData), then `setup` for what only that file needs.
 */
export function useImportTestDatabase(setup?: (db: ImportTestDatabase) => Promise<void>): ImportTestDatabase {
  let database: TestDatabase | undefined;
  const urlFor = () => database!.url;
  const db: ImportTestDatabase = {
    get url() {
      return urlFor();
    },
    urlFor,
    run: (dir) => importDataset({ dir, urlFor, subgraphs }),
    async query(sql, params = []) {
      const client = new pg.Client({ connectionString: urlFor() });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows;
      } finally {
        await client.end();
      }
    },
  };
  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateSubgraphs(subgraphs, urlFor, true);
    await writeReferenceData(urlFor());
    await setup?.(db);
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
  });
  return db;
}

/** A measure of `domain` beside the fixtures' catalogue, with a module taking applications. */
export async function addTestMeasure(db: ImportTestDatabase, code: string, domain: string, position: number) {
  await db.query(
    `INSERT INTO registry.measure (code, position, name, domain, status, policy_field, objective_code,
                                   objective_heading, report_section)
     VALUES ($1, $2, $1, $3, 'ACTIVE', 'WORK', 'SD1', 'Test', '9.1')`,
    [code, position, domain.toUpperCase().replace(/-/g, '_')],
  );
  await db.query(
    `INSERT INTO "${domain.replace(/-/g, '_')}".measure_module (code, dossier_kinds, requires_complete_file)
     VALUES ($1, '{APPLICATION}', false)`,
    [code],
  );
}
