import type { DataSource } from 'typeorm';
import {
  generatedSdl,
  loadSdl,
  sdlFile,
  mergeResolverMaps,
  type SubgraphContext,
  type SubgraphDefinition,
} from '@measure-graph/subgraph-platform';
import { createCatalogueLoaders, type CatalogueLoaders } from './catalogue/loaders.ts';
import { RegistryInit1763800000000, RegistryNormIndex1763900000000 } from './catalogue/migrations.ts';
import { catalogueResolvers } from './catalogue/resolvers.ts';
import { registryDomainSdl } from './domains.ts';
import type { Resolvers } from './generated/resolvers.ts';
import type { AuditKeyring } from './parties/access-log-chain.ts';
import { readAuditKeyring } from './parties/access-log-key.ts';
import { createPartyLoaders, type PartyLoaders } from './parties/loaders.ts';
import { RegistryAccessLogChain1764100000000, RegistryPersonalDataAccess1764000000000 } from './parties/migrations.ts';
import { seedProvinces } from './parties/reference.ts';
import { partyResolvers } from './parties/resolvers.ts';
import { nodeResolvers } from './node/resolvers.ts';
import { dossierResolvers } from './dossiers/resolvers.ts';

export type RegistryLoaders = CatalogueLoaders & PartyLoaders;

/** `auditKeys` chain the access log; without them national numbers cannot be read (nothing is logged). */
export function createRegistryLoaders(ds: DataSource, auditKeys?: AuditKeyring): RegistryLoaders {
  return { ...createCatalogueLoaders(ds), ...createPartyLoaders(ds, auditKeys) };
}

/** What the registry's resolvers see (the generated resolver types' context). */
export type RegistryContext = SubgraphContext<RegistryLoaders>;

/** The resolvers of the catalogue, the parties and allDossiers, merged type by type (each adds fields to Query). */
export const registryResolvers: Resolvers = mergeResolverMaps(
  catalogueResolvers,
  partyResolvers,
  dossierResolvers,
  // Partial per type (a measure type's id here, its reference resolver in the catalogue's).
  nodeResolvers as unknown as Resolvers,
);

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
  ...loadSdl(
    sdlFile(new URL('./schema.graphql', import.meta.url)),
    generatedSdl(new URL('./domains.ts', import.meta.url), registryDomainSdl),
  ),
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
  // allDossiers asks every domain subgraph for its page of dossier keys (<DOMAIN>_URL).
  callsDomains: true,
};

export * from './parties/access-log-chain.ts';
export { readAuditKeyring, devAuditKeyFile } from './parties/access-log-key.ts';
export { AccessLogStore } from './parties/access-log-store.ts';
export { AUDIT_OWNER_ROLE } from './parties/migrations.ts';
