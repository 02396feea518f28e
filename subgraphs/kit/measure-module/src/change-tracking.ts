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
 * The condition of an incremental pull on the rows of `alias` (which has change_xid and id): changed
 * after the watermark, and written by a transaction older than every one still in flight
 * (pg_snapshot_xmin of the statement's own snapshot). Transactions below that horizon have all
 * ended, so the set of rows below it is final: a change committing later gets a larger transaction
 * id than any before it, and is past every watermark a pull could have returned. The watermark
 * therefore never passes a change that was still uncommitted, whatever order transactions commit in.
 * Appends its parameters to `params`.
 */
export function changedAfterSql(alias: string, watermark: ChangeWatermark, params: unknown[]): string {
  params.push(watermark.xid, watermark.id);
  const n = params.length;
  return `(${alias}.change_xid, ${alias}.id) > ($${n - 1}::xid8, $${n}::bigint)
          AND ${alias}.change_xid < pg_snapshot_xmin(pg_current_snapshot())`;
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
