import { mergeResolverMaps, type SubgraphContext } from '@measure-graph/subgraph-platform';
import { defineDomainSubgraph, type DomainLoaders } from '@measure-graph/measure-module';
import type { DataSource } from 'typeorm';
import { createGrowthPathLoaders } from './growth-path/loaders.ts';
import { growthPathResolvers } from './growth-path/resolvers.ts';
import { createSectorLoaders } from './sector/loaders.ts';
import { socialEconomyMigrations } from './sector/migrations.ts';
import type { Resolvers } from './generated/resolvers.ts';
import { sectorResolvers } from './sector/resolvers.ts';

/** The social economy's per-request loaders (under `loaders.domain`): the sector's and the growth path's. */
export function createSocialEconomyLoaders(ds: DataSource) {
  return { ...createSectorLoaders(ds), ...createGrowthPathLoaders(ds) };
}
export type SocialEconomyLoaders = ReturnType<typeof createSocialEconomyLoaders>;
/** What the social economy's resolvers see (the generated resolver types' context). */
export type SocialEconomyContext = SubgraphContext<DomainLoaders<SocialEconomyLoaders>>;

/** The features' resolvers, merged type by type (both add fields to Query). */
export const socialEconomyResolvers = mergeResolverMaps<Resolvers>(sectorResolvers, growthPathResolvers);

/**
 * The social-economy subgraph: owns the measures of its domain (modules, dossiers, money) and the
 * sector's own data: organisations and their contingents, settlements, growth-path calls, target-group
 * employees and transition trajectories.
 */
export const socialEconomySubgraph = defineDomainSubgraph({
  // Service name, Postgres schema, port, type names and measure description: the kit's list of domains.
  domain: 'social-economy',
  sdl: new URL('./schema.graphql', import.meta.url),
  resolvers: socialEconomyResolvers,
  migrations: socialEconomyMigrations,
  // The sector has no reference data of its own beyond the measure modules: its organisations,
  // contingents, settlements, calls, employees and trajectories come from the data loaded into it
  // (demo data: @measure-graph/demo-data).
  domainLoaders: createSocialEconomyLoaders,
});
