import type { DataSource } from 'typeorm';

/** One dossier stage or payment counted by a norm. */
export interface NormItemRecord {
  dossierId: string;
  paymentId: string | null;
  startedAt: string;
  endedAt: string;
  onTime: boolean;
}

/** Keyset position in the items' order (end time, dossier, payment). */
export interface NormItemCursor {
  endedAt: string;
  dossierId: string;
  paymentId: string;
}

/** A computed norm result for one period, with the counts behind it. */
export interface NormResultRecord {
  normId: string;
  year: number;
  quarter: number | null;
  total: number;
  met: number;
}

/**
 * The norms asked for, with their rule unpacked into typed columns once per norm (not once per
 * item), so the per-item test below is plain comparisons.
 */
const normsSql = (schema: string) => `
  SELECT id, measure_code, end_types, kinds, channel, clock, rule->>'type' AS rule_type,
         coalesce((rule->>'days')::numeric, 0) * interval '1 day' AS days,
         make_interval(months => floor(coalesce((rule->>'months')::numeric, 0))::int)
           + make_interval(days => round((coalesce((rule->>'months')::numeric, 0) % 1) * 30)::int) AS months,
         (rule->>'n')::int AS nth, (rule->>'day')::int AS day_of_month, coalesce((rule->>'strict')::boolean, false) AS strict,
         (rule->>'month')::int AS month, (rule#>>'{first,0}')::int AS first_month, (rule#>>'{first,1}')::int AS first_day,
         (rule#>>'{later,0}')::int AS later_month, (rule#>>'{later,1}')::int AS later_day
    FROM "${schema}".norm WHERE id = ANY ($1)`;

/**
 * Everything that ends a clock in [$2, $3): a dossier reaching a stage, or a payment. Driven by the
 * time indexes and hash-joined to the few norms afterwards, which is what keeps a whole domain's
 * year under half a second.
 */
const itemsSql = (schema: string) => `
  SELECT d.measure_code, e.type AS end_type, d.kind, d.channel, d.id AS dossier_id, NULL::bigint AS payment_id,
         e.occurred_at AS end_at, d.received_at, coalesce(d.completed_at, d.received_at) AS completed_at,
         NULL::timestamp AS requested_at, NULL::date AS period, 1 AS instalment, d.reference_date
    FROM "${schema}".dossier_event e JOIN "${schema}".dossier d ON d.id = e.dossier_id
   WHERE e.occurred_at >= $2 AND e.occurred_at < $3 AND e.type <> 'RECEIVED'
  UNION ALL
  SELECT d.measure_code, 'PAID', p.kind, d.channel, d.id, p.id,
         p.paid_at, d.received_at, d.received_at, p.requested_at, p.period, p.instalment, date_trunc('year', p.period)::date
    FROM "${schema}".payment p JOIN "${schema}".dossier d ON d.id = p.dossier_id
   WHERE p.paid_at >= $2 AND p.paid_at < $3`;

/**
 * The rule of norm n applied to item i, in SQL. Mirrors item-placement.ts; the seed check and the
 * tests keep the two in agreement.
 */
const metSql = (schema: string) => `
  CASE n.rule_type
    WHEN 'WITHIN_DAYS' THEN i.end_at <= s.start_at + n.days
    WHEN 'WITHIN_MONTHS' THEN i.end_at <= s.start_at + n.months
    WHEN 'AT_LEAST_DAYS' THEN i.end_at >= s.start_at + n.days
    WHEN 'BY_WORKING_DAY_OF_PERIOD' THEN i.end_at::date <= (
      SELECT w.day FROM "${schema}".working_day w WHERE w.month = i.period AND w.ordinal = n.nth)
    WHEN 'BY_DAY_OF_PERIOD' THEN CASE WHEN n.strict THEN i.end_at::date < i.period + (n.day_of_month - 1)
                                      ELSE i.end_at::date <= i.period + (n.day_of_month - 1) END
    WHEN 'BY_DATE_OF_YEAR' THEN i.end_at::date <= make_date(extract(year FROM i.reference_date)::int, n.month, n.day_of_month)
    WHEN 'ON_DATE_OF_YEAR' THEN i.end_at::date = make_date(extract(year FROM i.reference_date)::int, n.month, n.day_of_month)
    WHEN 'BY_END_OF_NEXT_QUARTER' THEN i.end_at::date < (date_trunc('quarter', i.period) + interval '6 months')::date
    WHEN 'BY_DATE_PER_INSTALMENT' THEN i.end_at::date < CASE WHEN i.instalment = 1
      THEN make_date(extract(year FROM i.end_at)::int, n.first_month, n.first_day)
      ELSE make_date(extract(year FROM i.end_at)::int, n.later_month, n.later_day) END
  END`;

/** Norm results computed from events: the only place with their SQL. */
export class NormResultsStore {
  constructor(
    private readonly ds: DataSource,
    private readonly schema: string,
  ) {}

  /** Items of the given norms in [from, to), each with whether it met its norm. */
  private evaluated(select: string): string {
    return `
      WITH norms AS MATERIALIZED (${normsSql(this.schema)})
      SELECT ${select}
        FROM (${itemsSql(this.schema)}) i
        JOIN norms n ON n.measure_code = i.measure_code AND i.end_type = ANY (n.end_types)
         AND (n.kinds IS NULL OR i.kind = ANY (n.kinds)) AND (n.channel IS NULL OR i.channel = n.channel)
        CROSS JOIN LATERAL (SELECT CASE n.clock WHEN 'RECEIVED' THEN i.received_at WHEN 'COMPLETED' THEN i.completed_at
                                   ELSE i.requested_at END AS start_at) s
        CROSS JOIN LATERAL (SELECT coalesce(${metSql(this.schema)}, false) AS met) m`;
  }

  /**
   * Results of the given norms for the given years, per year and (when `byQuarter`) per quarter,
   * in one statement. Items count in the period their clock ends in.
   */
  async results(normIds: readonly string[], years: readonly number[], byQuarter = false): Promise<NormResultRecord[]> {
    if (normIds.length === 0 || years.length === 0) return [];
    const quarter = byQuarter ? 'extract(quarter FROM i.end_at)::int' : 'NULL::int';
    const rows: Array<{ normId: string; year: number; quarter: number | null; total: string; met: string }> =
      await this.ds.query(
        `${this.evaluated(`n.id AS "normId", extract(year FROM i.end_at)::int AS year, ${quarter} AS quarter,
                           count(*) AS total, count(*) FILTER (WHERE m.met) AS met`)}
          GROUP BY 1, 2, 3`,
        [normIds, `${Math.min(...years)}-01-01`, `${Math.max(...years) + 1}-01-01`],
      );
    // The range covers every year asked for; years between them that were not asked are dropped
    // here rather than by an expression filter, which would blind the planner's row estimates.
    return rows
      .filter((r) => years.includes(r.year))
      .map((r) => ({ ...r, total: Number(r.total), met: Number(r.met) }));
  }

  /**
   * The items behind one norm's result in a year, oldest end first; `onTime` false lists the late
   * ones. Returns one row more than asked, to tell whether another page follows.
   */
  async items(
    normId: string,
    year: number,
    onTime: boolean | null,
    first: number,
    after: NormItemCursor | null,
  ): Promise<NormItemRecord[]> {
    const params: unknown[] = [[normId], `${year}-01-01`, `${year + 1}-01-01`, onTime, first + 1];
    let keyset = '';
    if (after) {
      params.push(after.endedAt, after.dossierId, after.paymentId);
      keyset = ' AND (i.end_at, i.dossier_id, coalesce(i.payment_id, 0)) > ($6::timestamp, $7::bigint, $8::bigint)';
    }
    return this.ds.query(
      `${this.evaluated(`i.dossier_id::text AS "dossierId", i.payment_id::text AS "paymentId",
                         to_char(s.start_at, 'YYYY-MM-DD"T"HH24:MI:SS') AS "startedAt",
                         to_char(i.end_at, 'YYYY-MM-DD"T"HH24:MI:SS') AS "endedAt", m.met AS "onTime"`)}
        WHERE ($4::boolean IS NULL OR m.met = $4)${keyset}
        ORDER BY i.end_at, i.dossier_id, coalesce(i.payment_id, 0)
        LIMIT $5`,
      params,
    );
  }
}
