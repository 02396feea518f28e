import { defineDomainSubgraph } from '@measure-graph/subgraph-kit';

/** The social-economy subgraph: owns the measures of its domain and their modules (norms). */
export const socialEconomySubgraph = defineDomainSubgraph({
  name: 'social-economy',
  domain: 'social-economy',
  schema: 'social_economy',
  defaultPort: 4004,
  measureType: 'SocialEconomyMeasure',
  normResultRowType: 'SocialEconomyNormResultRow',
  dossierType: 'SocialEconomyDossier',
  dossierIdPrefix: 'SE',
  mutationField: 'socialEconomy',
  mutationsType: 'SocialEconomyDossierMutations',
  sdl: new URL('./schema.graphql', import.meta.url),
});
