import { defineDomainSubgraph } from '@measure-graph/subgraph-kit';
import { competencesDualLearningMigrations } from './dual-learning/migrations.ts';
import { createDualLearningLoaders, dualLearningResolvers } from './dual-learning/resolvers.ts';
import { seedDualLearning } from './dual-learning/seed.ts';
import { competencesTrainingMigrations } from './training/migrations.ts';
import { competencesTimelineResolvers } from './timeline.ts';
import { competencesResolvers, createCompetencesLoaders } from './training/resolvers.ts';
import { seedTraining } from './training/seed.ts';
import { competencesVoucherMigrations } from './vouchers/migrations.ts';
import { createVoucherLoaders, voucherResolvers } from './vouchers/resolvers.ts';
import { seedVouchers } from './vouchers/seed.ts';

/** Resolver maps of the parts, merged type by type (several add fields to Person, Query ...). */
const mergeResolvers = (...maps: object[]) => {
  const merged: Record<string, object> = {};
  for (const map of maps)
    for (const [type, fields] of Object.entries(map)) merged[type] = { ...merged[type], ...fields };
  // Each part's resolvers read their own loaders of the merged set (see domainLoaders).
  return merged as typeof competencesResolvers;
};

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
  resolvers: mergeResolvers(
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
  // Vouchers after training (they can be used for its courses).
  seed: async (ds, options) => {
    await seedTraining(ds, options);
    await seedVouchers(ds, options);
    await seedDualLearning(ds, options);
  },
});
