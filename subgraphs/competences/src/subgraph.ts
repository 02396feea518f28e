import { mergeResolverMaps, type SubgraphContext } from '@measure-graph/subgraph-platform';
import { defineDomainSubgraph, type DomainLoaders } from '@measure-graph/measure-module';
import { competencesDualLearningMigrations } from './dual-learning/migrations.ts';
import { createDualLearningLoaders, dualLearningResolvers } from './dual-learning/resolvers.ts';
import type { Resolvers } from './generated/resolvers.ts';
import { competencesTrainingMigrations } from './training/migrations.ts';
import { competencesTimelineResolvers } from './timeline/resolvers.ts';
import { competencesResolvers, createCompetencesLoaders, type CompetencesLoaders } from './training/resolvers.ts';
import { competencesVoucherMigrations } from './vouchers/migrations.ts';
import { createVoucherLoaders, voucherResolvers } from './vouchers/resolvers.ts';

/** What competences' resolvers see (the generated resolver types' context). */
export type CompetencesContext = SubgraphContext<
  DomainLoaders<
    CompetencesLoaders & {
      vouchers: ReturnType<typeof createVoucherLoaders>;
      dualLearning: ReturnType<typeof createDualLearningLoaders>;
    }
  >
>;

/** The competences subgraph: owns the measures of its domain, their modules, dossiers and money. */
export const competencesSubgraph = defineDomainSubgraph({
  // Service name, Postgres schema, port, type names and measure description: the kit's list of domains.
  domain: 'competences',
  sdl: new URL('./schema.graphql', import.meta.url),
  // Resolver maps of the parts, merged type by type (several add fields to Person, Query ...); each
  // part's resolvers read their own loaders of the merged set (see domainLoaders).
  resolvers: mergeResolverMaps<Resolvers>(
    competencesResolvers,
    voucherResolvers,
    dualLearningResolvers,
    competencesTimelineResolvers,
  ),
  domainLoaders: (ds) => ({
    ...createCompetencesLoaders(ds),
    vouchers: createVoucherLoaders(ds),
    dualLearning: createDualLearningLoaders(ds),
  }),
  migrations: [...competencesTrainingMigrations, ...competencesVoucherMigrations, ...competencesDualLearningMigrations],
  // Courses, training leave, vouchers and dual learning have no reference data of their own: they
  // come from the data loaded into them (demo data: @measure-graph/demo-data).
});
