import { badInput } from '@measure-graph/errors';

/**
 * Where an incremental pull resumes: after the row written last by transaction `xid` with this id,
 * in change order (change_xid, id). Transaction ids are 64-bit (xid8) and never wrap.
 */
export interface ChangeWatermark {
  xid: string;
  id: string;
}

/** Before every change: where a first pull (`changedAfter: ""`) starts. Ids are positive. */
export const START_WATERMARK: ChangeWatermark = { xid: '0', id: '0' };

/**
 * The watermark a client sent: "" for the start, else one this graph returned (opaque: base64url of
 * the pair). Anything else is BAD_USER_INPUT naming the field.
 */
export function decodeWatermark(value: string, field: string): ChangeWatermark {
  if (value === '') return START_WATERMARK;
  try {
    const parts: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (
      Array.isArray(parts) &&
      parts.length === 2 &&
      parts.every((p) => typeof p === 'string' && /^[0-9]{1,20}$/.test(p))
    ) {
      return { xid: parts[0] as string, id: parts[1] as string };
    }
  } catch {
    // fall through to the coded error
  }
  throw badInput(`${field} is not a watermark of this list: pass "" or a watermark the list returned`, field);
}

export function encodeWatermark(w: ChangeWatermark): string {
  return Buffer.from(JSON.stringify([w.xid, w.id])).toString('base64url');
}

/**
 * The oldest transaction that may still write to this database, as of the statement's snapshot:
 * the smallest id among the transactions in flight (pg_snapshot_xip), or the next id to be given
 * when none is. Transactions of other databases of the server are left out (they cannot write here,
 * and on a shared server a long one would hold every pull back), recognised by the lock each holds
 * on its own id; an id that has no such lock any more (it ended after the snapshot) counts, as the
 * snapshot does not see its rows.
 */
const WRITE_HORIZON = `(SELECT coalesce(min(x.xid), pg_snapshot_xmax(pg_current_snapshot()))
    FROM pg_snapshot_xip(pg_current_snapshot()) AS x (xid)
   WHERE NOT EXISTS (
     SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'transactionid' AND l.transactionid = x.xid::xid AND l.mode = 'ExclusiveLock'
        AND l.granted AND a.datid <> (SELECT oid FROM pg_database WHERE datname = current_database())))`;

/**
 * The condition of an incremental pull on the rows of `alias` (which has change_xid and id): changed
 * after the watermark, and written by a transaction older than every one of this database still in
 * flight (WRITE_HORIZON, of the statement's own snapshot). Transactions below that horizon have all
 * ended, so the set of rows below it is final: a change committing later has a larger transaction id
 * than any a pull returned, so it lies past every watermark given out. The watermark therefore
 * never passes a change that was still uncommitted, whatever order transactions commit in; the price
 * is that a long transaction holds back the changes of those that started after it until it ends.
 * Appends its parameters to `params`.
 */
export function changedAfterSql(alias: string, watermark: ChangeWatermark, params: unknown[]): string {
  params.push(watermark.xid, watermark.id);
  const n = params.length;
  return `(${alias}.change_xid, ${alias}.id) > ($${n - 1}::xid8, $${n}::bigint)
          AND ${alias}.change_xid < ${WRITE_HORIZON}`;
}

/** The change-order key a row carries, as text: what the next watermark is made of. */
export const CHANGE_KEY_COLUMNS = (alias: string) => `${alias}.change_xid::text AS "changeXid"`;

/** updated_at as ISO 8601 in UTC with milliseconds, e.g. 2026-12-01T23:44:24.123Z. */
export const UPDATED_AT = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The watermark after a page in change order: its last row's key, or the one the pull started from
 * when the page is empty (so a pull against an unchanged database returns the same watermark).
 */
export function watermarkAfter(rows: ReadonlyArray<{ changeXid: string; id: string }>, from: ChangeWatermark): string {
  const last = rows[rows.length - 1];
  return encodeWatermark(last ? { xid: last.changeXid, id: last.id } : from);
}

/** One page of an incremental pull over a table with tombstones (tombstoneSql). */
export interface ChangePage {
  /** Ids of the rows written after the watermark, in change order (their current state is to be read). */
  changedIds: string[];
  /** Ids of the rows removed after the watermark, in change order. */
  deletedIds: string[];
  /** Where the next page (or the next pull) resumes. */
  watermark: string;
  /** Whether more changes follow this page. */
  hasNextPage: boolean;
}

/**
 * The next page of changes of `schema.table` after a watermark: the rows written (changedAfterSql)
 * and the tombstones of the rows removed (`schema.deleted_row`, filled by tombstoneSql's trigger),
 * merged in one change order (change_xid, id), so a single watermark covers both and a deletion is
 * neither missed nor returned twice. Ids are the table's bigint ids as text.
 */
export async function changePage(
  db: { query(sql: string, params: unknown[]): Promise<Array<{ id: string; changeXid: string; deleted: boolean }>> },
  schema: string,
  table: string,
  from: ChangeWatermark,
  first: number,
): Promise<ChangePage> {
  const params: unknown[] = [table];
  const live = changedAfterSql('r', from, params);
  const gone = changedAfterSql('d', from, params);
  params.push(first + 1);
  const rows = await db.query(
    `SELECT k.id::text AS id, k.change_xid::text AS "changeXid", k.deleted FROM (
       SELECT r.id, r.change_xid, false AS deleted FROM "${schema}".${table} r WHERE ${live}
       UNION ALL
       SELECT d.id, d.change_xid, true FROM (
         SELECT row_id AS id, change_xid FROM "${schema}".deleted_row WHERE table_name = $1) d
        WHERE ${gone}
     ) k ORDER BY k.change_xid, k.id LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, first);
  return {
    changedIds: page.filter((r) => !r.deleted).map((r) => r.id),
    deletedIds: page.filter((r) => r.deleted).map((r) => r.id),
    watermark: watermarkAfter(page, from),
    hasNextPage: rows.length > first,
  };
}

/**
 * changePage with the written rows read by `byIds` (any order; returned in change order): the page
 * a change list returns (`nodes`, `deletedIds`, `watermark`, `hasNextPage`).
 */
export async function changedRecords<R extends { id: string }>(
  db: Parameters<typeof changePage>[0],
  schema: string,
  table: string,
  from: ChangeWatermark,
  first: number,
  byIds: (ids: string[]) => Promise<R[]>,
): Promise<ChangePage & { nodes: R[] }> {
  const page = await changePage(db, schema, table, from, first);
  const rows = page.changedIds.length ? await byIds(page.changedIds) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { ...page, nodes: page.changedIds.map((id) => byId.get(id)!) };
}
