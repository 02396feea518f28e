import { withIndexesBuiltAfter, type PublishedMeasure } from '@measure-graph/db';
import type { DataSource, EntityManager } from 'typeorm';
import { generateDossiers, type SeedProfile } from './dossier-generator.ts';
import { EVENT_COPIED_COLUMNS } from '@measure-graph/measure-module/migrations';

export { generateDossiers, SEED_YEARS, splitExactly, type SeedProfile } from './dossier-generator.ts';

async function insertChunks<T extends unknown[]>(
  em: EntityManager,
  rows: T[],
  sql: string,
  types: string[],
): Promise<void> {
  const CHUNK = 20_000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await em.query(
      sql,
      types.map((_, c) => chunk.map((r) => r[c])),
    );
  }
}

/** The dossiers, their events and payments (events and payments copy columns of their dossier). */
async function insertDossiers(em: EntityManager, schema: string, rows: ReturnType<typeof generateDossiers>) {
  await insertChunks(
    em,
    rows.dossiers,
    `INSERT INTO "${schema}".dossier (id, measure_code, kind, channel, applicant_kbo, applicant_person_id, status,
                                      received_at, completed_at, reference_date)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                          $8::timestamp[], $9::timestamp[], $10::date[])`,
    ['id', 'measure', 'kind', 'channel', 'kbo', 'person', 'status', 'received', 'completed', 'reference'],
  );
  await insertChunks(
    em,
    rows.events,
    `INSERT INTO "${schema}".dossier_event (dossier_id, type, occurred_at, ${EVENT_COPIED_COLUMNS})
     SELECT e.*, ${EVENT_COPIED_COLUMNS.replace(/(\w+)/g, 'd.$1')}
       FROM unnest($1::bigint[], $2::text[], $3::timestamp[]) AS e (dossier_id, type, occurred_at)
       JOIN "${schema}".dossier d ON d.id = e.dossier_id`,
    ['dossier', 'type', 'at'],
  );
  await insertChunks(
    em,
    rows.payments,
    `INSERT INTO "${schema}".payment (dossier_id, kind, instalment, period, requested_at, paid_at, amount_cents, from_budget,
                                      measure_code, channel)
     SELECT p.*, d.measure_code, d.channel
       FROM unnest($1::bigint[], $2::text[], $3::int[], $4::date[], $5::timestamp[], $6::timestamp[], $7::bigint[], $8::boolean[])
         AS p (dossier_id, kind, instalment, period, requested_at, paid_at, amount_cents, from_budget)
       JOIN "${schema}".dossier d ON d.id = p.dossier_id`,
    ['dossier', 'kind', 'instalment', 'period', 'requested', 'paid', 'amount', 'budget'],
  );
}

/**
 * On a domain without dossiers, the generated dossiers, events, payments, commitments, budgets and
 * registered figures (demo data; the working days are reference data, see seedMeasureModules).
 */
export async function seedDossiers(
  ds: DataSource,
  schema: string,
  measures: PublishedMeasure[],
  profile: SeedProfile,
): Promise<void> {
  const hasDossiers = async (q: Pick<EntityManager, 'query'>) =>
    (await q.query(`SELECT EXISTS (SELECT 1 FROM "${schema}".dossier) AS present`))[0].present as boolean;
  if (await hasDossiers(ds)) return;
  // Generated before the transaction opens: on the embedded database an open transaction holds its
  // one session, and the other subgraphs' seeds would wait for the generation too.
  const rows = generateDossiers(measures, profile);
  const inserted = await ds.transaction(async (em) => {
    if (await hasDossiers(em)) return false;
    // An initial load: the dossier, event and payment indexes are built once at the end.
    await withIndexesBuiltAfter(
      (sql, params) => em.query(sql, params),
      schema,
      ['dossier', 'dossier_event', 'payment'],
      () => insertDossiers(em, schema, rows),
    );
    await insertChunks(
      em,
      rows.commitments,
      `INSERT INTO "${schema}".commitment (measure_code, committed_on, amount_cents)
       SELECT * FROM unnest($1::text[], $2::date[], $3::bigint[])`,
      ['measure', 'date', 'amount'],
    );
    await insertChunks(
      em,
      rows.budgets,
      `INSERT INTO "${schema}".budget_plan (measure_code, year, vak_cents, vek_cents)
       SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::bigint[])`,
      ['measure', 'year', 'vak', 'vek'],
    );
    await insertChunks(
      em,
      rows.registered,
      `INSERT INTO "${schema}".registered_figure (volume_id, period, value)
       SELECT * FROM unnest($1::text[], $2::date[], $3::numeric[])`,
      ['volume', 'period', 'value'],
    );
    // Explicit ids were used; later inserts (mutations) continue after them.
    await em.query(
      `SELECT setval(pg_get_serial_sequence('"${schema}".dossier', 'id'), (SELECT max(id) FROM "${schema}".dossier))`,
    );
    return true;
  });
  if (!inserted) return;
  // Fresh statistics and visibility map after the bulk load: plans and index-only scans from the start.
  for (const table of ['dossier', 'dossier_event', 'payment', 'commitment'])
    await ds.query(`VACUUM ANALYZE "${schema}".${table}`);
}
