import { defineDomainSubgraph } from '@measure-graph/subgraph-kit';

/** The inspection subgraph: owns the measures of its domain, their modules, dossiers and money. */
export const inspectionSubgraph = defineDomainSubgraph({
  name: 'inspection',
  domain: 'inspection',
  schema: 'inspection',
  defaultPort: 4005,
  typePrefix: 'Inspection',
  dossierIdPrefix: 'INS',
  measureDescription:
    'An enforcement measure run by the inspection domain (e.g. administrative fines after a VSI report).',
  sdl: new URL('./schema.graphql', import.meta.url),
});
