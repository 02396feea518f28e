import type { DataSource } from 'typeorm';
import type { VolumeDefinition } from './volume-rules.ts';

/** One row of a measure card in one year, computed from the measure's data. */
export type VolumeRecord = Omit<VolumeDefinition, 'registeredPer'> & {
  /** null for a share of nothing, or a registered figure not registered for the year. */
  value: number | null;
};

export interface LeadTimeRecord {
  measureCode: string;
  decided: number;
  averageDays: number | null;
  medianDays: number | null;
  averageTotalDays: number | null;
  medianTotalDays: number | null;
}

/** Volume figures and lead times: the only place with their SQL. */
export class VolumeStore {
  constructor(
    private readonly ds: DataSource,
    private readonly schema: string,
  ) {}

  /**
   * One statement for every row of many measures in one year. Each row's definition picks its
   * count; every count reads one index range of its own measure (dossiers by receipt, events by
   * type and date, payments by date).
   */
  async ofYear(codes: readonly string[], year: number): Promise<VolumeRecord[]> {
    const s = this.schema;
    const inYear = (column: string) => `${column} >= make_date($2, 1, 1) AND ${column} < make_date($2 + 1, 1, 1)`;
    const ofKind = (alias: string) => `(v.kinds IS NULL OR ${alias}.kind = ANY (v.kinds))`;
    const events = (types: string) => `
      FROM "${s}".dossier_event e
     WHERE e.measure_code = v.measure_code AND e.type = ANY (${types}) AND ${inYear('e.occurred_at')} AND ${ofKind('e')}`;
    const rows: Array<Omit<VolumeRecord, 'value'> & { value: string | null }> = await this.ds.query(
      `SELECT v.id, v.measure_code AS "measureCode", v.position, v.label, v.metric, v.unit, v.kinds,
              v.event_types AS "eventTypes", v.payment_kinds AS "paymentKinds", v.through_month AS "throughMonth",
              (CASE v.metric
                 WHEN 'DOSSIERS_RECEIVED' THEN
                   (SELECT count(*) FROM "${s}".dossier d
                     WHERE d.measure_code = v.measure_code AND ${inYear('d.received_at')} AND ${ofKind('d')})
                 WHEN 'ONLINE_SHARE' THEN
                   (SELECT avg((d.channel = 'ONLINE')::int) FROM "${s}".dossier d
                     WHERE d.measure_code = v.measure_code AND ${inYear('d.received_at')} AND ${ofKind('d')})
                 WHEN 'GRANTED_SHARE' THEN (SELECT avg((e.type = 'GRANTED')::int) ${events('v.event_types')})
                 WHEN 'PAYMENTS' THEN
                   (SELECT count(*) FROM "${s}".payment p
                     WHERE p.measure_code = v.measure_code AND (v.payment_kinds IS NULL OR p.kind = ANY (v.payment_kinds))
                       AND p.paid_at >= make_date($2, 1, 1)
                       AND p.paid_at < make_date($2, 1, 1) + make_interval(months => coalesce(v.through_month, 12)))
                 WHEN 'REGISTERED' THEN
                   (SELECT sum(f.value) FROM "${s}".registered_figure f WHERE f.volume_id = v.id AND ${inYear('f.period')})
                 ELSE (SELECT count(*) ${events('v.event_types')})
               END)::text AS value
         FROM "${s}".volume_definition v
        WHERE v.measure_code = ANY ($1::text[])
        ORDER BY v.measure_code, v.position`,
      [codes, year],
    );
    return rows.map((r) => ({ ...r, value: r.value === null ? null : Number(r.value) }));
  }

  /** Average and median lead times (days) of the applications decided in a year, per measure. */
  async leadTimes(codes: readonly string[], year: number): Promise<LeadTimeRecord[]> {
    const days = (from: string) => `extract(epoch FROM e.occurred_at - ${from}) / 86400`;
    return this.ds.query(
      `SELECT e.measure_code AS "measureCode", count(*)::int AS decided,
              avg(${days('coalesce(e.completed_at, e.received_at)')})::float AS "averageDays",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY ${days('coalesce(e.completed_at, e.received_at)')})::float AS "medianDays",
              avg(${days('e.received_at')})::float AS "averageTotalDays",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY ${days('e.received_at')})::float AS "medianTotalDays"
         FROM "${this.schema}".dossier_event e
        WHERE e.measure_code = ANY ($1::text[]) AND e.type IN ('GRANTED', 'REFUSED')
          AND e.kind IN ('APPLICATION', 'EXTENSION', 'INCREASE')
          AND e.occurred_at >= make_date($2, 1, 1) AND e.occurred_at < make_date($2 + 1, 1, 1)
        GROUP BY e.measure_code`,
      [codes, year],
    );
  }
}
