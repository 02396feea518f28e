import { defineDomainSubgraph } from '@measure-graph/subgraph-kit';

/** The competences subgraph: owns the measures of its domain and their modules (norms). */
export const competencesSubgraph = defineDomainSubgraph({
  name: 'competences',
  domain: 'competences',
  schema: 'competences',
  defaultPort: 4003,
  measureType: 'CompetencesMeasure',
  normResultRowType: 'CompetencesNormResultRow',
  dossierType: 'CompetencesDossier',
  dossierIdPrefix: 'COM',
  mutationField: 'competences',
  mutationsType: 'CompetencesDossierMutations',
  sdl: new URL('./schema.graphql', import.meta.url),
});
