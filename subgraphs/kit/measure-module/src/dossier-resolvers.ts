import {
  type ResolverMap,
  partyDirectoryOf,
  decodeCursor,
  encodeCursor,
  pageSize,
  checkDossierKeyFilter,
  dossierPosition,
} from '@measure-graph/subgraph-platform';
import { badInput, notFound } from '@measure-graph/errors';
import { assertScope, SCOPES } from '@measure-graph/auth';
import type { DossierRecord, PaymentRecord } from './dossier-store.ts';
import type {
  ApplicantResolvers,
  DomainDossierMutationsResolvers,
  DomainDossierResolvers,
  DomainMeasureResolvers,
  DossierResolvers,
  MutationResolvers,
  NormItemResolvers,
  QueryResolvers,
} from './generated/resolvers.ts';
import { centsToEuros } from './validation.ts';
import { decodeWatermark, encodeWatermark, watermarkAfter } from './change-tracking.ts';

const payment = (p: PaymentRecord) => ({ ...p, amount: centsToEuros(p.amountCents) });
/** A payment as Payment's resolvers receive it: the row with its amount in euros. */
export type PaymentValue = ReturnType<typeof payment>;
/** A domain's mutation namespace (e.g. `activation`): an empty object its fields hang off. */
export type MutationNamespace = Record<string, never>;

/**
 * A Relay connection as its resolvers receive it. `totalCount` may be a thunk: the default resolver
 * calls it only when totalCount is selected, so a page that does not ask for it costs no count
 * statement (the generated types cannot say so, hence a mapper).
 */
export interface Connection<T> {
  edges: { node: T; cursor: string }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number | (() => Promise<number>);
}
/** A page of dossiers; watermark set on an incremental pull (changedAfter), else null. */
export type DossierConnectionValue = Connection<DossierRecord> & { watermark: string | null };

/**
 * An incremental pull pages by its watermark (passed again as changedAfter), not by cursor: the
 * cursor's order (newest received first) is not the pull's.
 */
export function rejectCursorWithWatermark(after: string | null | undefined, field: string): void {
  if (after != null)
    throw badInput(
      `after cannot be combined with ${field}: pass the connection's watermark as ${field} instead`,
      'after',
    );
}

/** A Relay connection over rows fetched with one extra row (to know whether more follow). */
export function connection<T>(
  rows: T[],
  first: number,
  cursorOf: (row: T) => string,
  totalCount: number | (() => Promise<number>),
): Connection<T> {
  const page = rows.slice(0, first);
  return {
    edges: page.map((node) => ({ node, cursor: cursorOf(node) })),
    nodes: page,
    pageInfo: {
      hasNextPage: rows.length > first,
      // Forward-only paging: the Relay spec lets such a server answer false (docs/architecture.md, "Relay").
      hasPreviousPage: false,
      startCursor: page.length ? cursorOf(page[0]!) : null,
      endCursor: page.length ? cursorOf(page[page.length - 1]!) : null,
    },
    totalCount,
  };
}

/**
 * A row that must exist because it was just written or another row refers to it: its absence is a
 * bug, reported (and masked) as an internal error rather than null in a non-null field.
 */
export async function existing<T>(row: Promise<T | null | undefined>, what: string): Promise<T> {
  const value = await row;
  if (value == null) throw new Error(`${what} not found`);
  return value;
}

/** A domain's keyset page for the registry's allDossiers; `totalCount` a thunk, counted only when asked. */
export interface DossierKeyPageValue {
  keys: Array<{ id: string; receivedAt: string }>;
  hasNextPage: boolean;
  totalCount: number | (() => Promise<number>);
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
  idPrefix: string;
}): ResolverMap {
  // The registry's allDossiers merges these pages of every domain: see dossier-keys.ts of the platform.
  const query: QueryResolvers = {
    _domainDossierKeys: async (_, args, { loaders }) => {
      const first = pageSize(args.first);
      const filter = args.filter ?? {};
      checkDossierKeyFilter(filter);
      let after = null;
      if (args.after) {
        const position = dossierPosition(args.after);
        if (!position) throw badInput('after is not a dossier key', 'after');
        // The cursor's own (receivedAt, number) still follows it when its prefix sorts after ours.
        after = { receivedAt: position.receivedAt, id: position.number, orEqual: options.idPrefix < position.prefix };
      }
      const changedAfter = args.changedAfter != null ? decodeWatermark(args.changedAfter, 'changedAfter') : null;
      if (changedAfter && args.after) throw badInput('after cannot be combined with changedAfter', 'after');
      const store = loaders.commands.store;
      const rows = await store.keyPage(filter, first, changedAfter ? null : after, changedAfter);
      return {
        keys: rows.slice(0, first).map((r) => ({
          id: loaders.commands.globalId(r.id),
          receivedAt: r.receivedAt,
          watermark: changedAfter ? encodeWatermark({ xid: r.changeXid, id: r.id }) : null,
        })),
        hasNextPage: rows.length > first,
        totalCount: () => store.keyCount(filter, changedAfter),
      };
    },
  };

  const measure: DomainMeasureResolvers = {
    dossiers: async (measure, args, { loaders }) => {
      const first = pageSize(args.first);
      const { changedAfter: watermark, ...rest } = args.filter ?? {};
      const filter = {
        ...rest,
        changedAfter: watermark != null ? decodeWatermark(watermark, 'filter.changedAfter') : null,
      };
      if (filter.year != null && (filter.year < 2000 || filter.year > 2100))
        throw badInput('filter.year must be between 2000 and 2100', 'filter.year');
      if (filter.changedAfter) rejectCursorWithWatermark(args.after, 'filter.changedAfter');
      const after = args.after ? decodeCursor(args.after, 2) : null;
      const key = {
        measureCode: measure.code,
        filter,
        first,
        after: after ? { receivedAt: after[0]!, id: after[1]! } : null,
      };
      const rows = await loaders.dossierPage.load(key);
      const page = connection(rows, first, dossierCursor, () => loaders.dossierCount.load(key));
      return { ...page, watermark: filter.changedAfter ? watermarkAfter(page.nodes, filter.changedAfter) : null };
    },
    dossier: async (measure, { id }, { loaders }) => {
      const dossier = await loaders.dossier.load(loaders.commands.localId(id));
      if (!dossier || dossier.measureCode !== measure.code) throw notFound('Dossier', 'id', id);
      return dossier;
    },
    dossierKinds: (measure, _, { loaders }) => loaders.dossierKinds.load(measure.code),
    volumes: async (measure, { year }, { loaders }) =>
      ((await loaders.volumes.load({ code: measure.code, year }))?.rows ?? []).map((row) => ({
        ...row,
        year,
        dossierKinds: row.kinds,
      })),
    decisionLeadTime: async (measure, { year }, { loaders }) => {
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
    budget: async (measure, { year }, { loaders }) => {
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
  };
  const dossier: DomainDossierResolvers = {
    // A dossier reached by reference (_entities, e.g. a subgraph called directly) needs the same
    // scope as every field that leads to one.
    __resolveReference: (ref, ctx) => {
      assertScope(ctx, SCOPES.dossiersRead, `${options.dossierType} reference`);
      return ctx.loaders.dossier.load(ctx.loaders.commands.localId(ref.id));
    },
    id: (d, _, { loaders }) => loaders.commands.globalId(d.id),
    applicant: (d) => (d.applicantKbo ? { kboNumber: d.applicantKbo } : { id: d.applicantPersonId! }),
    events: (d, _, { loaders }) => loaders.eventsByDossier.load(d.id),
    payments: async (d, _, { loaders }) => (await loaders.paymentsByDossier.load(d.id)).map(payment),
  };
  const dossierInterface: DossierResolvers = { __resolveType: () => options.dossierType as 'DomainDossier' };
  const applicant: ApplicantResolvers = { __resolveType: (a) => ('kboNumber' in a ? 'Organisation' : 'Person') };
  const normItem: NormItemResolvers = {
    dossier: (item, _, { loaders }) => existing(loaders.dossier.load(item.dossierId), `dossier ${item.dossierId}`),
    payment: async (item, _, { loaders }) => {
      const p = item.paymentId ? await loaders.payment.load(item.paymentId) : null;
      return p ? payment(p) : null;
    },
  };
  const mutation: MutationResolvers = { domain: () => ({}) };
  const mutations: DomainDossierMutationsResolvers = {
    submitDossier: async (_, { input }, ctx) => {
      // Looking a person up by national number is identification: without person:identify the
      // answer (found or NOT_FOUND) would tell whether a number belongs to a known person.
      if (input.applicantInsz != null) assertScope(ctx, SCOPES.personIdentify, 'submitDossier(applicantInsz)');
      const id = await ctx.loaders.commands.submit(input, partyDirectoryOf(ctx));
      return existing(ctx.loaders.dossier.load(id), `dossier ${id}`);
    },
    declareAdmissibility: async (_, { input }, { loaders }) => {
      const step = input.admissible ? 'DECLARE_ADMISSIBLE' : 'DECLARE_INADMISSIBLE';
      const id = await loaders.commands.step('declareAdmissibility', input, step);
      return existing(loaders.dossier.load(id), `dossier ${id}`);
    },
    completeFile: async (_, { input }, { loaders }) => {
      const id = await loaders.commands.completeFile(input);
      return existing(loaders.dossier.load(id), `dossier ${id}`);
    },
    decideDossier: async (_, { input }, { loaders }) => {
      const id = await loaders.commands.step('decideDossier', input, input.granted ? 'GRANT' : 'REFUSE');
      return existing(loaders.dossier.load(id), `dossier ${id}`);
    },
    registerPayment: async (_, { input }, { loaders }) => {
      const id = await loaders.commands.registerPayment(input);
      return payment(await existing(loaders.payment.load(id), `payment ${id}`));
    },
  };
  // Typed against the template's Domain* types, served under the domain's names.
  return {
    [options.measureType]: measure,
    [options.dossierType]: dossier,
    Dossier: dossierInterface,
    Applicant: applicant,
    NormItem: normItem,
    Mutation: { [options.mutationField]: mutation.domain },
    Query: { [`_${options.mutationField}DossierKeys`]: query._domainDossierKeys },
    [options.mutationsType]: mutations,
  } as ResolverMap;
}
