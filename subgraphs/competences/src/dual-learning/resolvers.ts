import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { byIdLoader, groupedLoader, type DomainLoaders, type SubgraphContext } from '@measure-graph/subgraph-kit';
import type { DataSource } from 'typeorm';
import {
  DualLearningStore,
  type DualAgreementRecord,
  type DualWorkplaceRecord,
  type RegisterDualAgreementInput,
} from './dual-learning-store.ts';

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

export const dualLearningResolvers: GraphQLResolverMap<Ctx> = {
  Query: {
    dualLearningFigures: (_: unknown, { schoolYear }: { schoolYear: string }, { loaders }: Ctx) =>
      loaders.domain.dualLearning.store.figures(schoolYear),
  },
  DualWorkplace: {
    enterprise: (w: DualWorkplaceRecord) => ({ __typename: 'Organisation', kboNumber: w.enterpriseKbo }),
  },
  DualAgreement: {
    learner: (a: DualAgreementRecord) => ({ __typename: 'Person', id: a.personId }),
    workplace: (a: DualAgreementRecord, _: unknown, { loaders }: Ctx) =>
      loaders.domain.dualLearning.workplace.load(a.workplaceId),
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
    registerDualAgreement: async (_: unknown, { input }: { input: RegisterDualAgreementInput }, { loaders }: Ctx) => {
      const { store } = loaders.domain.dualLearning;
      return (await store.agreementsByIds([await store.registerAgreement(input)]))[0]!;
    },
  },
};
