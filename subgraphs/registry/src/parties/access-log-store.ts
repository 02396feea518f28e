import type { DataSource } from 'typeorm';
import {
  GENESIS_HASH,
  rowHash,
  storedText,
  verifyAccessLogChain,
  type AccessEntry,
  type AuditKeyring,
  type ChainRow,
  type ChainVerification,
  type VerifyOptions,
} from './access-log-chain.ts';

export type { AccessEntry } from './access-log-chain.ts';

export interface AccessRecord extends AccessEntry {
  id: string;
  at: string;
}

export interface AccessFilter {
  personId?: string | null;
  subject?: string | null;
  /** Days YYYY-MM-DD, inclusive, in Belgian time. */
  from?: string | null;
  to?: string | null;
}

/** Key of the transaction-level advisory lock that serialises appends (one chain, one writer at a time). */
const APPEND_LOCK = 7_312_440_118_002_771;
/** accessed_at as the chain hashes it: UTC, microseconds. */
const AT_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;
const VERIFY_BATCH = 5000;

/**
 * The personal-data access log: append and read only (the table refuses anything else). Appends
 * extend the hash chain (access-log-chain.ts) with `keys.current`; without keys the store reads
 * but refuses to append, so no national number leaves the registry unlogged.
 */
export class AccessLogStore {
  constructor(
    private readonly ds: DataSource,
    private readonly keys?: AuditKeyring,
  ) {}

  /**
   * Writes the reads of one request in one transaction: under an advisory lock, it takes the hash
   * of the newest chained row, ids from the table's sequence and the time, hashes the new rows
   * and inserts them in one statement.
   */
  async append(entries: readonly AccessEntry[]): Promise<void> {
    const key = this.keys?.current;
    if (!key) throw new Error('the access log has no key (AUDIT_LOG_KEY): refusing to write unchained rows');
    await this.ds.transaction(async (em) => {
      // A statement of its own: in READ COMMITTED the next statement then sees the row committed
      // by the append that held the lock before us.
      await em.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
      const [head] = (await em.query(
        `SELECT (SELECT hash FROM registry.personal_data_access WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1) AS prev,
                to_char(clock_timestamp() AT TIME ZONE 'UTC', ${AT_UTC}) AS at,
                ARRAY(SELECT nextval(pg_get_serial_sequence('registry.personal_data_access', 'id'))::text
                        FROM generate_series(1, $1)) AS ids`,
        [entries.length],
      )) as Array<{ prev: string | null; at: string; ids: string[] }>;
      const ids = head!.ids.map(BigInt).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      let prevHash = head!.prev ?? GENESIS_HASH;
      const rows = entries.map((e, i) => {
        const content = {
          id: ids[i]!.toString(),
          at: head!.at,
          subject: storedText(e.subject),
          clientId: storedText(e.clientId),
          personId: storedText(e.personId),
          field: storedText(e.field),
          purpose: storedText(e.purpose),
          requestId: storedText(e.requestId),
          prevHash,
          keyId: key.id,
        };
        const hash = rowHash(key, content);
        prevHash = hash;
        return { ...content, hash };
      });
      const column = <K extends keyof (typeof rows)[number]>(name: K) => rows.map((r) => r[name]);
      await em.query(
        `INSERT INTO registry.personal_data_access
           (id, accessed_at, subject, client_id, person_id, field, purpose, request_id, prev_hash, hash, key_id)
         OVERRIDING SYSTEM VALUE
         SELECT id, $2::timestamptz, subject, client_id, person_id, field, purpose, request_id, prev_hash, hash, $11::text
           FROM unnest($1::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                       $9::text[], $10::text[])
             AS r(id, subject, client_id, person_id, field, purpose, request_id, prev_hash, hash)`,
        [
          column('id'),
          head!.at,
          column('subject'),
          column('clientId'),
          column('personId'),
          column('field'),
          column('purpose'),
          column('requestId'),
          column('prevHash'),
          column('hash'),
          key.id,
        ],
      );
    });
  }

  /** The whole log in id order, `batchSize` rows per statement, as the verification reads it. */
  async *chainRows(batchSize = VERIFY_BATCH): AsyncGenerator<ChainRow[]> {
    let after: string | null = null;
    for (;;) {
      const batch: ChainRow[] = await this.ds.query(
        `SELECT id::text, to_char(accessed_at AT TIME ZONE 'UTC', ${AT_UTC}) AS at, subject, client_id AS "clientId",
                person_id AS "personId", field, purpose, request_id AS "requestId", prev_hash AS "prevHash", hash,
                key_id AS "keyId"
           FROM registry.personal_data_access
          WHERE $1::bigint IS NULL OR id > $1
          ORDER BY personal_data_access.id -- the column, not the text id selected
          LIMIT $2`,
        [after, batchSize],
      );
      if (batch.length === 0) return;
      yield batch;
      after = batch.at(-1)!.id;
    }
  }

  /** Verifies the hash chain with every key of the keyring (see verifyAccessLogChain). */
  async verify(options: VerifyOptions = {}): Promise<ChainVerification> {
    if (!this.keys) throw new Error('the access log has no key (AUDIT_LOG_KEY): it cannot be verified');
    return verifyAccessLogChain(this.chainRows(), this.keys.all, options);
  }

  /** Newest first, `limit` rows with ids below `beforeId` (keyset paging). */
  async list(filter: AccessFilter, limit: number, beforeId: string | null): Promise<AccessRecord[]> {
    return this.ds.query(
      `SELECT id::text, to_char(accessed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
              subject, client_id AS "clientId", person_id AS "personId", field, purpose, request_id AS "requestId"
         FROM registry.personal_data_access
        WHERE ($1::text IS NULL OR person_id = $1)
          AND ($2::text IS NULL OR subject = $2)
          AND ($3::date IS NULL OR accessed_at >= ($3::date)::timestamp AT TIME ZONE 'Europe/Brussels')
          AND ($4::date IS NULL OR accessed_at < ($4::date + 1)::timestamp AT TIME ZONE 'Europe/Brussels')
          AND ($5::bigint IS NULL OR id < $5)
        ORDER BY personal_data_access.id DESC
        LIMIT $6`,
      [filter.personId ?? null, filter.subject ?? null, filter.from ?? null, filter.to ?? null, beforeId, limit],
    );
  }
}
