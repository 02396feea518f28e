import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { DomainLoaders, SubgraphContext } from '@measure-graph/subgraph-kit';
import DataLoader from 'dataloader';
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
  const grouped = <R>(load: (keys: readonly string[]) => Promise<R[]>, keyOf: (r: R) => string) =>
    new DataLoader<string, R[]>(async (keys) => {
      const by = new Map(keys.map((k) => [k, [] as R[]]));
      for (const r of await load(keys)) by.get(keyOf(r))?.push(r);
      return keys.map((k) => by.get(k)!);
    });
  return {
    store,
    workplacesOfEnterprise: grouped<DualWorkplaceRecord>(
      (k) => store.workplacesOfEnterprises(k),
      (w) => w.enterpriseKbo,
    ),
    agreementsOfPerson: grouped<DualAgreementRecord>(
      (k) => store.agreementsOfPersons(k),
      (a) => a.personId,
    ),
    workplace: new DataLoader<string, DualWorkplaceRecord | null>(async (ids) => {
      const by = new Map((await store.workplacesByIds(ids)).map((w) => [w.id, w]));
      return ids.map((id) => by.get(id) ?? null);
    }),
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
