import type { DataSource } from 'typeorm';

/** Money of a measure in a year, exact cents as strings (null where there is nothing). */
export interface BudgetRecord {
  measureCode: string;
  year: number;
  vekRealisedCents: string | null;
  vakRealisedCents: string | null;
  nextYearVakCents: string | null;
  nextYearVekCents: string | null;
}

/** Budget figures computed from payments and commitments: the only place with their SQL. */
export class BudgetStore {
  constructor(
    private readonly ds: DataSource,
    private readonly schema: string,
  ) {}

  /** One statement for many measures of one year. */
  async ofYear(codes: readonly string[], year: number): Promise<BudgetRecord[]> {
    const s = this.schema;
    return this.ds.query(
      `SELECT c.code AS "measureCode", $2::int AS year,
              (SELECT sum(p.amount_cents)::text FROM "${s}".payment p
                WHERE p.measure_code = c.code AND p.from_budget AND p.paid_at >= make_date($2, 1, 1) AND p.paid_at < make_date($2 + 1, 1, 1))
                AS "vekRealisedCents",
              (SELECT sum(k.amount_cents)::text FROM "${s}".commitment k
                WHERE k.measure_code = c.code AND k.committed_on >= make_date($2, 1, 1) AND k.committed_on < make_date($2 + 1, 1, 1))
                AS "vakRealisedCents",
              b.vak_cents::text AS "nextYearVakCents", b.vek_cents::text AS "nextYearVekCents"
         FROM unnest($1::text[]) AS c (code)
         LEFT JOIN "${s}".budget_plan b ON b.measure_code = c.code AND b.year = $2 + 1`,
      [codes, year],
    );
  }
}
