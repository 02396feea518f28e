import { notFound } from '@measure-graph/errors';
import {
  mergeResolverMaps,
  partyDirectoryOf,
  type SubgraphContext,
  type ResolverMap,
  groupedLoader,
} from '@measure-graph/subgraph-platform';
import type { DomainLoaders } from '@measure-graph/measure-module';
import type { DataSource } from 'typeorm';
import { appealResolvers, createAppealLoaders } from '../appeals/resolvers.ts';
import { IwlStore, type LotRecord } from '../iwl/iwl-store.ts';
import { createPermitLoaders, permitResolvers } from '../permits/resolvers.ts';
import { RecognitionStore, type RecognitionRecord } from '../recognitions/recognition-store.ts';

/** The activation domain's own loaders (under `loaders.domain`). */
export function createActivationLoaders(ds: DataSource) {
  const store = new RecognitionStore(ds);
  return {
    iwl: new IwlStore(ds),
    appeals: createAppealLoaders(ds),
    permits: createPermitLoaders(ds),
    recognitions: groupedLoader(
      (kbos: readonly string[]) => store.ofOrganisations(kbos),
      (r) => r.kbo,
    ),
  };
}
export type ActivationLoaders = ReturnType<typeof createActivationLoaders>;
type Ctx = SubgraphContext<DomainLoaders<ActivationLoaders>>;

const org = (kboNumber: string | null) => (kboNumber ? { __typename: 'Organisation', kboNumber } : null);
const lotOut = (l: LotRecord) => ({
  ...l,
  awardedTo: org(l.awardedKbo),
  bids: l.bids.map((b) => ({ ...b, organisation: org(b.kbo) })),
});

const ownResolvers: ResolverMap<Ctx> = {
  Query: {
    wepPromoters: async (_: unknown, __: unknown, { loaders }: Ctx) =>
      (await loaders.domain.iwl.promoters()).map((p: { kbo: string }) => ({ ...p, organisation: org(p.kbo) })),
    iwlTender: async (_: unknown, { id }: { id: string }, { loaders }: Ctx) => {
      const tender = await loaders.domain.iwl.tender(id);
      if (!tender) throw notFound('IWL tender', 'id', id);
      return tender;
    },
  },
  IwlTender: {
    lots: async (t: { id: string }, _: unknown, { loaders }: Ctx) => (await loaders.domain.iwl.lots(t.id)).map(lotOut),
  },
  ActivationDossierMutations: {
    awardIwlLot: async (
      _: unknown,
      { input }: { input: { lotId: string; kbo: string; awardedOn: string } },
      ctx: Ctx,
    ) => {
      const { loaders } = ctx;
      await loaders.domain.iwl.award(input, partyDirectoryOf(ctx));
      const tenderId = input.lotId.split('-').slice(0, 2).join('-');
      return (await loaders.domain.iwl.lots(tenderId)).map(lotOut).find((l) => l.id === input.lotId)!;
    },
  },
  Organisation: {
    recognitions: async ({ kboNumber }: { kboNumber: string }, _: unknown, { loaders }: Ctx) =>
      (await loaders.domain.recognitions.load(kboNumber)).map((r) => ({ ...r, dossier: { id: r.dossierId } })),
  },
  Recognition: {
    dossier: (r: RecognitionRecord, _: unknown, { loaders }: Ctx) => loaders.dossier.load(r.dossierId),
  },
};

const types = {
  measureType: 'ActivationMeasure',
  dossierType: 'ActivationDossier',
  mutationsType: 'ActivationDossierMutations',
};
/** The domain's own resolvers, merged type by type with those of appeals and the combined procedure. */
export const activationResolvers = mergeResolverMaps<Ctx>(ownResolvers, appealResolvers(types), permitResolvers(types));
