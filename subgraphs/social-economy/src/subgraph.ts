import { defineDomainSubgraph } from '@measure-graph/measure-module';
import { createSocialEconomyLoaders } from './graph/loaders.ts';
import { socialEconomyResolvers } from './graph/resolvers.ts';
import { socialEconomyMigrations } from './migrations.ts';

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
