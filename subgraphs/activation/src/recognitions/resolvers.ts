import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { DomainLoaders, SubgraphContext } from '@measure-graph/subgraph-kit';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { RecognitionStore, type RecognitionRecord } from './recognition-store.ts';

/** The activation domain's own loaders (under `loaders.domain`). */
export function createActivationLoaders(ds: DataSource) {
  const store = new RecognitionStore(ds);
  return {
    recognitions: new DataLoader<string, RecognitionRecord[]>(async (kbos) => {
      const byKbo = new Map(kbos.map((k) => [k, [] as RecognitionRecord[]]));
      for (const r of await store.ofOrganisations(kbos)) byKbo.get(r.kbo)?.push(r);
      return kbos.map((k) => byKbo.get(k)!);
    }),
  };
}
export type ActivationLoaders = ReturnType<typeof createActivationLoaders>;
type Ctx = SubgraphContext<DomainLoaders<ActivationLoaders>>;

export const activationResolvers: GraphQLResolverMap<Ctx> = {
  Organisation: {
    recognitions: async ({ kboNumber }: { kboNumber: string }, _: unknown, { loaders }: Ctx) =>
      (await loaders.domain.recognitions.load(kboNumber)).map((r) => ({ ...r, dossier: { id: r.dossierId } })),
  },
  Recognition: {
    dossier: (r: RecognitionRecord, _: unknown, { loaders }: Ctx) => loaders.dossier.load(r.dossierId),
  },
};
