import { defineDomainSubgraph } from '@measure-graph/measure-module';
import { activationAppealMigrations } from './appeals/migrations.ts';
import { activationIwlMigrations } from './iwl/migrations.ts';
import { activationPermitMigrations } from './permits/migrations.ts';
import { activationResolvers, createActivationLoaders } from './graph/resolvers.ts';

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
