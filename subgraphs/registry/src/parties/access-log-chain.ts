import { createHash, createHmac } from 'node:crypto';

/**
 * The hash chain of the personal-data access log. Each row holds `hash` = HMAC-SHA256(key, its
 * content with its id and `prev_hash`), and `prev_hash` = the hash of the chained row before it.
 * The key (AUDIT_LOG_KEY) never reaches the database, so whoever can write the table, a superuser
 * included, cannot change, remove or add a row in the middle without the verification noticing.
 * Removing the newest rows leaves a shorter valid chain: the head hash and row count that the
 * verification prints must be recorded outside the database to notice that (docs/operations.md).
 */

/** `prev_hash` of the first chained row. */
export const GENESIS_HASH = '0'.repeat(64);

/** A key of the chain: its secret and the id stored with every row it hashed. */
export interface AuditLogKey {
  /** First 16 hex characters of SHA-256 of the secret: names the key, reveals nothing of it. */
  id: string;
  secret: Buffer;
}

/** The key new rows are hashed with, and every key the verification accepts (older ones after a rotation). */
export interface AuditKeyring {
  current: AuditLogKey;
  all: readonly AuditLogKey[];
}

export const MIN_KEY_BYTES = 32;

export function auditLogKey(secret: Buffer): AuditLogKey {
  return { id: createHash('sha256').update(secret).digest('hex').slice(0, 16), secret };
}

/** Decodes a key written as hex or base64 (standard or URL-safe); an error text when it is not one of at least 32 bytes. */
export function decodeAuditLogKey(text: string): Buffer | string {
  const trimmed = text.trim();
  let secret: Buffer;
  if (/^(?:[0-9a-fA-F]{2})+$/.test(trimmed)) secret = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) secret = Buffer.from(trimmed, 'base64');
  else return 'is neither hex nor base64';
  if (secret.length < MIN_KEY_BYTES) return `must be at least ${MIN_KEY_BYTES} bytes, got ${secret.length}`;
  return secret;
}

/** One read of personal data, as written to the access log. */
export interface AccessEntry {
  subject: string;
  clientId: string | null;
  personId: string;
  field: string;
  purpose: string;
  requestId: string | null;
}

/** What the chain covers of a row: everything the log records, in columns. */
export interface ChainContent extends AccessEntry {
  /** Row id (bigint as text). */
  id: string;
  /** accessed_at in UTC with microseconds, e.g. 2025-11-24T10:15:02.123456Z (as stored). */
  at: string;
  prevHash: string | null;
  keyId: string | null;
}

/** A row as read back for verification. */
export interface ChainRow extends ChainContent {
  hash: string | null;
}

/**
 * The canonical serialisation the HMAC is computed over: a JSON array in a fixed order, with a
 * version tag, so no two different rows serialise alike.
 */
export function canonicalRow(row: ChainContent): string {
  return JSON.stringify([
    'personal_data_access/v1',
    row.id,
    row.keyId,
    row.prevHash,
    row.at,
    row.subject,
    row.clientId,
    row.personId,
    row.field,
    row.purpose,
    row.requestId,
  ]);
}

export function rowHash(key: AuditLogKey, row: ChainContent): string {
  return createHmac('sha256', key.secret).update(canonicalRow(row), 'utf8').digest('hex');
}

/**
 * Text as PostgreSQL stores it: a lone UTF-16 surrogate (possible in a token's subject) becomes
 * U+FFFD on the way to UTF-8. Rows are hashed and inserted in this form, so a row read back
 * hashes the same.
 */
export const storedText = <T extends string | null>(text: T): T =>
  (text === null ? null : Buffer.from(text, 'utf8').toString('utf8')) as T;

/**
 * - CHANGED: the row's hash does not match its content (the row was updated).
 * - MISSING: the row does not link to the chained row before it and ids are missing in between
 *   (rows were deleted), or the first rows of the chain are gone.
 * - OUT_OF_ORDER: the row does not link to the row before it, with no ids missing (a row was
 *   inserted between, or the chain was restarted).
 * - UNKNOWN_KEY: hashed with a key the verification does not know (forged, or an older key not given).
 * - UNCHAINED: a row without a hash after the chain started (written around the service).
 * - ANCHOR: a head recorded earlier (id and hash) is no longer in the log as recorded.
 */
export type ChainProblemKind = 'CHANGED' | 'MISSING' | 'OUT_OF_ORDER' | 'UNKNOWN_KEY' | 'UNCHAINED' | 'ANCHOR';

export interface ChainProblem {
  /** The row where the problem shows (for MISSING: the first row after the gap). */
  id: string;
  kind: ChainProblemKind;
  message: string;
}

export interface ChainVerification {
  /** No problem found. */
  intact: boolean;
  /** Every row read, chained or not. */
  rowsChecked: number;
  /** Rows before the first chained row: written before the log had a key, not verifiable. */
  unchainedRows: number;
  /** Id and hash of the newest chained row: record them outside the database to anchor the chain. */
  headId: string | null;
  headHash: string | null;
  /** All problems found; `problems` lists at most `maxProblems` of them, in id order. */
  problemCount: number;
  problems: ChainProblem[];
}

/** A head recorded earlier: the row `id` must still be there with this hash. */
export interface ChainAnchor {
  id: string;
  hash: string;
}

export interface VerifyOptions {
  maxProblems?: number;
  anchors?: readonly ChainAnchor[];
}

/**
 * Walks the log in id order (rows arrive in batches, so a large log is never held whole) and
 * reports every problem. Pure: the rows and keys come in, a report comes out.
 */
export async function verifyAccessLogChain(
  batches: AsyncIterable<readonly ChainRow[]> | Iterable<readonly ChainRow[]>,
  keys: readonly AuditLogKey[],
  { maxProblems = 1000, anchors = [] }: VerifyOptions = {},
): Promise<ChainVerification> {
  const byId = new Map(keys.map((k) => [k.id, k]));
  const anchored = new Map(anchors.map((a) => [BigInt(a.id).toString(), a.hash.toLowerCase()]));
  const problems: ChainProblem[] = [];
  let problemCount = 0;
  const report = (id: string, kind: ChainProblemKind, message: string) => {
    problemCount++;
    if (problems.length < maxProblems) problems.push({ id, kind, message });
  };
  let rowsChecked = 0;
  let unchainedRows = 0;
  /** The newest chained row so far: the row the next one must link to. */
  let previous: { id: bigint; hash: string } | null = null;
  let lastId: bigint | null = null;

  for await (const batch of batches) {
    for (const row of batch) {
      rowsChecked++;
      const id = BigInt(row.id);
      if (lastId !== null && id <= lastId) throw new Error(`rows must come in id order: ${id} after ${lastId}`);
      const skipped = lastId !== null && id > lastId + 1n ? { from: lastId + 1n, to: id - 1n } : null;
      lastId = id;
      const expected = anchored.get(row.id);
      if (expected !== undefined) {
        anchored.delete(row.id);
        if (row.hash !== expected) {
          report(row.id, 'ANCHOR', `the recorded hash ${expected} of this row is now ${row.hash ?? 'absent'}`);
        }
      }

      if (row.hash === null) {
        if (previous === null) unchainedRows++;
        else report(row.id, 'UNCHAINED', 'no hash: the row was written around the service after the chain started');
        continue;
      }
      const key = row.keyId === null ? undefined : byId.get(row.keyId);
      if (!key) {
        report(row.id, 'UNKNOWN_KEY', `hashed with key ${row.keyId ?? '(none)'}, which is not a key of this log`);
      } else if (rowHash(key, row) !== row.hash) {
        report(row.id, 'CHANGED', 'the content does not match the hash written with it: the row was changed');
      } else if (row.prevHash !== (previous?.hash ?? GENESIS_HASH)) {
        // Only a row whose own hash holds says reliably which row came before it.
        if (previous === null) {
          report(row.id, 'MISSING', 'the first row of the chain links to an earlier row that is no longer there');
        } else if (row.prevHash === GENESIS_HASH) {
          report(row.id, 'OUT_OF_ORDER', `the chain starts again here, after row ${previous.id}`);
        } else if (skipped) {
          const ids = skipped.from === skipped.to ? `id ${skipped.from} is` : `ids ${skipped.from}-${skipped.to} are`;
          report(row.id, 'MISSING', `does not link to row ${previous.id}, and ${ids} missing: rows were deleted`);
        } else {
          report(row.id, 'OUT_OF_ORDER', `does not link to row ${previous.id}: a row was inserted or removed between`);
        }
      }
      previous = { id, hash: row.hash };
    }
  }
  for (const [id, hash] of anchored)
    report(id, 'ANCHOR', `row ${id} recorded with hash ${hash} is no longer in the log`);
  problems.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0));
  return {
    intact: problemCount === 0,
    rowsChecked,
    unchainedRows,
    headId: previous ? previous.id.toString() : null,
    headHash: previous?.hash ?? null,
    problemCount,
    problems,
  };
}
