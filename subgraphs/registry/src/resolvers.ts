import { badInput, notFound } from '@measure-graph/errors';
import { isValidKbo, normaliseDigits, type SubgraphContext, type ResolverMap } from '@measure-graph/subgraph-platform';
import type { Domain, MeasureRecord, MeasureStatus, NormRowRecord } from './catalogue/store.ts';
import { MEASURE_TYPE_BY_DOMAIN, NORM_ROW_TYPE_BY_DOMAIN } from './domains.ts';
import type { RegistryLoaders } from './loaders.ts';
import { knownParties, resolveInsz } from './parties/directory.ts';
import { nationalNumber, personalDataAccessLog, personalDataAccessLogVerification } from './parties/personal-data.ts';
import { mergedTimeline } from './parties/timeline.ts';

type Ctx = SubgraphContext<RegistryLoaders>;

const resolveMeasureReference = (ref: { code: string }, { loaders }: Ctx) => loaders.measure.load(ref.code);
const withProvince = {
  province: (parent: { provinceCode: string }, _: unknown, { loaders }: Ctx) =>
    loaders.province.load(parent.provinceCode),
};

export const registryResolvers: ResolverMap<Ctx> = {
  Query: {
    measure: async (_: unknown, { code }: { code: string }, ctx: Ctx) => {
      const measure = await ctx.loaders.measure.load(code);
      if (!measure) throw notFound('Measure', 'code', code);
      return measure;
    },
    measures: (_: unknown, args: { domain?: Domain | null; status?: MeasureStatus | null }, { loaders }: Ctx) =>
      loaders.catalogue.list(args),
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
    normResultsTable: (_: unknown, args: { year: number; includeNormsOutsideOverview: boolean }, { loaders }: Ctx) => {
      if (!Number.isInteger(args.year) || args.year < 2000 || args.year > 2100) {
        throw badInput(`year must be between 2000 and 2100, got ${args.year}`, 'year');
      }
      return loaders.catalogue.normRows(args.year, args.includeNormsOutsideOverview);
    },
  },
  NormResultRow: {
    __resolveType: (row: NormRowRecord) => NORM_ROW_TYPE_BY_DOMAIN[row.domain],
  },
  ...Object.fromEntries(
    Object.values(NORM_ROW_TYPE_BY_DOMAIN).map((type) => [
      type,
      { measure: (row: NormRowRecord, _: unknown, { loaders }: Ctx) => loaders.measure.load(row.measureCode) },
    ]),
  ),
  Measure: {
    __resolveReference: resolveMeasureReference,
    __resolveType: (measure: MeasureRecord) => MEASURE_TYPE_BY_DOMAIN[measure.domain],
  },
  ...Object.fromEntries(
    Object.values(MEASURE_TYPE_BY_DOMAIN).map((type) => [type, { __resolveReference: resolveMeasureReference }]),
  ),
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
