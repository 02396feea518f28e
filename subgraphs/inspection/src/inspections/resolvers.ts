import { badInput, notFound } from '@measure-graph/errors';
import { hasScope, SCOPES } from '@measure-graph/auth';
import {
  partyDirectoryOf,
  type SubgraphContext,
  decodeCursor,
  encodeCursor,
  pageSize,
  toGlobalId,
} from '@measure-graph/subgraph-platform';
import {
  connection,
  decodeWatermark,
  dossierTimeline,
  rejectCursorWithWatermark,
  watermarkAfter,
  type Connection,
  type DomainLoaders,
} from '@measure-graph/measure-module';
import type { FiguresRecord, InspectionRecord, RecordInspectionInput, RecordOutcomeInput } from './store.ts';
import { MEASURE_TYPE_BY_DOMAIN, OTHER_MEASURE_TYPES } from '../domains.ts';
import type { InspectionLoaders } from './loaders.ts';
import type { Resolvers, VsiTableRow } from '../generated/resolvers.ts';

type Ctx = SubgraphContext<DomainLoaders<InspectionLoaders>>;

const zero = (year: number) => ({
  year,
  controls: 0,
  warningsOrReports: 0,
  officialReports: 0,
  warnings: 0,
  proposedRecovery: '0.00',
});
const figures = (f: FiguresRecord | null | undefined, year: number) => (f ? { ...f, year } : zero(year));
const change = (before: number, after: number) => (before === 0 ? null : ((after - before) / before) * 100);
const inspectionId = (id: string) => `VSI-${id}`;
const localId = (id: string) => {
  const m = /^VSI-(\d{1,15})$/.exec(id);
  if (!m) throw notFound('Inspection', 'id', id);
  return m[1]!;
};

async function inspectionStats(measure: { code: string }, { year }: { year: number }, { loaders }: Ctx) {
  return figures(await loaders.domain.figuresByMeasure.load({ code: measure.code, year }), year);
}

/** Every domain's measure type gets its inspection figures here; other fields come from its own domain. */
const measureTypes = Object.fromEntries(
  OTHER_MEASURE_TYPES.map((type) => [
    type,
    {
      __resolveReference: (ref: { code: string }) => ref,
      id: (m: { code: string }) => toGlobalId('Measure', m.code),
      inspectionStats,
    },
  ]),
);

/**
 * A reference to a measure of any domain, typed by the domain that runs it as inspection's own
 * catalogue records it (one statement per request); null for a code the catalogue does not hold.
 */
async function measureRef({ measureCode }: { measureCode: string | null }, _: unknown, { loaders }: Ctx) {
  if (!measureCode) return null;
  const entry = await loaders.domain.catalogueMeasure.load(measureCode);
  return entry ? { __typename: MEASURE_TYPE_BY_DOMAIN[entry.domain], code: measureCode } : null;
}

const inspectionOut = (i: InspectionRecord) => ({
  ...i,
  id: inspectionId(i.id),
  localId: i.id,
  organisation: { kboNumber: i.kbo },
});
/** An inspection as Inspection's resolvers receive it: the row with its global id and organisation. */
export type InspectionValue = ReturnType<typeof inspectionOut>;
/** A page of inspections; watermark set on an incremental pull (changedAfter), else null. */
export type InspectionConnectionValue = Connection<InspectionValue> & { watermark?: string | null };
/** A row of the VSI table as VsiTableRow's resolvers receive it: with the code of its measure, if any. */
export type VsiTableRowValue = Omit<VsiTableRow, 'measure'> & { measureCode: string | null };

export const inspectionResolvers: Resolvers = {
  ...measureTypes,
  InspectionMeasure: { inspectionStats },
  Query: {
    vsiTable: async (_: unknown, { year }: { year: number }, { loaders }: Ctx) => {
      const [domains, all] = await Promise.all([
        loaders.domain.store.domains(),
        loaders.domain.store.figuresByDomain([year, year - 1]),
      ]);
      const of = (code: string, y: number) =>
        figures(
          all.find((f) => f.key === code && f.year === y),
          y,
        );
      const row = (
        label: string,
        code: string | null,
        current: ReturnType<typeof zero>,
        previous: ReturnType<typeof zero>,
      ) => ({
        domainCode: code,
        label,
        current,
        previous,
        controlsChangePct: change(previous.controls, current.controls),
        warningsOrReportsChangePct: change(previous.warningsOrReports, current.warningsOrReports),
        proposedRecoveryChangePct: change(Number(previous.proposedRecovery), Number(current.proposedRecovery)),
      });
      const rows = domains.map((d) => ({
        ...row(d.label, d.code, of(d.code, year), of(d.code, year - 1)),
        measureCode: d.measureCode,
      }));
      const sum = (pick: 'current' | 'previous', y: number) => {
        const t = zero(y);
        let cents = 0;
        for (const r of rows) {
          const f = r[pick];
          t.controls += f.controls;
          t.warningsOrReports += f.warningsOrReports;
          t.officialReports += f.officialReports;
          t.warnings += f.warnings;
          cents += Math.round(Number(f.proposedRecovery) * 100);
        }
        return { ...t, proposedRecovery: (cents / 100).toFixed(2) };
      };
      return {
        year,
        rows,
        total: { ...row('TOTAAL', null, sum('current', year), sum('previous', year - 1)), measureCode: null },
      };
    },
    inspection: async (_: unknown, { id }: { id: string }, { loaders }: Ctx) => {
      const found = await loaders.domain.inspection.load(localId(id));
      if (!found) throw notFound('Inspection', 'id', id);
      return inspectionOut(found);
    },
  },
  VsiTableRow: { measure: measureRef },
  Inspection: {
    measure: measureRef,
    findings: (i: { localId: string }, _: unknown, { loaders }: Ctx) => loaders.domain.findings.load(i.localId),
  },
  Organisation: {
    __resolveReference: (ref: { kboNumber: string }) => ref,
    inspections: async (
      { kboNumber }: { kboNumber: string },
      args: { first?: number; after?: string | null; changedAfter?: string | null },
      { loaders }: Ctx,
    ) => {
      const first = pageSize(args.first);
      const changedAfter = args.changedAfter != null ? decodeWatermark(args.changedAfter, 'changedAfter') : null;
      if (changedAfter) rejectCursorWithWatermark(args.after, 'changedAfter');
      const after = args.after ? decodeCursor(args.after, 2) : null;
      const rows = (
        await loaders.domain.page.load({
          kbo: kboNumber,
          first,
          after: after ? { inspectedOn: after[0]!, id: after[1]! } : null,
          changedAfter,
        })
      ).map(inspectionOut);
      const page = connection(
        rows,
        first,
        (r) => encodeCursor([r.inspectedOn, r.localId]),
        () => loaders.domain.count.load(kboNumber),
      );
      const last = page.nodes[page.nodes.length - 1];
      return {
        ...page,
        watermark: changedAfter
          ? watermarkAfter(last ? [{ changeXid: last.changeXid, id: last.localId }] : [], changedAfter)
          : null,
      };
    },
    // Its fine files' steps and every inspection, with its outcome.
    // The inspections themselves only for callers who may read inspections.
    inspectionTimelineEvents: async ({ kboNumber }: { kboNumber: string }, _: unknown, ctx: Ctx) => {
      const { loaders } = ctx;
      const [dossiers, inspections] = await Promise.all([
        dossierTimeline('ORGANISATION', kboNumber, 'INSPECTION', loaders),
        hasScope(ctx, SCOPES.inspectionsRead)
          ? loaders.domain.page.load({ kbo: kboNumber, first: 1000, after: null })
          : [],
      ]);
      const visits = inspections.map((i) => ({
        at: i.inspectedOn,
        domain: 'INSPECTION',
        type: 'INSPECTED',
        measureCode: i.measureCode,
        reference: inspectionId(i.id),
        summary: `inspected (${i.domainCode.toLowerCase()}): ${(i.outcome ?? 'outcome pending').toLowerCase().replace(/_/g, ' ')}`,
      }));
      return [...dossiers, ...visits].sort((a, b) => a.at.localeCompare(b.at));
    },
    lastInspection: async ({ kboNumber }: { kboNumber: string }, _: unknown, { loaders }: Ctx) => {
      const [last] = await loaders.domain.page.load({ kbo: kboNumber, first: 1, after: null });
      return last ? inspectionOut(last) : null;
    },
  },
  InspectionDossierMutations: {
    recordInspection: async (_: unknown, { input }: { input: RecordInspectionInput }, ctx: Ctx) => {
      const { loaders } = ctx;
      const id = await loaders.domain.store.record(input, partyDirectoryOf(ctx));
      return inspectionOut((await loaders.domain.store.byIds([id]))[0]!);
    },
    recordInspectionOutcome: async (_: unknown, { input }: { input: RecordOutcomeInput }, { loaders }: Ctx) => {
      const id = localId(input.inspectionId);
      if (!input.outcome) throw badInput('outcome is required', 'outcome');
      await loaders.domain.store.recordOutcome(id, input);
      return inspectionOut((await loaders.domain.store.byIds([id]))[0]!);
    },
  },
};
