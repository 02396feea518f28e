import {
  type ResolverMap,
  type SubgraphContext,
  decodeCursor,
  encodeCursor,
  pageSize,
} from '@measure-graph/subgraph-platform';
import { badInput } from '@measure-graph/errors';
import { connection } from './dossier-resolvers.ts';
import { normResultKey, type MeasureModuleLoaders } from './loaders.ts';
import type { NormRecord } from './store.ts';

interface MeasureRef {
  code: string;
}

/**
 * A norm's result for a year (or one quarter of it) with the same period a year earlier for the
 * change; shared by both views of it.
 */
async function normResultOf(
  norm: NormRecord,
  year: number,
  loaders: MeasureModuleLoaders,
  quarter: number | null = null,
) {
  const [current, previous] = await Promise.all([
    loaders.normResult.load(normResultKey(norm.id, year, quarter)),
    loaders.normResult.load(normResultKey(norm.id, year - 1, quarter)),
  ]);
  const share = (r: typeof current) => (r && r.total > 0 ? r.met / r.total : null);
  const result = share(current);
  const before = share(previous);
  const target = norm.targetShare;
  return {
    norm,
    normId: norm.id,
    year,
    quarter,
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
): ResolverMap<SubgraphContext<L>> {
  return {
    NormResult: {
      items: async (
        r: { normId: string; year: number; quarter: number | null },
        args: { onTime?: boolean | null; first?: number; after?: string | null },
        { loaders }: SubgraphContext<L>,
      ) => {
        const first = pageSize(args.first);
        const after = args.after ? decodeCursor(args.after, 3) : null;
        const cursor = after ? { endedAt: after[0]!, dossierId: after[1]!, paymentId: after[2]! } : null;
        const rows = await loaders.normResults.items(r.normId, r.year, r.quarter, args.onTime ?? null, first, cursor);
        const total = await loaders.normResult.load(normResultKey(r.normId, r.year, r.quarter));
        const counted = total?.total ?? 0;
        const totalCount =
          args.onTime == null ? counted : args.onTime ? (total?.met ?? 0) : counted - (total?.met ?? 0);
        return connection(rows, first, (i) => encodeCursor([i.endedAt, i.dossierId, i.paymentId ?? '0']), totalCount);
      },
    },
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
      normResults: async (
        measure: MeasureRef,
        { year, quarter }: { year: number; quarter?: number | null },
        { loaders }: SubgraphContext<L>,
      ) => {
        if (quarter != null && (quarter < 1 || quarter > 4)) throw badInput('quarter must be 1, 2, 3 or 4', 'quarter');
        const norms = await loaders.normsByMeasure.load(measure.code);
        return Promise.all(norms.map((norm) => normResultOf(norm, year, loaders, quarter ?? null)));
      },
    },
  };
}
