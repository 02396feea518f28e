import type { DataSource } from 'typeorm';
import type { NormClock, NormRule } from './norm-rules.ts';

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

interface StoredNorm {
  id: string;
  measureCode: string;
  endTypes: string[];
  kinds: string[] | null;
  channel: string | null;
  clock: NormClock;
  rule: NormRule;
}

/** Column expressions of the items a norm counts: a payment, or a dossier reaching a stage. */
interface ItemColumns {
  from: string;
  end: string;
  start: string;
  period: string;
  instalment: string;
  reference: string;
  dossierId: string;
  paymentId: string;
}

const int = (value: unknown): number => {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`norm rule holds a non-number: ${String(value)}`);
  return n;
};

/**
 * The rule as a SQL predicate over one item. Numbers come from the norm table and are checked to
 * be numbers before they are written into the statement. Mirrors item-placement.ts (the seed);
 * the report test keeps the two in agreement.
 */
export function ruleSql(
  rule: NormRule,
  c: Pick<ItemColumns, 'end' | 'start' | 'period' | 'instalment' | 'reference'>,
  schema: string,
): string {
  const dateOfYear = (yearOf: string, month: number, day: number) =>
    `make_date(extract(year FROM ${yearOf})::int, ${int(month)}, ${int(day)})`;
  switch (rule.type) {
    case 'WITHIN_DAYS':
      return `${c.end} <= ${c.start} + ${int(rule.days)} * interval '1 day'`;
    case 'WITHIN_MONTHS': {
      // Whole months first (clamped at month ends, like the calendar module), then 30-day fractions.
      const months = Math.floor(int(rule.months));
      const days = Math.round((int(rule.months) - months) * 30);
      return `${c.end} <= ${c.start} + interval '${months} months' + interval '${days} days'`;
    }
    case 'AT_LEAST_DAYS':
      return `${c.end} >= ${c.start} + ${int(rule.days)} * interval '1 day'`;
    case 'BY_WORKING_DAY_OF_PERIOD':
      return `${c.end}::date <= (SELECT w.day FROM "${schema}".working_day w WHERE w.month = ${c.period} AND w.ordinal = ${int(rule.n)})`;
    case 'BY_DAY_OF_PERIOD':
      return `${c.end}::date ${rule.strict ? '<' : '<='} ${c.period} + ${int(rule.day) - 1}`;
    case 'BY_DATE_OF_YEAR':
      return `${c.end}::date <= ${dateOfYear(c.reference, rule.month, rule.day)}`;
    case 'ON_DATE_OF_YEAR':
      return `${c.end}::date = ${dateOfYear(c.reference, rule.month, rule.day)}`;
    case 'BY_END_OF_NEXT_QUARTER':
      return `${c.end}::date < (date_trunc('quarter', ${c.period}) + interval '6 months')::date`;
    case 'BY_DATE_PER_INSTALMENT':
      return `${c.end}::date < CASE WHEN ${c.instalment} = 1 THEN ${dateOfYear(c.end, rule.first[0], rule.first[1])}
                                     ELSE ${dateOfYear(c.end, rule.later[0], rule.later[1])} END`;
  }
}

/** Norm results computed from events and payments: the only place with their SQL. */
export class NormResultsStore {
  constructor(
    private readonly ds: DataSource,
    private readonly schema: string,
  ) {}

  private async norms(ids: readonly string[]): Promise<StoredNorm[]> {
    return this.ds.query(
      `SELECT id, measure_code AS "measureCode", end_types AS "endTypes", kinds, channel, clock, rule
         FROM "${this.schema}".norm WHERE id = ANY ($1)`,
      [ids],
    );
  }

  /**
   * The items of one norm whose clock ends in [from, to): its columns and WHERE clause. Payments
   * carry their measure and channel, so the biggest item sets are read from one index range.
   */
  private source(norm: StoredNorm, params: unknown[]): { cols: ItemColumns; where: string } {
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const s = this.schema;
    if (norm.endTypes.includes('PAID')) {
      const where = [`p.measure_code = ${p(norm.measureCode)}`, `p.paid_at >= $1`, `p.paid_at < $2`];
      if (norm.kinds) where.push(`p.kind = ANY (${p(norm.kinds)}::text[])`);
      if (norm.channel) where.push(`p.channel = ${p(norm.channel)}`);
      return {
        cols: {
          from: `"${s}".payment p`,
          end: 'p.paid_at',
          start: 'p.requested_at',
          period: 'p.period',
          instalment: 'p.instalment',
          reference: `date_trunc('year', p.period)::date`,
          dossierId: 'p.dossier_id',
          paymentId: 'p.id',
        },
        where: where.join(' AND '),
      };
    }
    const where = [
      `e.measure_code = ${p(norm.measureCode)}`,
      `e.type = ANY (${p(norm.endTypes)}::text[])`,
      `e.occurred_at >= $1`,
      `e.occurred_at < $2`,
    ];
    if (norm.kinds) where.push(`e.kind = ANY (${p(norm.kinds)}::text[])`);
    if (norm.channel) where.push(`e.channel = ${p(norm.channel)}`);
    // Events carry their dossier's clock starts, kind and channel: no join to the dossier.
    return {
      cols: {
        from: `"${s}".dossier_event e`,
        end: 'e.occurred_at',
        start: norm.clock === 'COMPLETED' ? 'coalesce(e.completed_at, e.received_at)' : 'e.received_at',
        period: `date_trunc('month', e.occurred_at)::date`,
        instalment: '1',
        reference: 'e.reference_date',
        dossierId: 'e.dossier_id',
        paymentId: 'NULL::bigint',
      },
      where: where.join(' AND '),
    };
  }

  /**
   * Results of the given norms for the given years, per year and (when `byQuarter`) per quarter:
   * one statement for the definitions, one for every result, each norm reading only its own
   * measure's items. Items count in the period their clock ends in.
   */
  async results(normIds: readonly string[], years: readonly number[], byQuarter = false): Promise<NormResultRecord[]> {
    if (normIds.length === 0 || years.length === 0) return [];
    const norms = await this.norms(normIds);
    if (norms.length === 0) return [];
    const params: unknown[] = [`${Math.min(...years)}-01-01`, `${Math.max(...years) + 1}-01-01`];
    const parts = norms.map((norm) => {
      const { cols, where } = this.source(norm, params);
      params.push(norm.id);
      const quarter = byQuarter ? `date_part('quarter', ${cols.end})::int` : 'NULL::int';
      return `SELECT $${params.length}::text AS "normId", date_part('year', ${cols.end})::int AS year, ${quarter} AS quarter,
                     count(*) AS total, count(*) FILTER (WHERE ${ruleSql(norm.rule, cols, this.schema)}) AS met
                FROM ${cols.from} WHERE ${where} GROUP BY 2, 3`;
    });
    const rows: Array<{ normId: string; year: number; quarter: number | null; total: string; met: string }> =
      await this.ds.query(parts.join('\nUNION ALL\n'), params);
    // The range covers every year asked for; years between them that were not asked are dropped.
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
    quarter: number | null,
    onTime: boolean | null,
    first: number,
    after: NormItemCursor | null,
  ): Promise<NormItemRecord[]> {
    const [norm] = await this.norms([normId]);
    if (!norm) return [];
    const from = quarter ? `${year}-${String(quarter * 3 - 2).padStart(2, '0')}-01` : `${year}-01-01`;
    const to = quarter && quarter < 4 ? `${year}-${String(quarter * 3 + 1).padStart(2, '0')}-01` : `${year + 1}-01-01`;
    const params: unknown[] = [from, to];
    const { cols, where } = this.source(norm, params);
    const ts = (x: string) => `to_char(${x}, 'YYYY-MM-DD"T"HH24:MI:SS')`;
    params.push(onTime, first + 1);
    const [onTimeParam, limitParam] = [`$${params.length - 1}`, `$${params.length}`];
    let keyset = '';
    if (after) {
      params.push(after.endedAt, after.dossierId, after.paymentId);
      const n = params.length;
      keyset = ` AND (i.end_at, i.dossier_id, i.payment_key) > ($${n - 2}::timestamp, $${n - 1}::bigint, $${n}::bigint)`;
    }
    return this.ds.query(
      `SELECT i.dossier_id::text AS "dossierId", i.payment_id::text AS "paymentId", ${ts('i.start_at')} AS "startedAt",
              ${ts('i.end_at')} AS "endedAt", i.met AS "onTime"
         FROM (SELECT ${cols.dossierId} AS dossier_id, ${cols.paymentId} AS payment_id, coalesce(${cols.paymentId}, 0) AS payment_key,
                      ${cols.start} AS start_at, ${cols.end} AS end_at, coalesce(${ruleSql(norm.rule, cols, this.schema)}, false) AS met
                 FROM ${cols.from} WHERE ${where}) i
        WHERE (${onTimeParam}::boolean IS NULL OR i.met = ${onTimeParam})${keyset}
        ORDER BY i.end_at, i.dossier_id, i.payment_key
        LIMIT ${limitParam}`,
      params,
    );
  }
}
