import { decodeWatermark } from '@measure-graph/measure-module';
import { partyDirectoryOf, type SubgraphContext, pageSize } from '@measure-graph/subgraph-platform';
import type { DomainLoaders } from '@measure-graph/measure-module';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { CompetencesLoaders } from '../training/resolvers.ts';
import { voucherStatus } from './rules.ts';
import {
  VoucherStore,
  type ReimburseTrainingVoucherInput,
  type TrainingVoucherRecord,
  type UseTrainingVoucherInput,
} from './store.ts';
import type { Resolvers } from '../generated/resolvers.ts';

/** The vouchers' per-request loaders (under `loaders.domain.vouchers`). */
export function createVoucherLoaders(ds: DataSource) {
  const store = new VoucherStore(ds);
  return {
    store,
    ofPerson: new DataLoader<string, TrainingVoucherRecord[]>(async (ids) => {
      const by = new Map(ids.map((id) => [id, [] as TrainingVoucherRecord[]]));
      for (const v of await store.vouchersOfPersons(ids)) by.get(v.personId)?.push(v);
      return ids.map((id) => by.get(id)!);
    }),
  };
}
export type VoucherLoaders = ReturnType<typeof createVoucherLoaders>;
type Ctx = SubgraphContext<DomainLoaders<CompetencesLoaders & { vouchers: VoucherLoaders }>>;

const reload = async (store: VoucherStore, id: string) => (await store.vouchersByIds([id]))[0]!;

export const voucherResolvers: Resolvers = {
  Query: {
    trainingVoucherChanges: (_: unknown, args: { changedAfter: string; first?: number | null }, { loaders }: Ctx) =>
      loaders.domain.vouchers.store.voucherChanges(
        decodeWatermark(args.changedAfter, 'changedAfter'),
        pageSize(args.first),
      ),
    trainingVoucherFigures: (_: unknown, { from, to }: { from: string; to: string }, { loaders }: Ctx) =>
      loaders.domain.vouchers.store.figures(from, to),
  },
  TrainingVoucher: {
    person: (v: TrainingVoucherRecord) => ({ __typename: 'Person', id: v.personId }),
    status: (v: TrainingVoucherRecord) => voucherStatus(v),
    course: (v: TrainingVoucherRecord, _: unknown, { loaders }: Ctx) =>
      v.courseId === null ? null : loaders.domain.course.load(v.courseId),
    provider: (v: TrainingVoucherRecord) =>
      v.providerKbo === null ? null : { __typename: 'Organisation', kboNumber: v.providerKbo },
    dossier: (v: TrainingVoucherRecord, _: unknown, { loaders }: Ctx) => loaders.dossier.load(v.dossierId),
  },
  Person: {
    trainingVouchers: ({ id }: { id: string }, _: unknown, { loaders }: Ctx) =>
      loaders.domain.vouchers.ofPerson.load(id),
  },
  CompetencesDossierMutations: {
    useTrainingVoucher: async (_: unknown, { input }: { input: UseTrainingVoucherInput }, ctx: Ctx) =>
      reload(
        ctx.loaders.domain.vouchers.store,
        await ctx.loaders.domain.vouchers.store.use(input, partyDirectoryOf(ctx)),
      ),
    reimburseTrainingVoucher: async (
      _: unknown,
      { input }: { input: ReimburseTrainingVoucherInput },
      { loaders }: Ctx,
    ) => reload(loaders.domain.vouchers.store, await loaders.domain.vouchers.store.reimburse(input)),
  },
};
