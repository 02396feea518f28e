import { defineDomainSubgraph } from '@measure-graph/subgraph-kit';
import { createInspectionLoaders } from './graph/loaders.ts';
import { inspectionResolvers } from './graph/resolvers.ts';
import { inspectionMigrations } from './migrations.ts';
import { seedInspectionReference } from './seed/reference.ts';
import { seedInspections } from './seed/seed.ts';

/**
 * The inspection subgraph: owns the measures of its domain (administrative fines) and the Flemish
 * Social Inspectorate's records, and adds inspection figures to every measure of every domain.
 */
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
  resolvers: inspectionResolvers,
  migrations: inspectionMigrations,
  // Reference data: the measure catalogue (code, domain) and the VSI table's control domains.
  seedReference: seedInspectionReference,
  // Generated demo data: the 2019-2020 inspections.
  seedDemo: seedInspections,
  domainLoaders: createInspectionLoaders,
});
