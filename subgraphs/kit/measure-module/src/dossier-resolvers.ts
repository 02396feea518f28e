import {
  type ResolverMap,
  partyDirectoryOf,
  type SubgraphContext,
  decodeCursor,
  encodeCursor,
  pageSize,
} from '@measure-graph/subgraph-platform';
import { badInput, notFound } from '@measure-graph/errors';
import { assertScope, SCOPES } from '@measure-graph/auth';
import type { RegisterPaymentInput, SubmitDossierInput } from './dossier-commands.ts';
import type { DossierFilter, DossierRecord, PaymentRecord } from './dossier-store.ts';
import type { MeasureModuleLoaders } from './loaders.ts';
import { centsToEuros } from './validation.ts';

type Ctx = SubgraphContext<MeasureModuleLoaders>;

const payment = (p: PaymentRecord) => ({ ...p, amount: centsToEuros(p.amountCents) });

/** A Relay connection over rows fetched with one extra row (to know whether more follow). */
export function connection<T>(
  rows: T[],
  first: number,
  cursorOf: (row: T) => string,
  totalCount: number | (() => Promise<number>),
) {
  const page = rows.slice(0, first);
  return {
    edges: page.map((node) => ({ node, cursor: cursorOf(node) })),
    nodes: page,
    pageInfo: { hasNextPage: rows.length > first, endCursor: page.length ? cursorOf(page[page.length - 1]!) : null },
    // A thunk stays one: the default resolver calls it only when totalCount is selected, so a page
    // that does not ask for it costs no count statement.
    totalCount,
  };
}

const dossierCursor = (d: DossierRecord) => encodeCursor([d.receivedAt, d.id]);

/**
 * Dossier fields of a domain: the measure's dossier list and lookup, the dossier type itself, and
 * the domain's mutations (under its namespace field, e.g. `activation`).
 */
export function dossierResolvers(options: {
  measureType: string;
  dossierType: string;
  mutationsType: string;
  mutationField: string;
}): ResolverMap<Ctx> {
  return {
    [options.measureType]: {
      dossiers: async (
        measure: { code: string },
        args: { first?: number; after?: string | null; filter?: DossierFilter | null },
        { loaders }: Ctx,
      ) => {
        const first = pageSize(args.first);
        const filter = args.filter ?? {};
        if (filter.year != null && (filter.year < 2000 || filter.year > 2100))
          throw badInput('filter.year must be between 2000 and 2100', 'filter.year');
        const after = args.after ? decodeCursor(args.after, 2) : null;
        const key = {
          measureCode: measure.code,
          filter,
          first,
          after: after ? { receivedAt: after[0]!, id: after[1]! } : null,
        };
        const rows = await loaders.dossierPage.load(key);
        return connection(rows, first, dossierCursor, () => loaders.dossierCount.load(key));
      },
      dossier: async (measure: { code: string }, { id }: { id: string }, { loaders }: Ctx) => {
        const dossier = await loaders.dossier.load(loaders.commands.localId(id));
        if (!dossier || dossier.measureCode !== measure.code) throw notFound('Dossier', 'id', id);
        return dossier;
      },
      dossierKinds: (measure: { code: string }, _: unknown, { loaders }: Ctx) =>
        loaders.dossierKinds.load(measure.code),
      volumes: async (measure: { code: string }, { year }: { year: number }, { loaders }: Ctx) =>
        ((await loaders.volumes.load({ code: measure.code, year }))?.rows ?? []).map((row) => ({
          ...row,
          year,
          dossierKinds: row.kinds,
        })),
      decisionLeadTime: async (measure: { code: string }, { year }: { year: number }, { loaders }: Ctx) => {
        const t = await loaders.leadTime.load({ code: measure.code, year });
        const round = (x: number | null | undefined) => (x == null ? null : Math.round(x * 10) / 10);
        return {
          year,
          decided: t?.decided ?? 0,
          averageDays: round(t?.averageDays),
          medianDays: round(t?.medianDays),
          averageTotalDays: round(t?.averageTotalDays),
          medianTotalDays: round(t?.medianTotalDays),
        };
      },
      budget: async (measure: { code: string }, { year }: { year: number }, { loaders }: Ctx) => {
        const b = await loaders.budget.load({ code: measure.code, year });
        const euros = (c: string | null | undefined) => (c == null ? null : centsToEuros(c));
        return {
          year,
          vekRealised: euros(b?.vekRealisedCents),
          vakRealised: euros(b?.vakRealisedCents),
          nextYearVekBudget: euros(b?.nextYearVekCents),
          nextYearVakBudget: euros(b?.nextYearVakCents),
        };
      },
    },
    [options.dossierType]: {
      // A dossier reached by reference (_entities, e.g. a subgraph called directly) needs the same
      // scope as every field that leads to one.
      __resolveReference: (ref: { id: string }, ctx: Ctx) => {
        assertScope(ctx, SCOPES.dossiersRead, `${options.dossierType} reference`);
        return ctx.loaders.dossier.load(ctx.loaders.commands.localId(ref.id));
      },
      id: (d: DossierRecord, _: unknown, { loaders }: Ctx) => loaders.commands.globalId(d.id),
      applicant: (d: DossierRecord) =>
        d.applicantKbo
          ? { __typename: 'Organisation', kboNumber: d.applicantKbo }
          : { __typename: 'Person', id: d.applicantPersonId },
      events: (d: DossierRecord, _: unknown, { loaders }: Ctx) => loaders.eventsByDossier.load(d.id),
      payments: async (d: DossierRecord, _: unknown, { loaders }: Ctx) =>
        (await loaders.paymentsByDossier.load(d.id)).map(payment),
    },
    Dossier: { __resolveType: () => options.dossierType },
    Applicant: { __resolveType: (a: { __typename: string }) => a.__typename },
    NormItem: {
      dossier: (item: { dossierId: string }, _: unknown, { loaders }: Ctx) => loaders.dossier.load(item.dossierId),
      payment: async (item: { paymentId: string | null }, _: unknown, { loaders }: Ctx) => {
        const p = item.paymentId ? await loaders.payment.load(item.paymentId) : null;
        return p ? payment(p) : null;
      },
    },
    Mutation: { [options.mutationField]: () => ({}) },
    [options.mutationsType]: {
      submitDossier: async (_: unknown, { input }: { input: SubmitDossierInput }, ctx: Ctx) => {
        // Looking a person up by national number is identification: without person:identify the
        // answer (found or NOT_FOUND) would tell whether a number belongs to a known person.
        if (input.applicantInsz != null) assertScope(ctx, SCOPES.personIdentify, 'submitDossier(applicantInsz)');
        return ctx.loaders.dossier.load(await ctx.loaders.commands.submit(input, partyDirectoryOf(ctx)));
      },
      declareAdmissibility: async (
        _: unknown,
        { input }: { input: { dossierId: string; admissible: boolean; at: string; idempotencyKey: string } },
        { loaders }: Ctx,
      ) =>
        loaders.dossier.load(
          await loaders.commands.step(
            'declareAdmissibility',
            input,
            input.admissible ? 'DECLARE_ADMISSIBLE' : 'DECLARE_INADMISSIBLE',
          ),
        ),
      completeFile: async (
        _: unknown,
        { input }: { input: { dossierId: string; at: string; idempotencyKey: string } },
        { loaders }: Ctx,
      ) => loaders.dossier.load(await loaders.commands.completeFile(input)),
      decideDossier: async (
        _: unknown,
        { input }: { input: { dossierId: string; granted: boolean; at: string; idempotencyKey: string } },
        { loaders }: Ctx,
      ) =>
        loaders.dossier.load(await loaders.commands.step('decideDossier', input, input.granted ? 'GRANT' : 'REFUSE')),
      registerPayment: async (_: unknown, { input }: { input: RegisterPaymentInput }, { loaders }: Ctx) => {
        const p = await loaders.payment.load(await loaders.commands.registerPayment(input));
        return payment(p!);
      },
    },
  };
}
