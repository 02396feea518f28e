import type { DataSource } from 'typeorm';

export type Domain = 'ACTIVATION' | 'COMPETENCES' | 'SOCIAL_ECONOMY' | 'INSPECTION';
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

/** Concrete GraphQL type of a measure: the domain decides which subgraph resolves its module fields. */
export const MEASURE_TYPE_BY_DOMAIN: Record<Domain, string> = {
  ACTIVATION: 'ActivationMeasure',
  COMPETENCES: 'CompetencesMeasure',
  SOCIAL_ECONOMY: 'SocialEconomyMeasure',
  INSPECTION: 'InspectionMeasure',
};

/** Concrete type of a norm-table row: the domain of the norm's measure fills in its figures. */
export const NORM_ROW_TYPE_BY_DOMAIN: Record<Domain, string> = {
  ACTIVATION: 'ActivationNormResultRow',
  COMPETENCES: 'CompetencesNormResultRow',
  SOCIAL_ECONOMY: 'SocialEconomyNormResultRow',
  INSPECTION: 'InspectionNormResultRow',
};
