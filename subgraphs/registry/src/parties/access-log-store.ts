import type { DataSource } from 'typeorm';

/** One read of personal data, as written to the access log. */
export interface AccessEntry {
  subject: string;
  clientId: string | null;
  personId: string;
  field: string;
  purpose: string;
  requestId: string | null;
}

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

/** The personal-data access log: append and read only (the table refuses anything else). */
export class AccessLogStore {
  constructor(private readonly ds: DataSource) {}

  /** Writes the reads of one request in one statement. */
  async append(entries: readonly AccessEntry[]): Promise<void> {
    await this.ds.query(
      `INSERT INTO registry.personal_data_access (subject, client_id, person_id, field, purpose, request_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
      [
        entries.map((e) => e.subject),
        entries.map((e) => e.clientId),
        entries.map((e) => e.personId),
        entries.map((e) => e.field),
        entries.map((e) => e.purpose),
        entries.map((e) => e.requestId),
      ],
    );
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
        ORDER BY id DESC
        LIMIT $6`,
      [filter.personId ?? null, filter.subject ?? null, filter.from ?? null, filter.to ?? null, beforeId, limit],
    );
  }
}
