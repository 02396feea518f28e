import { notFound } from '@measure-graph/errors';
import { partyDirectoryOf, type SubgraphContext } from '@measure-graph/subgraph-platform';
import type { DomainLoaders } from '@measure-graph/measure-module';
import type { IwlStore, LotRecord } from './store.ts';
import type { Resolvers } from '../generated/resolvers.ts';

type Ctx = SubgraphContext<DomainLoaders<{ iwl: IwlStore }>>;

const lotOut = (l: LotRecord) => ({
  ...l,
  awardedTo: l.awardedKbo ? { kboNumber: l.awardedKbo } : null,
  bids: l.bids.map((b) => ({ ...b, organisation: { kboNumber: b.kbo } })),
});
/** A lot as IwlLot's resolvers receive it: the row with its organisations as references. */
export type IwlLotValue = ReturnType<typeof lotOut>;

/** The WEP+ promoters, the IWL tender and its lots, and awarding a lot. */
export const iwlResolvers: Resolvers = {
  Query: {
    wepPromoters: async (_: unknown, __: unknown, { loaders }: Ctx) =>
      (await loaders.domain.iwl.promoters()).map((p: { kbo: string }) => ({
        ...p,
        organisation: { kboNumber: p.kbo },
      })),
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
};
