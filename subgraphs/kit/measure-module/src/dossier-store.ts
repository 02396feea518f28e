import type { DataSource, EntityManager } from 'typeorm';
import type { DossierKeyFilter } from '@measure-graph/subgraph-platform';
import type { DossierStatus } from './lifecycle.ts';
import { CHANGE_KEY_COLUMNS, changedAfterSql, type ChangeWatermark, UPDATED_AT } from './change-tracking.ts';

/** A dossier row as the GraphQL layer sees it (id is the domain-local number). */
export interface DossierRecord {
  id: string;
  measureCode: string;
  kind: string;
  channel: 'ONLINE' | 'PAPER';
  status: DossierStatus;
  applicantKbo: string | null;
  applicantPersonId: string | null;
  receivedAt: string;
  completedAt: string | null;
  /** When it, one of its events or one of its payments was last written: ISO 8601 in UTC. */
  updatedAt: string;
  /** Change-order key (the transaction that last wrote it), for watermarks. */
  changeXid: string;
}

export interface DossierEventRecord {
  dossierId: string;
  type: string;
  occurredAt: string;
  updatedAt: string;
}

export interface PaymentRecord {
  id: string;
  dossierId: string;
  kind: string;
  instalment: number;
  period: string;
  requestedAt: string;
  paidAt: string;
  amountCents: string;
  updatedAt: string;
}

export interface DossierFilter {
  year?: number | null;
  status?: DossierStatus | null;
  channel?: 'ONLINE' | 'PAPER' | null;
  kind?: string | null;
  applicantKbo?: string | null;
  applicantPersonId?: string | null;
  /** Only rows changed after this watermark, in change order (incremental pulls). */
  changedAfter?: ChangeWatermark | null;
}

/** Who applied: an organisation (by KBO number) or a person (by registry id). */
export type ApplicantParty = 'ORGANISATION' | 'PERSON';
const APPLICANT_COLUMN: Record<ApplicantParty, string> = {
  ORGANISATION: 'applicant_kbo',
  PERSON: 'applicant_person_id',
};

/** Keyset position in the newest-first order (received_at DESC, id DESC). */
export interface DossierCursor {
  receivedAt: string;
  id: string;
}

// Timestamps leave Postgres as ISO strings without offset (Belgian local time), never as JS Dates.
const TS = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS')`;

const DOSSIER_COLUMNS = `
  d.id::text AS id, d.measure_code AS "measureCode", d.kind, d.channel, d.status,
  d.applicant_kbo AS "applicantKbo", d.applicant_person_id AS "applicantPersonId",
  ${TS('d.received_at')} AS "receivedAt", ${TS('d.completed_at')} AS "completedAt",
  ${UPDATED_AT('d.updated_at')} AS "updatedAt", ${CHANGE_KEY_COLUMNS('d')}`;

const PAYMENT_COLUMNS = `
  id::text, dossier_id::text AS "dossierId", kind, instalment, to_char(period, 'YYYY-MM-DD') AS period,
  ${TS('requested_at')} AS "requestedAt", ${TS('paid_at')} AS "paidAt", amount_cents::text AS "amountCents",
  ${UPDATED_AT('updated_at')} AS "updatedAt"`;

/** Dossiers, events and payments of one domain: the only place with their SQL. */
export class DossierStore {
  constructor(
    private readonly ds: DataSource,
    private readonly schema: string,
  ) {}

  private filterSql(filter: DossierFilter, params: unknown[]): string {
    const where: string[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.year != null) {
      add(`d.received_at >= make_date(?, 1, 1)`, filter.year);
      add(`d.received_at < make_date(? + 1, 1, 1)`, filter.year);
    }
    if (filter.status) add('d.status = ?', filter.status);
    if (filter.channel) add('d.channel = ?', filter.channel);
    if (filter.kind) add('d.kind = ?', filter.kind);
    if (filter.applicantKbo) add('d.applicant_kbo = ?', filter.applicantKbo);
    if (filter.applicantPersonId) add('d.applicant_person_id = ?', filter.applicantPersonId);
    if (filter.changedAfter) where.push(changedAfterSql('d', filter.changedAfter, params));
    return where.length ? ` AND ${where.join(' AND ')}` : '';
  }

  /**
   * One page of each measure's dossiers (newest first, or in change order for an incremental pull:
   * filter.changedAfter; same filter and page for all), plus one
   * extra row per measure to tell whether more follow: one statement for any number of measures.
   */
  async pages(
    measureCodes: readonly string[],
    filter: DossierFilter,
    first: number,
    after: DossierCursor | null,
  ): Promise<DossierRecord[]> {
    const params: unknown[] = [measureCodes];
    let where = `d.measure_code = m.code${this.filterSql(filter, params)}`;
    const order = filter.changedAfter ? 'd.change_xid, d.id' : 'd.received_at DESC, d.id DESC';
    if (after) {
      params.push(after.receivedAt, after.id);
      where += ` AND (d.received_at, d.id) < ($${params.length - 1}::timestamp, $${params.length}::bigint)`;
    }
    params.push(first + 1);
    return this.ds.query(
      `SELECT p.* FROM unnest($1::text[]) AS m (code)
       CROSS JOIN LATERAL (SELECT ${DOSSIER_COLUMNS} FROM "${this.schema}".dossier d WHERE ${where}
                            ORDER BY ${order} LIMIT $${params.length}) p`,
      params,
    );
  }

  /** Matching dossiers per measure, in one statement. */
  async counts(measureCodes: readonly string[], filter: DossierFilter): Promise<Map<string, number>> {
    const params: unknown[] = [measureCodes];
    const rows: Array<{ code: string; n: number }> = await this.ds.query(
      `SELECT d.measure_code AS code, count(*)::int AS n FROM "${this.schema}".dossier d
        WHERE d.measure_code = ANY ($1)${this.filterSql(filter, params)} GROUP BY d.measure_code`,
      params,
    );
    return new Map(rows.map((r) => [r.code, r.n]));
  }

  /** The conditions of the cross-domain list's filter (DossierKeyFilter, already checked). */
  private keyFilterSql(filter: DossierKeyFilter, params: unknown[]): string[] {
    const where: string[] = [];
    const add = (sql: string, ...values: unknown[]) => {
      let text = sql;
      for (const value of values) {
        params.push(value);
        text = text.replace('?', `$${params.length}`);
      }
      where.push(text);
    };
    if (filter.measureCodes) add('d.measure_code = ANY (?::text[])', filter.measureCodes);
    if (filter.year != null)
      add('d.received_at >= make_date(?, 1, 1) AND d.received_at < make_date(? + 1, 1, 1)', filter.year, filter.year);
    if (filter.receivedFrom) add('d.received_at >= ?::date', filter.receivedFrom);
    // Days are inclusive: anything before the next day's midnight.
    if (filter.receivedTo) add(`d.received_at < ?::date + 1`, filter.receivedTo);
    if (filter.statuses) add('d.status = ANY (?::text[])', filter.statuses);
    if (filter.decidedFrom || filter.decidedTo) {
      // Decided: granted or refused (the decision stage of the norms and lead times), on a day of the range.
      add(
        `EXISTS (SELECT 1 FROM "${this.schema}".dossier_event e WHERE e.dossier_id = d.id AND e.type IN ('GRANTED', 'REFUSED')
                   AND (?::date IS NULL OR e.occurred_at >= ?::date) AND (?::date IS NULL OR e.occurred_at < ?::date + 1))`,
        filter.decidedFrom ?? null,
        filter.decidedFrom ?? null,
        filter.decidedTo ?? null,
        filter.decidedTo ?? null,
      );
    }
    return where;
  }

  /**
   * A keyset page of the domain's dossier keys for the cross-domain list (newest first, one extra
   * row to tell whether more follow). `after` is a position in that list's order: `orEqual` when
   * the cursor's own (received_at, id) still comes after it (a cursor of another domain whose
   * prefix sorts after this one's, see dossier-keys.ts of the platform).
   */
  async keyPage(
    filter: DossierKeyFilter,
    first: number,
    after: (DossierCursor & { orEqual: boolean }) | null,
    changedAfter: ChangeWatermark | null = null,
  ): Promise<Array<{ id: string; receivedAt: string; changeXid: string }>> {
    const params: unknown[] = [];
    const where = this.keyFilterSql(filter, params);
    if (changedAfter) where.push(changedAfterSql('d', changedAfter, params));
    if (after) {
      params.push(after.receivedAt, after.id);
      where.push(
        `(d.received_at, d.id) ${after.orEqual ? '<=' : '<'} ($${params.length - 1}::timestamp, $${params.length}::bigint)`,
      );
    }
    params.push(first + 1);
    return this.ds.query(
      `SELECT d.id::text AS id, ${TS('d.received_at')} AS "receivedAt", d.change_xid::text AS "changeXid"
         FROM "${this.schema}".dossier d
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY ${changedAfter ? 'd.change_xid, d.id' : 'd.received_at DESC, d.id DESC'} LIMIT $${params.length}`,
      params,
    );
  }

  /** Dossiers matching the cross-domain list's filter. */
  async keyCount(filter: DossierKeyFilter, changedAfter: ChangeWatermark | null = null): Promise<number> {
    const params: unknown[] = [];
    const where = this.keyFilterSql(filter, params);
    if (changedAfter) where.push(changedAfterSql('d', changedAfter, params));
    const [row]: Array<{ n: number }> = await this.ds.query(
      `SELECT count(*)::int AS n FROM "${this.schema}".dossier d ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
      params,
    );
    return row!.n;
  }

  async byIds(ids: readonly string[], em: EntityManager | DataSource = this.ds): Promise<DossierRecord[]> {
    return em.query(`SELECT ${DOSSIER_COLUMNS} FROM "${this.schema}".dossier d WHERE d.id = ANY ($1::bigint[])`, [ids]);
  }

  async eventsOf(dossierIds: readonly string[]): Promise<DossierEventRecord[]> {
    return this.ds.query(
      `SELECT dossier_id::text AS "dossierId", type, ${TS('occurred_at')} AS "occurredAt",
              ${UPDATED_AT('updated_at')} AS "updatedAt"
         FROM "${this.schema}".dossier_event WHERE dossier_id = ANY ($1::bigint[]) ORDER BY occurred_at, id`,
      [dossierIds],
    );
  }

  async paymentsOf(dossierIds: readonly string[]): Promise<PaymentRecord[]> {
    return this.ds.query(
      `SELECT ${PAYMENT_COLUMNS} FROM "${this.schema}".payment WHERE dossier_id = ANY ($1::bigint[]) ORDER BY paid_at, id`,
      [dossierIds],
    );
  }

  async paymentsByIds(ids: readonly string[]): Promise<PaymentRecord[]> {
    return this.ds.query(`SELECT ${PAYMENT_COLUMNS} FROM "${this.schema}".payment WHERE id = ANY ($1::bigint[])`, [
      ids,
    ]);
  }

  /**
   * A page of each applicant's dossiers over all measures of the domain (newest first, one extra
   * row each to tell a next page), in one statement for any number of applicants.
   */
  async pagesByApplicant(
    party: ApplicantParty,
    ids: readonly string[],
    first: number,
    after: DossierCursor | null,
    changedAfter: ChangeWatermark | null = null,
  ): Promise<Array<DossierRecord & { applicantKey: string }>> {
    const params: unknown[] = [ids, first + 1, after?.receivedAt ?? null, after?.id ?? null];
    const changed = changedAfter ? ` AND ${changedAfterSql('d', changedAfter, params)}` : '';
    return this.ds.query(
      `SELECT a.id AS "applicantKey", p.* FROM unnest($1::text[]) AS a (id)
       CROSS JOIN LATERAL (SELECT ${DOSSIER_COLUMNS} FROM "${this.schema}".dossier d
                            WHERE d.${APPLICANT_COLUMN[party]} = a.id
                              AND ($3::timestamp IS NULL OR (d.received_at, d.id) < ($3::timestamp, $4::bigint))${changed}
                            ORDER BY ${changedAfter ? 'd.change_xid, d.id' : 'd.received_at DESC, d.id DESC'} LIMIT $2) p`,
      params,
    );
  }

  /** Dossiers received per applicant and year. */
  async perYearByApplicant(
    party: ApplicantParty,
    ids: readonly string[],
  ): Promise<Array<{ applicantKey: string; year: number; received: number }>> {
    return this.ds.query(
      `SELECT d.${APPLICANT_COLUMN[party]} AS "applicantKey", extract(year FROM d.received_at)::int AS year, count(*)::int AS received
         FROM "${this.schema}".dossier d WHERE d.${APPLICANT_COLUMN[party]} = ANY ($1::text[]) GROUP BY 1, 2 ORDER BY 1, 2`,
      [ids],
    );
  }

  /** Every lifecycle event of the applicants' dossiers, oldest first (payments stay on the dossiers). */
  async eventsByApplicant(
    party: ApplicantParty,
    ids: readonly string[],
  ): Promise<Array<{ applicantKey: string; dossierId: string; measureCode: string; type: string; at: string }>> {
    return this.ds.query(
      `SELECT d.${APPLICANT_COLUMN[party]} AS "applicantKey", d.id::text AS "dossierId", d.measure_code AS "measureCode",
              e.type, ${TS('e.occurred_at')} AS at
         FROM "${this.schema}".dossier d JOIN "${this.schema}".dossier_event e ON e.dossier_id = d.id
        WHERE d.${APPLICANT_COLUMN[party]} = ANY ($1::text[]) ORDER BY e.occurred_at, e.id`,
      [ids],
    );
  }

  /** Dossier kinds each measure accepts. */
  async kindsOf(codes: readonly string[]): Promise<Map<string, string[]>> {
    const rows: Array<{ code: string; kinds: string[] }> = await this.ds.query(
      `SELECT code, dossier_kinds AS kinds FROM "${this.schema}".measure_module WHERE code = ANY ($1)`,
      [codes],
    );
    return new Map(rows.map((r) => [r.code, r.kinds]));
  }
}
