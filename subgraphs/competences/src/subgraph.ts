import { defineDomainSubgraph } from '@measure-graph/subgraph-kit';
import { competencesTrainingMigrations } from './training/migrations.ts';
import { competencesResolvers, createCompetencesLoaders } from './training/resolvers.ts';
import { seedTraining } from './training/seed.ts';

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
  resolvers: competencesResolvers,
  domainLoaders: createCompetencesLoaders,
  migrations: competencesTrainingMigrations,
  seed: seedTraining,
});
