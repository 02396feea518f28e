import type { DataSource } from 'typeorm';

/** Counts of one measure in one year, computed from its dossiers, events and payments. */
export interface VolumeRecord {
  measureCode: string;
  received: number;
  receivedOnline: number;
  admissibilityDecisions: number;
  handled: number;
  payments: number;
}

/** Volume figures: the only place with their SQL. */
export class VolumeStore {
  constructor(
    private readonly ds: DataSource,
    private readonly schema: string,
  ) {}

  /** One statement for many measures of one year, each count read from its measure's index range. */
  async ofYear(codes: readonly string[], year: number): Promise<VolumeRecord[]> {
    const s = this.schema;
    const inYear = (column: string) => `${column} >= make_date($2, 1, 1) AND ${column} < make_date($2 + 1, 1, 1)`;
    return this.ds.query(
      `SELECT c.code AS "measureCode",
              (SELECT count(*)::int FROM "${s}".dossier d WHERE d.measure_code = c.code AND ${inYear('d.received_at')}) AS received,
              (SELECT count(*)::int FROM "${s}".dossier d
                WHERE d.measure_code = c.code AND d.channel = 'ONLINE' AND ${inYear('d.received_at')}) AS "receivedOnline",
              (SELECT count(*)::int FROM "${s}".dossier_event e WHERE e.measure_code = c.code
                  AND e.type IN ('ADMISSIBLE', 'INADMISSIBLE') AND ${inYear('e.occurred_at')}) AS "admissibilityDecisions",
              (SELECT count(*)::int FROM "${s}".dossier_event e JOIN "${s}".dossier d ON d.id = e.dossier_id
                WHERE e.measure_code = c.code AND d.kind IN ('APPLICATION', 'EXTENSION', 'INCREASE')
                  AND e.type IN ('GRANTED', 'REFUSED') AND ${inYear('e.occurred_at')}) AS handled,
              (SELECT count(*)::int FROM "${s}".payment p WHERE p.measure_code = c.code AND ${inYear('p.paid_at')}) AS payments
         FROM unnest($1::text[]) AS c (code)`,
      [codes, year],
    );
  }
}
