import { groupedLoader, type SubgraphContext } from '@measure-graph/subgraph-platform';
import type { DomainLoaders } from '@measure-graph/measure-module';
import type { DataSource } from 'typeorm';
import { RecognitionStore, type RecognitionRecord } from './store.ts';
import type { Resolvers } from '../generated/resolvers.ts';

/** The recognitions of organisations, grouped per KBO number (under `loaders.domain.recognitions`). */
export function createRecognitionLoader(ds: DataSource) {
  const store = new RecognitionStore(ds);
  return groupedLoader(
    (kbos: readonly string[]) => store.ofOrganisations(kbos),
    (r) => r.kbo,
  );
}
type Ctx = SubgraphContext<DomainLoaders<{ recognitions: ReturnType<typeof createRecognitionLoader> }>>;

export const recognitionResolvers: Resolvers = {
  Organisation: {
    recognitions: async ({ kboNumber }: { kboNumber: string }, _: unknown, { loaders }: Ctx) =>
      loaders.domain.recognitions.load(kboNumber),
  },
  Recognition: {
    dossier: (r: RecognitionRecord, _: unknown, { loaders }: Ctx) => loaders.dossier.load(r.dossierId),
  },
};
