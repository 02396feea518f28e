import { defineDomainSubgraph } from '@measure-graph/subgraph-kit';

/** The activation subgraph: owns the measures of its domain and their modules (norms). */
export const activationSubgraph = defineDomainSubgraph({
  name: 'activation',
  domain: 'activation',
  schema: 'activation',
  defaultPort: 4002,
  measureType: 'ActivationMeasure',
  normResultRowType: 'ActivationNormResultRow',
  dossierType: 'ActivationDossier',
  dossierIdPrefix: 'ACT',
  mutationField: 'activation',
  mutationsType: 'ActivationDossierMutations',
  sdl: new URL('./schema.graphql', import.meta.url),
});
