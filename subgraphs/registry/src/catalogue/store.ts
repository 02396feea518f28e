import type { DomainEnumValue } from '@measure-graph/subgraph-platform';
import type { DataSource } from 'typeorm';

/** A value of the Domain enum (the kit's list of domains). */
export type Domain = DomainEnumValue;
export type MeasureStatus = 'ACTIVE' | 'PHASING_OUT' | 'REFORM';

/** A catalogue entry as the GraphQL layer sees it. */
export interface MeasureRecord {
  code: string;
  name: string;
  domain: Domain;
  status: MeasureStatus;
  policyField: 'WORK' | 'COMPETENCES' | 'SOCIAL_ECONOMY';
  objective: { code: string; heading: string };
  budgetArticle: string | null;
  reportSection: string;
}

const SELECT = `
  SELECT code, name, domain, status, policy_field AS "policyField",
         json_build_object('code', objective_code, 'heading', objective_heading) AS objective,
         budget_article AS "budgetArticle", report_section AS "reportSection"
    FROM registry.measure`;

/** The measure catalogue: the only place with its SQL. */
export class MeasureCatalogueStore {
  constructor(private readonly ds: DataSource) {}

  async byCodes(codes: readonly string[]): Promise<MeasureRecord[]> {
    return this.ds.query(`${SELECT} WHERE code = ANY($1)`, [codes]);
  }

  /** Rows of the norm table for a year: the overview's rows in its order, then (optionally) the others. */
  async normRows(year: number, includeAll: boolean): Promise<NormRowRecord[]> {
    return this.ds.query(
      `SELECT n.id AS "normId", $1::int AS year, n.measure_code AS "measureCode", m.domain
         FROM registry.norm_index n JOIN registry.measure m ON m.code = n.measure_code
        WHERE $2 OR n.overview_row_id IS NOT NULL
        ORDER BY n.overview_row_id IS NULL, n.overview_row_id, m.position, n.position`,
      [year, includeAll],
    );
  }

  /** Measures in report order; a null filter means "any". */
  async list(filter: { domain?: Domain | null; status?: MeasureStatus | null }): Promise<MeasureRecord[]> {
    return this.ds.query(
      `${SELECT} WHERE ($1::text IS NULL OR domain = $1) AND ($2::text IS NULL OR status = $2) ORDER BY position`,
      [filter.domain ?? null, filter.status ?? null],
    );
  }
}

/** A row of the flat norm table as the registry lists it. */
export interface NormRowRecord {
  normId: string;
  year: number;
  measureCode: string;
  domain: Domain;
}
