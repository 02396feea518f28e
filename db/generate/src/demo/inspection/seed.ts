import type { DataSource } from 'typeorm';
import { generateInspections } from './generate.ts';

const S = 'inspection';

/**
 * Generated demo data: the 2019-2020 inspections that reproduce the VSI table, on a database
 * without inspections only (later records are kept on restart). Runs after the reference seed
 * (reference.ts), which gives the control domains.
 */
export async function seedInspections(ds: DataSource): Promise<void> {
  await ds.transaction(async (em) => {
    const [{ present }] = await em.query(`SELECT EXISTS (SELECT 1 FROM ${S}.inspection) AS present`);
    if (present) return;
    const rows = generateInspections();
    const columns = <T extends unknown[]>(list: T[], n: number) =>
      Array.from({ length: n }, (_, c) => list.map((r) => r[c]));
    await em.query(
      `INSERT INTO ${S}.inspection (id, kbo, domain_code, measure_code, inspected_on, kind, unit, outcome,
                                    proposed_recovery_cents, follow_up, follow_up_on, outcome_recorded_on)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[], $7::text[], $8::text[],
                            $9::bigint[], $10::text[], $11::date[], $12::date[])`,
      columns(rows.inspections, 12).map((col, c) => (c === 8 ? col.map((v) => (v === null ? null : String(v))) : col)),
    );
    await em.query(
      `INSERT INTO ${S}.inspection_finding (inspection_id, rule_code, description)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[])`,
      columns(rows.findings, 3),
    );
    await em.query(
      `SELECT setval(pg_get_serial_sequence('${S}.inspection', 'id'), (SELECT max(id) FROM ${S}.inspection))`,
    );
  });
}
