import { badInput, notFound } from '@measure-graph/errors';
import {
  partyDirectoryOf,
  type SubgraphContext,
  byIdLoader,
  groupedLoader,
  pageSize,
} from '@measure-graph/subgraph-platform';
import { existing, type DomainLoaders, decodeWatermark } from '@measure-graph/measure-module';
import type { DataSource } from 'typeorm';
import { TrainingStore, type CourseRecord, type RequestTrainingLeaveInput, type TrainingLeaveRecord } from './store.ts';
import type { Resolvers } from '../generated/resolvers.ts';

/** The competences domain's own loaders (under `loaders.domain`). */
export function createCompetencesLoaders(ds: DataSource) {
  const store = new TrainingStore(ds);
  return {
    store,
    coursesOfProvider: groupedLoader<CourseRecord>(
      (k) => store.coursesOfProviders(k),
      (c) => c.providerKbo,
    ),
    leaveOfPerson: groupedLoader<TrainingLeaveRecord>(
      (k) => store.leaveOfPersons(k),
      (l) => l.personId,
    ),
    course: byIdLoader<CourseRecord>((ids) => store.coursesByIds(ids)),
  };
}
export type CompetencesLoaders = ReturnType<typeof createCompetencesLoaders>;
type Ctx = SubgraphContext<DomainLoaders<CompetencesLoaders>>;

const org = (kboNumber: string) => ({ __typename: 'Organisation', kboNumber });

export const competencesResolvers: Resolvers = {
  Query: {
    trainingLeaveChanges: (_: unknown, args: { changedAfter: string; first?: number | null }, { loaders }: Ctx) =>
      loaders.domain.store.leaveChanges(decodeWatermark(args.changedAfter, 'changedAfter'), pageSize(args.first)),
    trainingLeaveFigures: (_: unknown, { schoolYear }: { schoolYear: string }, { loaders }: Ctx) => {
      const years = /^(\d{4})-(\d{4})$/.exec(schoolYear);
      if (!years || Number(years[2]) !== Number(years[1]) + 1) {
        throw badInput(`schoolYear must be like 2019-2020, got "${schoolYear}"`, 'schoolYear');
      }
      return loaders.domain.store.leaveFigures(schoolYear);
    },
    course: async (_: unknown, { id }: { id: string }, { loaders }: Ctx) =>
      (/^\d{1,15}$/.test(id) ? await loaders.domain.course.load(id) : null) ??
      Promise.reject(notFound('Course', 'id', id)),
  },
  Course: {
    provider: (c: CourseRecord) => org(c.providerKbo),
    dossier: (c: CourseRecord, _: unknown, { loaders }: Ctx) => loaders.dossier.load(c.dossierId),
  },
  TrainingLeave: {
    person: (l: TrainingLeaveRecord) => ({ __typename: 'Person', id: l.personId }),
    employer: (l: TrainingLeaveRecord) => org(l.employerKbo),
    course: (l: TrainingLeaveRecord, _: unknown, { loaders }: Ctx) =>
      existing(loaders.domain.course.load(l.courseId), `course ${l.courseId}`),
  },
  Organisation: {
    courses: ({ kboNumber }: { kboNumber: string }, _: unknown, { loaders }: Ctx) =>
      loaders.domain.coursesOfProvider.load(kboNumber),
  },
  Person: {
    trainingLeave: ({ id }: { id: string }, _: unknown, { loaders }: Ctx) => loaders.domain.leaveOfPerson.load(id),
  },
  CompetencesDossierMutations: {
    requestTrainingLeave: async (_: unknown, { input }: { input: RequestTrainingLeaveInput }, ctx: Ctx) => {
      const { loaders } = ctx;
      const id = await loaders.domain.store.requestLeave(input, partyDirectoryOf(ctx));
      return (await loaders.domain.store.leaveByIds([id]))[0]!;
    },
  },
};
