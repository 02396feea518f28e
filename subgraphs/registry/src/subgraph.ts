import { loadTypeDefs, type SubgraphDefinition } from '@measure-graph/subgraph-platform';
import { registryDomainSdl } from './domains.ts';
import { createRegistryLoaders, type RegistryLoaders } from './loaders.ts';
import { RegistryInit1763800000000 } from './migrations/1763800000000-registry-init.ts';
import { RegistryNormIndex1763900000000 } from './migrations/1763900000000-norm-index.ts';
import { RegistryPersonalDataAccess1764000000000 } from './migrations/1764000000000-personal-data-access.ts';
import { RegistryAccessLogChain1764100000000 } from './migrations/1764100000000-access-log-chain.ts';
import type { AuditKeyring } from './parties/access-log-chain.ts';
import { readAuditKeyring } from './parties/access-log-key.ts';
import { registryResolvers } from './resolvers.ts';
import { seedProvinces } from './seed/provinces.ts';

/**
 * The registry subgraph: what no policy domain owns (the measure catalogue, provinces,
 * organisations, persons). It decides each measure's concrete type, and so which domain subgraph
 * resolves that measure's module fields.
 */
export const registrySubgraph: SubgraphDefinition<RegistryLoaders, AuditKeyring> = {
  name: 'registry',
  schema: 'registry',
  defaultPort: 4001,
  // The shared SDL plus the per-domain parts generated from the kit's list of domains.
  typeDefs: loadTypeDefs(new URL('./schema.graphql', import.meta.url), registryDomainSdl),
  resolvers: registryResolvers,
  migrations: [
    RegistryInit1763800000000,
    RegistryNormIndex1763900000000,
    RegistryPersonalDataAccess1764000000000,
    RegistryAccessLogChain1764100000000,
  ],
  // Reference data: the provinces (upserts, every start). The catalogue and norm index are data
  // (measures.jsonl of the import, or the generator's demo seed).
  seedReference: (ds) => ds.transaction((em) => seedProvinces(em)),
  // The access log's key (AUDIT_LOG_KEY), which only the registry needs.
  readSettings: (env, problems) => readAuditKeyring(env, problems),
  createLoaders: createRegistryLoaders,
};

export * from './parties/access-log-chain.ts';
export { readAuditKeyring, devAuditKeyFile } from './parties/access-log-key.ts';
export { AccessLogStore } from './parties/access-log-store.ts';
export { AUDIT_OWNER_ROLE } from './migrations/1764100000000-access-log-chain.ts';
