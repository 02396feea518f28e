import {
  DOSSIER_DOMAINS,
  generateDossiers,
  generateInspections,
  generateOrganisations,
  inspectionLines,
  measureLines,
  moneyLines,
} from '@measure-graph/demo-data';
import { publishedMeasures } from '@measure-graph/db';
import { createTestDatabase, type TestDatabase } from '@measure-graph/db/testing';
import { subgraphs } from '@measure-graph/schema/subgraphs';
import { domainEntry } from '@measure-graph/subgraph-platform/domains';
import { migrateSubgraph } from '@measure-graph/subgraph-platform';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataset } from '../src/index.ts';
import { writeDataset } from './fixtures.ts';

/**
 * The generated small dataset's commitments, budgets, registered figures and inspections, imported
 * into a database with the subgraphs' reference data, are the rows the demo seed writes (the seed
 * inserts the generator's rows as they are: seedDossiers, seedInspections).
 */

let db: TestDatabase;
let client: pg.Client;
const query = async (sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows;

beforeAll(async () => {
  db = await createTestDatabase();
  // Migrations and static reference data (control domains); the catalogue comes with the dataset.
  for (const def of subgraphs) await migrateSubgraph(def, { databaseUrl: db.url });
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
}, 300_000);

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

describe('the generated dataset’s money and inspections, imported', () => {
  it('are the rows the demo seed writes', async () => {
    const money = DOSSIER_DOMAINS.map((d) => moneyLines(d, 'small'));
    const dir = writeDataset({
      'measures.jsonl': [...measureLines()],
      'organisations.jsonl': generateOrganisations().map((o) => ({
        kboNumber: o.kboNumber,
        name: o.name,
        provinceCode: o.provinceCode,
      })),
      'commitments.jsonl': money.flatMap((m) => m.commitments),
      'budgets.jsonl': money.flatMap((m) => m.budgets),
      'registered-figures.jsonl': money.flatMap((m) => m.registeredFigures),
      'inspections.jsonl': [...inspectionLines()],
    });
    const report = await importDataset({ dir, urlFor: () => db.url, subgraphs });
    expect(report.files.map((f) => [f.file, f.loaded, f.errors.slice(0, 3)])).toEqual([
      ['measures.jsonl', true, []],
      ['organisations.jsonl', true, []],
      ['commitments.jsonl', true, []],
      ['budgets.jsonl', true, []],
      ['registered-figures.jsonl', true, []],
      ['inspections.jsonl', true, []],
    ]);

    let commitments = 0;
    for (const domain of DOSSIER_DOMAINS) {
      const s = domainEntry(domain).schema;
      const rows = generateDossiers(
        publishedMeasures().filter((m) => m.domain === domain),
        'small',
      );
      commitments += rows.commitments.length;
      const sorted = <T>(list: T[]) => list.map((r) => JSON.stringify(r)).sort();
      expect(
        sorted(
          await query(`SELECT measure_code, committed_on::text AS d, amount_cents::text AS c FROM "${s}".commitment`),
        ),
      ).toEqual(sorted(rows.commitments.map(([m, d, c]) => ({ measure_code: m, d, c: String(c) }))));
      expect(
        sorted(
          await query(
            `SELECT measure_code, year, vak_cents::text AS vak, vek_cents::text AS vek FROM "${s}".budget_plan`,
          ),
        ),
      ).toEqual(
        sorted(
          rows.budgets.map(([m, year, vak, vek]) => ({
            measure_code: m,
            year,
            vak: vak === null ? null : String(vak),
            vek: vek === null ? null : String(vek),
          })),
        ),
      );
      // The seed passes the generator's numbers to numeric(14, 4) as they are: compare with that.
      const seeded = await query(
        `SELECT v AS volume_id, p::text AS period, x::numeric(14, 4)::text AS value
           FROM unnest($1::text[], $2::date[], $3::numeric[]) AS r (v, p, x)`,
        [rows.registered.map((r) => r[0]), rows.registered.map((r) => r[1]), rows.registered.map((r) => r[2])],
      );
      expect(
        sorted(
          await query(`SELECT volume_id, period::text AS period, value::text AS value FROM "${s}".registered_figure`),
        ),
      ).toEqual(sorted(seeded));
    }
    expect(commitments).toBeGreaterThan(100);

    const inspections = generateInspections();
    const imported = await query(
      `SELECT substr(source_ref, 5)::int AS id, kbo, domain_code, measure_code, inspected_on::text AS on, kind, unit,
              outcome, proposed_recovery_cents::text AS recovery, follow_up, follow_up_on::text AS follow_up_on,
              outcome_recorded_on::text AS recorded
         FROM inspection.inspection ORDER BY 1`,
    );
    expect(imported.map((r) => Object.values(r))).toEqual(
      inspections.inspections.map((r) => r.map((v) => (typeof v === 'bigint' ? String(v) : v))),
    );
    const findings = await query(
      `SELECT substr(i.source_ref, 5)::int AS id, f.rule_code, f.description
         FROM inspection.inspection_finding f JOIN inspection.inspection i ON i.id = f.inspection_id
        ORDER BY 1, f.id`,
    );
    expect(findings.map((r) => Object.values(r))).toEqual(inspections.findings);
  }, 300_000);
});
