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

  /** Measures in report order; a null filter means "any". */
  async list(filter: { domain?: Domain | null; status?: MeasureStatus | null }): Promise<MeasureRecord[]> {
    return this.ds.query(
      `${SELECT} WHERE ($1::text IS NULL OR domain = $1) AND ($2::text IS NULL OR status = $2) ORDER BY position`,
      [filter.domain ?? null, filter.status ?? null],
    );
  }
}

/** Concrete GraphQL type of a measure: the domain decides which subgraph resolves its module fields. */
export const MEASURE_TYPE_BY_DOMAIN: Record<Domain, string> = {
  ACTIVATION: 'ActivationMeasure',
  COMPETENCES: 'CompetencesMeasure',
  SOCIAL_ECONOMY: 'SocialEconomyMeasure',
  INSPECTION: 'InspectionMeasure',
};
