import type { DataSource } from 'typeorm';

/** A norm definition row as the domain stores it. */
export interface NormRecord {
  id: string;
  measureCode: string;
  position: number;
  label: string;
  stage: 'ADMISSIBILITY' | 'DECISION' | 'PAYMENT' | 'ADVICE' | 'OTHER';
  kind: 'LEGAL' | 'INTERNAL' | 'UNSPECIFIED';
  targetShare: number | null;
  thresholdDays: number | null;
  thresholdRule: string | null;
  channel: 'ONLINE' | 'PAPER' | null;
  overviewRowId: string | null;
}

/** Data access for the measure modules of one domain schema: the only place with their SQL. */
export class MeasureModuleStore {
  constructor(
    private readonly ds: DataSource,
    private readonly schema: string,
  ) {}

  /** Which of the given codes are modules of this domain. */
  async existingCodes(codes: readonly string[]): Promise<Set<string>> {
    const rows: { code: string }[] = await this.ds.query(
      `SELECT code FROM "${this.schema}".measure_module WHERE code = ANY($1)`,
      [codes],
    );
    return new Set(rows.map((r) => r.code));
  }

  /** Norms by id, in one statement. */
  async normsByIds(ids: readonly string[]): Promise<NormRecord[]> {
    return this.normsWhere('id = ANY($1)', ids);
  }

  /** Norms of many measures in one statement, in report order. */
  async normsOf(codes: readonly string[]): Promise<NormRecord[]> {
    return this.normsWhere('measure_code = ANY($1)', codes);
  }

  private async normsWhere(condition: string, keys: readonly string[]): Promise<NormRecord[]> {
    const rows: Array<
      Omit<NormRecord, 'targetShare' | 'thresholdDays'> & Record<'targetShare' | 'thresholdDays', string | null>
    > = await this.ds.query(
      `SELECT id, measure_code AS "measureCode", position, label, stage, kind,
              target_share AS "targetShare", threshold_days AS "thresholdDays",
              threshold_rule AS "thresholdRule", channel, overview_row_id AS "overviewRowId"
         FROM "${this.schema}".norm
        WHERE ${condition}
        ORDER BY measure_code, position`,
      [keys],
    );
    // numeric comes back as a string from pg; these are small fractions and day counts, not money.
    const num = (v: string | null) => (v === null ? null : Number(v));
    return rows.map((r) => ({ ...r, targetShare: num(r.targetShare), thresholdDays: num(r.thresholdDays) }));
  }
}
