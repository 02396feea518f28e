import { defineDomainSubgraph } from '@measure-graph/subgraph-kit';

/** The inspection subgraph: owns the measures of its domain and their modules (norms). */
export const inspectionSubgraph = defineDomainSubgraph({
  name: 'inspection',
  domain: 'inspection',
  schema: 'inspection',
  defaultPort: 4005,
  measureType: 'InspectionMeasure',
  normResultRowType: 'InspectionNormResultRow',
  dossierType: 'InspectionDossier',
  dossierIdPrefix: 'INS',
  mutationField: 'inspection',
  mutationsType: 'InspectionDossierMutations',
  sdl: new URL('./schema.graphql', import.meta.url),
});
