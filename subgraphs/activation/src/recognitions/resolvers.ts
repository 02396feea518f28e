import { groupedLoader, type SubgraphContext, type ResolverMap } from '@measure-graph/subgraph-platform';
import type { DomainLoaders } from '@measure-graph/measure-module';
import type { DataSource } from 'typeorm';
import { RecognitionStore, type RecognitionRecord } from './store.ts';

/** The recognitions of organisations, grouped per KBO number (under `loaders.domain.recognitions`). */
export function createRecognitionLoader(ds: DataSource) {
  const store = new RecognitionStore(ds);
  return groupedLoader(
    (kbos: readonly string[]) => store.ofOrganisations(kbos),
    (r) => r.kbo,
  );
}
type Ctx = SubgraphContext<DomainLoaders<{ recognitions: ReturnType<typeof createRecognitionLoader> }>>;

export const recognitionResolvers: ResolverMap<Ctx> = {
  Organisation: {
    recognitions: async ({ kboNumber }: { kboNumber: string }, _: unknown, { loaders }: Ctx) =>
      (await loaders.domain.recognitions.load(kboNumber)).map((r) => ({ ...r, dossier: { id: r.dossierId } })),
  },
  Recognition: {
    dossier: (r: RecognitionRecord, _: unknown, { loaders }: Ctx) => loaders.dossier.load(r.dossierId),
  },
};
