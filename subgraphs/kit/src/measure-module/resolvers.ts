import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { SubgraphContext } from '../subgraph.ts';
import { normResultKey, type MeasureModuleLoaders } from './loaders.ts';
import type { NormRecord } from './store.ts';

interface MeasureRef {
  code: string;
}

/** A norm's result for a year with the previous year's for the change; shared by both views of it. */
async function normResultOf(norm: NormRecord, year: number, loaders: MeasureModuleLoaders) {
  const [current, previous] = await Promise.all([
    loaders.normResult.load(normResultKey(norm.id, year)),
    loaders.normResult.load(normResultKey(norm.id, year - 1)),
  ]);
  const share = (r: typeof current) => (r && r.total > 0 ? r.met / r.total : null);
  const result = share(current);
  const before = share(previous);
  const target = norm.targetShare;
  return {
    norm,
    normId: norm.id,
    year,
    label: norm.label,
    overviewRowId: norm.overviewRowId,
    target,
    result,
    met: result === null || target === null ? null : result >= target,
    changeVsPreviousYearPpt: result === null || before === null ? null : (result - before) * 100,
    resultVsTarget: result === null || !target ? null : result / target,
    counted: current?.total ?? 0,
    onTime: current?.met ?? 0,
    late: (current?.total ?? 0) - (current?.met ?? 0),
  };
}

/**
 * Resolvers of a domain's measure type (e.g. ActivationMeasure). The registry decides the
 * concrete type of a measure, so the gateway only sends codes of this domain here; a code this
 * domain does not know resolves to null rather than to invented data.
 */
export function measureModuleResolvers<L extends MeasureModuleLoaders>(
  typeName: string,
  rowTypeName: string,
): GraphQLResolverMap<SubgraphContext<L>> {
  return {
    [rowTypeName]: {
      __resolveReference: async (ref: { normId: string; year: number }, { loaders }: SubgraphContext<L>) => {
        const norm = await loaders.norm.load(ref.normId);
        return norm ? normResultOf(norm, ref.year, loaders) : null;
      },
    },
    [typeName]: {
      __resolveReference: async (ref: MeasureRef, { loaders }: SubgraphContext<L>) =>
        (await loaders.moduleExists.load(ref.code)) ? { code: ref.code } : null,
      norms: (measure: MeasureRef, _args: unknown, { loaders }: SubgraphContext<L>) =>
        loaders.normsByMeasure.load(measure.code),
      normResults: async (measure: MeasureRef, { year }: { year: number }, { loaders }: SubgraphContext<L>) => {
        const norms = await loaders.normsByMeasure.load(measure.code);
        return Promise.all(norms.map((norm) => normResultOf(norm, year, loaders)));
      },
    },
  };
}
