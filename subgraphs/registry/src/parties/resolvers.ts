import { badInput, notFound } from '@measure-graph/errors';
import { isValidKbo, normaliseDigits, type SubgraphContext } from '@measure-graph/subgraph-platform';
import { knownParties, resolveInsz } from './directory.ts';
import type { PartyLoaders } from './loaders.ts';
import { nationalNumber, personalDataAccessLog, personalDataAccessLogVerification } from './personal-data.ts';
import { mergedTimeline } from './timeline.ts';
import type { Resolvers } from '../generated/resolvers.ts';

type Ctx = SubgraphContext<PartyLoaders>;

const withProvince = {
  province: (parent: { provinceCode: string }, _: unknown, { loaders }: Ctx) =>
    loaders.province.load(parent.provinceCode),
};

export const partyResolvers: Resolvers = {
  Query: {
    organisation: async (_: unknown, { kboNumber }: { kboNumber: string }, { loaders }: Ctx) => {
      if (!isValidKbo(kboNumber)) {
        throw badInput(`"${kboNumber}" is not a valid KBO number (10 digits with a mod-97 check)`, 'kboNumber');
      }
      const kbo = normaliseDigits(kboNumber);
      const organisation = await loaders.organisation.load(kbo);
      if (!organisation) throw notFound('Organisation', 'kboNumber', kbo);
      return organisation;
    },
    person: async (_: unknown, { id }: { id: string }, { loaders }: Ctx) => {
      const person = await loaders.person.load(id);
      if (!person) throw notFound('Person', 'id', id);
      return person;
    },
    provinces: (_: unknown, __: unknown, { loaders }: Ctx) => loaders.parties.provinces(),
    personalDataAccessLog,
    personalDataAccessLogVerification,
    _knownParties: knownParties,
    _resolveInsz: resolveInsz,
  },
  // A reference may carry the domains' timeline events (@requires): they are kept next to the record.
  Organisation: {
    __resolveReference: async (ref: { kboNumber: string }, { loaders }: Ctx) => {
      const record = await loaders.organisation.load(ref.kboNumber);
      return record ? { ...ref, ...record } : null;
    },
    timeline: mergedTimeline,
    ...withProvince,
  },
  Person: {
    __resolveReference: async (ref: { id: string }, { loaders }: Ctx) => {
      const record = await loaders.person.load(ref.id);
      return record ? { ...ref, ...record } : null;
    },
    timeline: mergedTimeline,
    nationalNumber,
    ...withProvince,
  },
};
