import type { Database } from '../databases.ts';
import type { ErrorCollector } from '../report.ts';

/**
 * Runs `work` in one transaction on each of the databases (once per distinct connection) and
 * commits only when it returns true; it rolls back on false or on an error. The commits follow one
 * another: with the domains in separate databases a failure between two commits (the server gone)
 * leaves the first written, which re-importing repairs (docs/data-format.md).
 */
export async function inTransaction(databases: readonly Database[], work: () => Promise<boolean>): Promise<boolean> {
  const unique = [...new Set(databases)];
  for (const db of unique) await db.client.query('BEGIN');
  const rollback = async () => {
    for (const db of unique) await db.client.query('ROLLBACK').catch(() => undefined);
  };
  let commit: boolean;
  try {
    commit = await work();
  } catch (err) {
    await rollback();
    throw err;
  }
  if (!commit) {
    await rollback();
    return false;
  }
  for (const db of unique) await db.client.query('COMMIT');
  return true;
}

/** A row a database check found: its line, the field and what the reason is made of. */
export interface CheckedRow {
  line: number;
  field: string;
  value: string | null;
  detail: string | null;
}

/**
 * One set-based check: `sql` selects `line, field, value, detail` of the refused rows (text, any
 * order). The first rows by line (as many as the report lists) are turned into errors with
 * `reason`; all of them are counted.
 */
export async function check(
  db: Database,
  errors: ErrorCollector,
  sql: string,
  params: unknown[],
  reason: (row: CheckedRow) => string,
): Promise<void> {
  const { rows } = await db.client.query<CheckedRow & { total: number }>(
    `SELECT line, field, value, detail, count(*) OVER ()::int AS total
       FROM (${sql}) refused (line, field, value, detail) ORDER BY line LIMIT ${errors.limit}`,
    params,
  );
  if (rows.length === 0) return;
  errors.addChecked(
    rows.map((r) => ({ line: r.line, field: r.field, reason: reason(r) })),
    rows[0]!.total,
  );
}

/** Counts of an upsert's RETURNING (xmax = 0) AS inserted: rows inserted and rows changed. */
export const UPSERT_COUNTS = `count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated`;
