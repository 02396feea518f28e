import { defineDomainSubgraph, type DomainLoaders } from '@measure-graph/measure-module';
import { generatedSdl, type SubgraphContext } from '@measure-graph/subgraph-platform';
import { inspectionDomainSdl } from './domains.ts';
import { createInspectionLoaders } from './inspections/loaders.ts';
import { inspectionResolvers } from './inspections/resolvers.ts';
import { inspectionMigrations } from './inspections/migrations.ts';
import { seedInspectionReference } from './inspections/reference.ts';

/** What inspection's resolvers see (the generated resolver types' context). */
export type InspectionContext = SubgraphContext<DomainLoaders<ReturnType<typeof createInspectionLoaders>>>;

/**
 * The inspection subgraph: owns the measures of its domain (administrative fines) and the Flemish
 * Social Inspectorate's records, and adds inspection figures to every measure of every domain.
 */
export const inspectionSubgraph = defineDomainSubgraph({
  // Service name, Postgres schema, port, type names and measure description: the kit's list of domains.
  domain: 'inspection',
  sdl: new URL('./schema.graphql', import.meta.url),
  // The other domains' measure stubs and the InspectedMeasure union, from the list of domains.
  generatedSdl: generatedSdl(new URL('./domains.ts', import.meta.url), inspectionDomainSdl),
  resolvers: inspectionResolvers,
  migrations: inspectionMigrations,
  // Reference data: the control domains (a constant; the measure catalogue is data, see measures.jsonl).
  seedReference: seedInspectionReference,
  domainLoaders: createInspectionLoaders,
});
