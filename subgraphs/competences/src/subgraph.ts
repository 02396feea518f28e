import { defineDomainSubgraph } from '@measure-graph/subgraph-kit';

/** The competences subgraph: owns the measures of its domain, their modules, dossiers and money. */
export const competencesSubgraph = defineDomainSubgraph({
  name: 'competences',
  domain: 'competences',
  schema: 'competences',
  defaultPort: 4003,
  typePrefix: 'Competences',
  dossierIdPrefix: 'COM',
  measureDescription:
    'A training measure (beleidsveld Competenties): training leave, educational leave, training vouchers, the training database, qualifying trajectories.',
  sdl: new URL('./schema.graphql', import.meta.url),
});
