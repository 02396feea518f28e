import {
  partyDirectoryOf,
  type SubgraphContext,
  byIdLoader,
  groupedLoader,
  pageSize,
} from '@measure-graph/subgraph-platform';
import { existing, type DomainLoaders, decodeWatermark } from '@measure-graph/measure-module';
import type { DataSource } from 'typeorm';
import {
  DualLearningStore,
  type DualAgreementRecord,
  type DualWorkplaceRecord,
  type RegisterDualAgreementInput,
} from './store.ts';
import type { Resolvers } from '../generated/resolvers.ts';

/** Dual learning's per-request loaders (under `loaders.domain.dualLearning`). */
export function createDualLearningLoaders(ds: DataSource) {
  const store = new DualLearningStore(ds);
  return {
    store,
    workplacesOfEnterprise: groupedLoader<DualWorkplaceRecord>(
      (k) => store.workplacesOfEnterprises(k),
      (w) => w.enterpriseKbo,
    ),
    agreementsOfPerson: groupedLoader<DualAgreementRecord>(
      (k) => store.agreementsOfPersons(k),
      (a) => a.personId,
    ),
    workplace: byIdLoader<DualWorkplaceRecord>((ids) => store.workplacesByIds(ids)),
  };
}
export type DualLearningLoaders = ReturnType<typeof createDualLearningLoaders>;
type Ctx = SubgraphContext<DomainLoaders<{ dualLearning: DualLearningLoaders }>>;

export const dualLearningResolvers: Resolvers = {
  Query: {
    dualAgreementChanges: (_: unknown, args: { changedAfter: string; first?: number | null }, { loaders }: Ctx) =>
      loaders.domain.dualLearning.store.agreementChanges(
        decodeWatermark(args.changedAfter, 'changedAfter'),
        pageSize(args.first),
      ),
    dualLearningFigures: (_: unknown, { schoolYear }: { schoolYear: string }, { loaders }: Ctx) =>
      loaders.domain.dualLearning.store.figures(schoolYear),
  },
  DualWorkplace: {
    enterprise: (w: DualWorkplaceRecord) => ({ __typename: 'Organisation', kboNumber: w.enterpriseKbo }),
  },
  DualAgreement: {
    learner: (a: DualAgreementRecord) => ({ __typename: 'Person', id: a.personId }),
    workplace: (a: DualAgreementRecord, _: unknown, { loaders }: Ctx) =>
      existing(loaders.domain.dualLearning.workplace.load(a.workplaceId), `dual workplace ${a.workplaceId}`),
  },
  Organisation: {
    dualLearningWorkplaces: ({ kboNumber }: { kboNumber: string }, _: unknown, { loaders }: Ctx) =>
      loaders.domain.dualLearning.workplacesOfEnterprise.load(kboNumber),
  },
  Person: {
    dualAgreements: ({ id }: { id: string }, _: unknown, { loaders }: Ctx) =>
      loaders.domain.dualLearning.agreementsOfPerson.load(id),
  },
  CompetencesDossierMutations: {
    registerDualAgreement: async (_: unknown, { input }: { input: RegisterDualAgreementInput }, ctx: Ctx) => {
      const { store } = ctx.loaders.domain.dualLearning;
      return (await store.agreementsByIds([await store.registerAgreement(input, partyDirectoryOf(ctx))]))[0]!;
    },
  },
};
