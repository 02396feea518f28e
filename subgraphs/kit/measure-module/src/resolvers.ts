import { type ResolverMap, decodeCursor, encodeCursor, pageSize, toGlobalId } from '@measure-graph/subgraph-platform';
import { badInput } from '@measure-graph/errors';
import { connection, type Connection } from './dossier-resolvers.ts';
import type {
  DomainMeasureResolvers,
  DomainNormResultRowResolvers,
  NormResultResolvers,
} from './generated/resolvers.ts';
import { normResultKey, type MeasureModuleLoaders } from './loaders.ts';
import type { NormItemRecord } from './norm-results-store.ts';
import type { NormRecord } from './store.ts';

/** A domain's measure as its resolvers receive it: the key the registry sent. */
export interface MeasureRef {
  code: string;
}

/** A norm's result as NormResult's and the norm rows' resolvers receive it. */
export type NormResultValue = Awaited<ReturnType<typeof normResultOf>>;
export type NormItemConnectionValue = Connection<NormItemRecord>;

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
export function measureModuleResolvers(typeName: string, rowTypeName: string): ResolverMap {
  const normResult: NormResultResolvers = {
    items: async (r, args, { loaders }) => {
      const first = pageSize(args.first);
      const after = args.after ? decodeCursor(args.after, 3) : null;
      const cursor = after ? { endedAt: after[0]!, dossierId: after[1]!, paymentId: after[2]! } : null;
      const rows = await loaders.normResults.items(r.normId, r.year, r.quarter, args.onTime ?? null, first, cursor);
      const total = await loaders.normResult.load(normResultKey(r.normId, r.year, r.quarter));
      const counted = total?.total ?? 0;
      const totalCount = args.onTime == null ? counted : args.onTime ? (total?.met ?? 0) : counted - (total?.met ?? 0);
      return connection(rows, first, (i) => encodeCursor([i.endedAt, i.dossierId, i.paymentId ?? '0']), totalCount);
    },
  };
  const normRow: DomainNormResultRowResolvers = {
    __resolveReference: async (ref, { loaders }) => {
      const norm = await loaders.norm.load(ref.normId);
      return norm ? normResultOf(norm, ref.year, loaders) : null;
    },
  };
  const measure: DomainMeasureResolvers = {
    __resolveReference: async (ref, { loaders }) =>
      (await loaders.moduleExists.load(ref.code)) ? { code: ref.code } : null,
    // Computed from the key here as in the registry and inspection (docs/architecture.md, "Relay").
    id: (measure) => toGlobalId('Measure', measure.code),
    norms: (measure, _args, { loaders }) => loaders.normsByMeasure.load(measure.code),
    normResults: async (measure, { year, quarter }, { loaders }) => {
      if (quarter != null && (quarter < 1 || quarter > 4)) throw badInput('quarter must be 1, 2, 3 or 4', 'quarter');
      const norms = await loaders.normsByMeasure.load(measure.code);
      return Promise.all(norms.map((norm) => normResultOf(norm, year, loaders, quarter ?? null)));
    },
  };
  // Typed against the template's DomainMeasure and DomainNormResultRow, served under the domain's names.
  return { NormResult: normResult, [rowTypeName]: normRow, [typeName]: measure } as ResolverMap;
}
