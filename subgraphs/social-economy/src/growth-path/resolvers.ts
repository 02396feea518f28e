import { notFound } from '@measure-graph/errors';
import { pageSize, partyDirectoryOf, type SubgraphContext } from '@measure-graph/subgraph-platform';
import { decodeWatermark, type DomainLoaders } from '@measure-graph/measure-module';
import { quarterLabel } from '../sector/rules.ts';
import type { GrowthPathLoaders } from './loaders.ts';
import type { ApplyInput } from './store.ts';
import type { Resolvers } from '../generated/resolvers.ts';

type Ctx = SubgraphContext<DomainLoaders<GrowthPathLoaders>>;

/** The growth-path calls, their applications, and applying and distributing. */
export const growthPathResolvers: Resolvers = {
  Query: {
    growthPathCalls: (_: unknown, __: unknown, { loaders }: Ctx) => loaders.domain.growthPath.calls(),
    growthPathCall: async (_: unknown, { id }: { id: string }, { loaders }: Ctx) =>
      (await loaders.domain.call.load(id)) ?? Promise.reject(notFound('Growth-path call', 'id', id)),
    growthPathAllocationChanges: (
      _: unknown,
      args: { changedAfter: string; first?: number | null },
      { loaders }: Ctx,
    ) =>
      loaders.domain.growthPath.allocationChanges(
        decodeWatermark(args.changedAfter, 'changedAfter'),
        pageSize(args.first),
      ),
  },
  GrowthPathAllocation: {
    call: async (l: { callId: string }, _: unknown, { loaders }: Ctx) => (await loaders.domain.call.load(l.callId))!,
    organisation: (l: { kbo: string }) => ({ kboNumber: l.kbo }),
  },
  GrowthPathCall: {
    referenceFrom: (c: { referenceFrom: string | null }) => (c.referenceFrom ? quarterLabel(c.referenceFrom) : null),
    referenceTo: (c: { referenceTo: string | null }) => (c.referenceTo ? quarterLabel(c.referenceTo) : null),
    applications: (c: { id: string }, _: unknown, { loaders }: Ctx) => loaders.domain.applications.load(c.id),
  },
  GrowthPathApplication: {
    organisation: (a) => ({ kboNumber: a.kbo }),
  },
  SocialEconomyDossierMutations: {
    applyForGrowthPath: async (_: unknown, { input }: { input: ApplyInput }, ctx: Ctx) => {
      const id = await ctx.loaders.domain.growthPath.apply(input, partyDirectoryOf(ctx));
      const applications = await ctx.loaders.domain.growthPath.applications([input.callId]);
      return applications.find((a) => a.id === id)!;
    },
    distributeGrowthPath: async (_: unknown, { callId }: { callId: string }, { loaders }: Ctx) => {
      await loaders.domain.growthPath.distribute(callId);
      return (await loaders.domain.growthPath.calls([callId]))[0]!;
    },
  },
};
