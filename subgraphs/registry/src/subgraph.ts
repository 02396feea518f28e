import { loadTypeDefs, type SubgraphDefinition } from '@measure-graph/subgraph-kit';
import { createRegistryLoaders, type RegistryLoaders } from './loaders.ts';
import { RegistryInit1763800000000 } from './migrations/1763800000000-registry-init.ts';
import { RegistryNormIndex1763900000000 } from './migrations/1763900000000-norm-index.ts';
import { RegistryPersonalDataAccess1764000000000 } from './migrations/1764000000000-personal-data-access.ts';
import { registryResolvers } from './resolvers.ts';
import { seedCatalogue, seedNormIndex } from './seed/catalogue.ts';
import { seedParties } from './seed/parties.ts';

/**
 * The registry subgraph: reference data no policy domain owns (the measure catalogue, provinces,
 * organisations, persons). It decides each measure's concrete type, and so which domain subgraph
 * resolves that measure's module fields.
 */
export const registrySubgraph: SubgraphDefinition<RegistryLoaders> = {
  name: 'registry',
  schema: 'registry',
  defaultPort: 4001,
  typeDefs: loadTypeDefs(new URL('./schema.graphql', import.meta.url)),
  resolvers: registryResolvers,
  migrations: [RegistryInit1763800000000, RegistryNormIndex1763900000000, RegistryPersonalDataAccess1764000000000],
  seed: (ds) =>
    ds.transaction(async (em) => {
      await seedCatalogue(em);
      await seedNormIndex(em);
      await seedParties(em);
    }),
  createLoaders: createRegistryLoaders,
};
