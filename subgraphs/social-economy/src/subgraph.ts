import { defineDomainSubgraph } from '@measure-graph/subgraph-kit';

/** The social-economy subgraph: owns the measures of its domain, their modules, dossiers and money. */
export const socialEconomySubgraph = defineDomainSubgraph({
  name: 'social-economy',
  domain: 'social-economy',
  schema: 'social_economy',
  defaultPort: 4004,
  typePrefix: 'SocialEconomy',
  dossierIdPrefix: 'SE',
  measureDescription:
    'A social-economy measure (beleidsveld Sociale Economie): collective custom work, local service economy, arbeidszorg, support measures.',
  sdl: new URL('./schema.graphql', import.meta.url),
});
