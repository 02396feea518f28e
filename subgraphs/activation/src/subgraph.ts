import { mergeResolverMaps, type SubgraphContext } from '@measure-graph/subgraph-platform';
import { defineDomainSubgraph, type DomainLoaders } from '@measure-graph/measure-module';
import type { DataSource } from 'typeorm';
import { activationAppealMigrations } from './appeals/migrations.ts';
import { appealResolvers, createAppealLoaders } from './appeals/resolvers.ts';
import type { Resolvers } from './generated/resolvers.ts';
import { activationIwlMigrations } from './iwl/migrations.ts';
import { iwlResolvers } from './iwl/resolvers.ts';
import { IwlStore } from './iwl/store.ts';
import { activationPermitMigrations } from './permits/migrations.ts';
import { createPermitLoaders, permitResolvers } from './permits/resolvers.ts';
import { createRecognitionLoader, recognitionResolvers } from './recognitions/resolvers.ts';

/** The activation domain's own loaders (under `loaders.domain`). */
export function createActivationLoaders(ds: DataSource) {
  return {
    iwl: new IwlStore(ds),
    appeals: createAppealLoaders(ds),
    permits: createPermitLoaders(ds),
    recognitions: createRecognitionLoader(ds),
  };
}
export type ActivationLoaders = ReturnType<typeof createActivationLoaders>;
/** What activation's resolvers see (the generated resolver types' context). */
export type ActivationContext = SubgraphContext<DomainLoaders<ActivationLoaders>>;

/** The features' resolvers, merged type by type. */
export const activationResolvers = mergeResolverMaps<Resolvers>(
  iwlResolvers,
  recognitionResolvers,
  appealResolvers,
  permitResolvers,
);

/** The activation subgraph: owns the measures of its domain, their modules, dossiers and money. */
export const activationSubgraph = defineDomainSubgraph({
  // Service name, Postgres schema, port, type names and measure description: the kit's list of domains.
  domain: 'activation',
  sdl: new URL('./schema.graphql', import.meta.url),
  resolvers: activationResolvers,
  domainLoaders: createActivationLoaders,
  migrations: [...activationIwlMigrations, ...activationAppealMigrations, ...activationPermitMigrations],
  // Activation's own tables hold no reference data: the WEP+ promoters, the IWL tender, appeals and
  // combined procedures come from the data loaded into them (demo data: @measure-graph/demo-data).
});
