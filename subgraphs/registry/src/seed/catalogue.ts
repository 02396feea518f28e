import { publishedMeasures, type PublishedMeasure } from '@measure-graph/db';
import type { EntityManager } from 'typeorm';
import { domainEntry } from '@measure-graph/subgraph-platform';
import type { MeasureRecord, MeasureStatus } from '../catalogue/store.ts';

const POLICY_FIELD: Record<PublishedMeasure['policyField'], MeasureRecord['policyField']> = {
  Werk: 'WORK',
  Competenties: 'COMPETENCES',
  'Sociale Economie': 'SOCIAL_ECONOMY',
};

const upper = <T extends string>(value: string): T => value.toUpperCase().replace(/-/g, '_') as T;

/** Upserts the 42 measures of the 2020 report, in report order. */
export async function seedCatalogue(em: EntityManager): Promise<void> {
  const measures = publishedMeasures();
  const column = <T>(pick: (m: PublishedMeasure) => T) => measures.map(pick);
  await em.query(
    `INSERT INTO registry.measure (code, position, name, domain, status, policy_field, objective_code,
                                   objective_heading, budget_article, report_section)
     SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[],
                          $7::text[], $8::text[], $9::text[], $10::text[])
     ON CONFLICT (code) DO UPDATE SET
       position = EXCLUDED.position, name = EXCLUDED.name, domain = EXCLUDED.domain,
       status = EXCLUDED.status, policy_field = EXCLUDED.policy_field,
       objective_code = EXCLUDED.objective_code, objective_heading = EXCLUDED.objective_heading,
       budget_article = EXCLUDED.budget_article, report_section = EXCLUDED.report_section`,
    [
      column((m) => m.code),
      measures.map((_, i) => i + 1),
      column((m) => m.name),
      column((m) => domainEntry(m.domain).enumValue),
      column((m) => upper<MeasureStatus>(m.status)),
      column((m) => POLICY_FIELD[m.policyField]),
      column((m) => m.objective.code),
      column((m) => m.objective.heading),
      column((m) => m.budget.budgetArticle),
      column((m) => m.section),
    ],
  );
}

/** Upserts the report's norm list (ids "<measure>-<position>", as the domain modules use). */
export async function seedNormIndex(em: EntityManager): Promise<void> {
  const norms = publishedMeasures().flatMap((m) =>
    m.norms.map((n, i) => ({ id: `${m.code}-${i + 1}`, code: m.code, position: i + 1, row: n.overviewRowId ?? null })),
  );
  await em.query(
    `INSERT INTO registry.norm_index (id, measure_code, position, overview_row_id)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[])
     ON CONFLICT (id) DO UPDATE SET overview_row_id = EXCLUDED.overview_row_id`,
    [norms.map((n) => n.id), norms.map((n) => n.code), norms.map((n) => n.position), norms.map((n) => n.row)],
  );
}
