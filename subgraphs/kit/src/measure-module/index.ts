import { fileURLToPath } from 'node:url';
import type { PublishedMeasure } from '@measure-graph/db';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { loadTypeDefs, type SubgraphContext, type SubgraphDefinition } from '../subgraph.ts';
import { createMeasureModuleLoaders, type MeasureModuleLoaders } from './loaders.ts';
import { measureModuleMigrations } from './migrations.ts';
import { dossierResolvers } from './dossier-resolvers.ts';
import { measureModuleResolvers } from './resolvers.ts';
import { seedMeasureModules } from './seed.ts';

export { createMeasureModuleLoaders, type MeasureModuleLoaders } from './loaders.ts';
export { measureModuleMigrations } from './migrations.ts';
export { measureModuleResolvers } from './resolvers.ts';
export { normRecordsOf, seedMeasureModules, seedProfileFromEnv } from './seed.ts';
export { MeasureModuleStore, type NormRecord } from './store.ts';
export {
  candidateCounts,
  deltaShowsAs,
  normTargetsOf,
  parseDeltaPpt,
  precisionOf,
  showsAs,
  type NormTarget,
} from './calibration.ts';
export { normDefinitionsOf, type NormDefinition, type NormRule } from './norm-rules.ts';
export { NormResultsStore, type NormResultRecord } from './norm-results-store.ts';
export { generateDossiers, SEED_YEARS, type SeedProfile } from './seed-dossiers.ts';

/** SDL shared by every domain subgraph: the Measure interface part and the Norm type. */
export const measureModuleSdl = new URL('./measure-module.graphql', import.meta.url);
export const measureModuleSdlPath = fileURLToPath(measureModuleSdl);

export interface DomainSubgraphOptions {
  /** Service name, e.g. `social-economy`. */
  name: string;
  /** Domain of the measures it owns, as in the catalogue. */
  domain: PublishedMeasure['domain'];
  /** Postgres schema it owns. */
  schema: string;
  defaultPort: number;
  /** Its measure type, e.g. `SocialEconomyMeasure`. */
  measureType: string;
  /** Its row type of the flat norm table, e.g. `SocialEconomyNormResultRow`. */
  normResultRowType: string;
  /** Its dossier type, e.g. `SocialEconomyDossier`, and the prefix of its dossier ids, e.g. SE. */
  dossierType: string;
  dossierIdPrefix: string;
  /** Its mutation namespace field (e.g. `socialEconomy`) and type (e.g. `SocialEconomyDossierMutations`). */
  mutationField: string;
  mutationsType: string;
  /** Its own SDL file. */
  sdl: URL;
  /** Extra resolvers of the domain's own types. */
  resolvers?: GraphQLResolverMap<SubgraphContext<MeasureModuleLoaders>>;
}

/** Merges resolver maps type by type (several maps add fields to the same domain measure type). */
function mergeResolvers<C>(...maps: Array<GraphQLResolverMap<C>>): GraphQLResolverMap<C> {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) merged[type] = { ...merged[type], ...(fields as object) };
  }
  return merged as GraphQLResolverMap<C>;
}

/**
 * A domain subgraph built on the shared measure-module machinery: its measure type, norms and
 * seed. Domain-specific types add their SDL, resolvers and migrations on top.
 */
export function defineDomainSubgraph(options: DomainSubgraphOptions): SubgraphDefinition<MeasureModuleLoaders> {
  return {
    name: options.name,
    schema: options.schema,
    defaultPort: options.defaultPort,
    typeDefs: loadTypeDefs(measureModuleSdl, options.sdl),
    resolvers: mergeResolvers(
      measureModuleResolvers(options.measureType, options.normResultRowType),
      dossierResolvers(options),
      options.resolvers ?? {},
    ),
    migrations: measureModuleMigrations(options.schema),
    seed: (ds, { profile }) => seedMeasureModules(ds, options.schema, options.domain, profile),
    createLoaders: (ds) => createMeasureModuleLoaders(ds, options.schema, options.dossierIdPrefix),
  };
}
