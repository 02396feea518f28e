import type { DataSource } from 'typeorm';

/** A computed norm result for one period, with the counts behind it. */
export interface NormResultRecord {
  normId: string;
  year: number;
  quarter: number | null;
  total: number;
  met: number;
}

/**
 * One row per measured item (a dossier stage reached, or a payment) with the start of its clock,
 * its end, and the fields the rules need. Kept as SQL text so a single statement evaluates every
 * norm of a domain for a period.
 */
const itemsSql = (schema: string) => `
  SELECT d.measure_code, d.id AS dossier_id, NULL::bigint AS payment_id, e.type AS end_type, d.kind, d.channel,
         d.received_at, coalesce(d.completed_at, d.received_at) AS completed_at, NULL::timestamp AS requested_at,
         e.occurred_at AS end_at, NULL::date AS period, 1 AS instalment, d.reference_date
    FROM "${schema}".dossier d JOIN "${schema}".dossier_event e ON e.dossier_id = d.id
  UNION ALL
  SELECT d.measure_code, d.id, p.id, 'PAID', p.kind, d.channel,
         d.received_at, coalesce(d.completed_at, d.received_at), p.requested_at,
         p.paid_at, p.period, p.instalment, date_trunc('year', p.period)::date
    FROM "${schema}".payment p JOIN "${schema}".dossier d ON d.id = p.dossier_id`;

/**
 * The rule of norm n applied to item i, in SQL. Mirrors norm-deadline.ts; the two are kept in
 * agreement by a test.
 */
const metSql = (schema: string) => `
  CASE n.rule->>'type'
    WHEN 'WITHIN_DAYS' THEN i.end_at <= s.start_at + (n.rule->>'days')::numeric * interval '1 day'
    WHEN 'WITHIN_MONTHS' THEN i.end_at <= s.start_at
      + make_interval(months => floor((n.rule->>'months')::numeric)::int)
      + make_interval(days => round(((n.rule->>'months')::numeric % 1) * 30)::int)
    WHEN 'AT_LEAST_DAYS' THEN i.end_at >= s.start_at + (n.rule->>'days')::numeric * interval '1 day'
    WHEN 'BY_WORKING_DAY_OF_PERIOD' THEN i.end_at::date <= (
      SELECT w.day FROM "${schema}".working_day w WHERE w.month = i.period AND w.ordinal = (n.rule->>'n')::int)
    WHEN 'BY_DAY_OF_PERIOD' THEN CASE WHEN (n.rule->>'strict')::boolean
      THEN i.end_at::date < i.period + ((n.rule->>'day')::int - 1)
      ELSE i.end_at::date <= i.period + ((n.rule->>'day')::int - 1) END
    WHEN 'BY_DATE_OF_YEAR' THEN i.end_at::date <= make_date(
      extract(year FROM i.reference_date)::int, (n.rule->>'month')::int, (n.rule->>'day')::int)
    WHEN 'ON_DATE_OF_YEAR' THEN i.end_at::date = make_date(
      extract(year FROM i.reference_date)::int, (n.rule->>'month')::int, (n.rule->>'day')::int)
    WHEN 'BY_END_OF_NEXT_QUARTER' THEN i.end_at::date < (date_trunc('quarter', i.period) + interval '6 months')::date
    WHEN 'BY_DATE_PER_INSTALMENT' THEN i.end_at::date < CASE WHEN i.instalment = 1
      THEN make_date(extract(year FROM i.end_at)::int, (n.rule#>>'{first,0}')::int, (n.rule#>>'{first,1}')::int)
      ELSE make_date(extract(year FROM i.end_at)::int, (n.rule#>>'{later,0}')::int, (n.rule#>>'{later,1}')::int) END
  END`;

/** Norm results computed from events: the only place with their SQL. */
export class NormResultsStore {
  constructor(
    private readonly ds: DataSource,
    private readonly schema: string,
  ) {}

  /** FROM clause shared by results and drill-down: norms joined to the items they count in a period. */
  private from(): string {
    return `
      "${this.schema}".norm n
      JOIN (${itemsSql(this.schema)}) i
        ON i.measure_code = n.measure_code AND i.end_type = ANY (n.end_types)
       AND (n.kinds IS NULL OR i.kind = ANY (n.kinds)) AND (n.channel IS NULL OR i.channel = n.channel)
      CROSS JOIN LATERAL (SELECT CASE n.clock WHEN 'RECEIVED' THEN i.received_at WHEN 'COMPLETED' THEN i.completed_at
                                 ELSE i.requested_at END AS start_at) s`;
  }

  /**
   * Results of the given norms for the given years, per year and (when `byQuarter`) per quarter,
   * in one statement. Items count in the period their clock ends in.
   */
  async results(normIds: readonly string[], years: readonly number[], byQuarter = false): Promise<NormResultRecord[]> {
    const quarter = byQuarter ? 'extract(quarter FROM i.end_at)::int' : 'NULL::int';
    const rows: Array<{ normId: string; year: number; quarter: number | null; total: string; met: string }> =
      await this.ds.query(
        `SELECT n.id AS "normId", extract(year FROM i.end_at)::int AS year, ${quarter} AS quarter,
                count(*) AS total, count(*) FILTER (WHERE ${metSql(this.schema)}) AS met
           FROM ${this.from()}
          WHERE n.id = ANY ($1) AND i.end_at >= make_date($2, 1, 1) AND i.end_at < make_date($3 + 1, 1, 1)
            AND extract(year FROM i.end_at)::int = ANY ($4)
          GROUP BY 1, 2, 3`,
        [normIds, Math.min(...years), Math.max(...years), years],
      );
    return rows.map((r) => ({ ...r, total: Number(r.total), met: Number(r.met) }));
  }
}
