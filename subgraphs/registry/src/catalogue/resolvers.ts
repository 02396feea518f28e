import { badInput, notFound } from '@measure-graph/errors';
import type { SubgraphContext } from '@measure-graph/subgraph-platform';
import { MEASURE_TYPE_BY_DOMAIN, NORM_ROW_TYPE_BY_DOMAIN } from '../domains.ts';
import type { CatalogueLoaders } from './loaders.ts';
import type { Domain, MeasureStatus, NormRowRecord } from './store.ts';
import type { MeasureResolvers, Resolvers } from '../generated/resolvers.ts';

type Ctx = SubgraphContext<CatalogueLoaders>;

const resolveMeasureReference = (ref: { code: string }, { loaders }: Ctx) => loaders.measure.load(ref.code);

/**
 * typescript-resolvers 4.x knows no entity interfaces (`@key` on an interface, Federation 2.3), so
 * the interface's reference resolver is typed here by hand.
 */
const measureInterface: MeasureResolvers & { __resolveReference: typeof resolveMeasureReference } = {
  __resolveReference: resolveMeasureReference,
  __resolveType: (measure) => MEASURE_TYPE_BY_DOMAIN[measure.domain],
};

export const catalogueResolvers: Resolvers = {
  Query: {
    measure: async (_: unknown, { code }: { code: string }, ctx: Ctx) => {
      const measure = await ctx.loaders.measure.load(code);
      if (!measure) throw notFound('Measure', 'code', code);
      return measure;
    },
    measures: (_: unknown, args: { domain?: Domain | null; status?: MeasureStatus | null }, { loaders }: Ctx) =>
      loaders.catalogue.list(args),
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
  Measure: measureInterface,
  ...Object.fromEntries(
    Object.values(MEASURE_TYPE_BY_DOMAIN).map((type) => [type, { __resolveReference: resolveMeasureReference }]),
  ),
};
