import { type SubgraphContext, keyedLoader } from '@measure-graph/subgraph-platform';
import { existing, type DomainLoaders } from '@measure-graph/measure-module';
import type { DataSource } from 'typeorm';
import {
  CombinedProcedureStore,
  isSinglePermit,
  type CombinedProcedureRecord,
  type RecordFederalDecisionInput,
} from './store.ts';
import type { Resolvers } from '../generated/resolvers.ts';

/** The combined-procedure loaders of one request (under `loaders.domain.permits`). */
export function createPermitLoaders(ds: DataSource) {
  const store = new CombinedProcedureStore(ds);
  return {
    store,
    /** Keyed by local dossier number; null for dossiers that are no single permit. */
    procedure: keyedLoader<CombinedProcedureRecord>(
      (dossierIds) => store.ofDossiers(dossierIds),
      (p) => p.dossierId,
    ),
  };
}
export type PermitLoaders = ReturnType<typeof createPermitLoaders>;
type Ctx = SubgraphContext<DomainLoaders<{ permits: PermitLoaders }>>;

/** The combined procedure on the dossier and its mutation: thin, everything else is in the store. */
export const permitResolvers: Resolvers = {
  ActivationDossier: {
    // Other dossiers have no procedure: answered without a statement.
    combinedProcedure: (d: { id: string; measureCode: string; kind: string }, _: unknown, { loaders }: Ctx) =>
      isSinglePermit(d) ? loaders.domain.permits.procedure.load(d.id) : null,
  },
  CombinedProcedure: {
    dossier: (p: CombinedProcedureRecord, _: unknown, { loaders }: Ctx) => loaders.dossier.load(p.dossierId),
  },
  ActivationDossierMutations: {
    recordFederalDecision: async (_: unknown, { input }: { input: RecordFederalDecisionInput }, { loaders }: Ctx) => {
      const id = await loaders.domain.permits.store.recordFederalDecision(input);
      return existing(loaders.domain.permits.procedure.clear(id).load(id), `combined procedure of dossier ${id}`);
    },
  },
};
