import { badInput } from '@measure-graph/errors';
import {
  type SubgraphContext,
  byIdLoader,
  decodeCursor,
  encodeCursor,
  groupedLoader,
  pageSize,
  rowsPerKey,
  shapedLoader,
} from '@measure-graph/subgraph-platform';
import {
  connection,
  existing,
  type Connection,
  type DomainLoaders,
  type MeasureYearKey,
  decodeWatermark,
} from '@measure-graph/measure-module';
import type { DataSource } from 'typeorm';
import {
  appealGlobalId,
  AppealStore,
  type AppealCursor,
  type AppealRecord,
  type DecideAppealInput,
  type LodgeAppealInput,
} from './store.ts';
import type { Resolvers } from '../generated/resolvers.ts';

/** A page of one measure's appeals of a year; keys that differ only in the measure share one statement. */
export interface AppealPageKey {
  measureCode: string;
  year: number;
  first: number;
  after: AppealCursor | null;
}

/** The appeal loaders of one request (under `loaders.domain.appeals`). */
export function createAppealLoaders(ds: DataSource) {
  const store = new AppealStore(ds);
  return {
    store,
    byId: byIdLoader<AppealRecord>((ids) => store.byIds(ids)),
    byDossier: groupedLoader<AppealRecord>(
      (dossierIds) => store.ofDossiers(dossierIds),
      (a) => a.dossierId,
    ),
    page: shapedLoader(
      ({ measureCode: _, ...shape }: AppealPageKey) => shape,
      async (keys) => {
        const { year, first, after } = keys[0]!;
        const codes = [...new Set(keys.map((k) => k.measureCode))];
        return rowsPerKey(keys, await store.pages(codes, year, first, after), (row) => ({
          ...keys[0]!,
          measureCode: row.measureCode,
        }));
      },
    ),
    /** Appeals lodged in the year; one statement per year asked for. */
    count: shapedLoader(
      (k: MeasureYearKey) => k.year,
      async (keys) => {
        const counts = await store.counts(
          keys.map((k) => k.code),
          keys[0]!.year,
        );
        return keys.map((k) => counts.get(k.code) ?? 0);
      },
    ),
  };
}
export type AppealLoaders = ReturnType<typeof createAppealLoaders>;
type Ctx = SubgraphContext<DomainLoaders<{ appeals: AppealLoaders }>>;

const cursorOf = (a: AppealRecord) => encodeCursor([a.lodgedAt, a.id]);
export type AppealConnectionValue = Connection<AppealRecord>;

/** Appeals on the dossier and the measure, and the two appeal mutations: thin, everything else is in the store. */
export const appealResolvers: Resolvers = {
  Query: {
    appealChanges: async (_: unknown, args: { changedAfter: string; first?: number | null }, { loaders }: Ctx) => {
      const from = decodeWatermark(args.changedAfter, 'changedAfter');
      const page = await loaders.domain.appeals.store.changes(from, pageSize(args.first));
      return { ...page, deletedIds: page.deletedIds.map(appealGlobalId) };
    },
  },
  ActivationMeasure: {
    appeals: async (
      measure: { code: string },
      args: { year: number; first?: number | null; after?: string | null },
      { loaders }: Ctx,
    ) => {
      if (!Number.isInteger(args.year) || args.year < 2000 || args.year > 2100) {
        throw badInput('year must be between 2000 and 2100', 'year');
      }
      const first = pageSize(args.first);
      const after = args.after ? decodeCursor(args.after, 2) : null;
      const rows = await loaders.domain.appeals.page.load({
        measureCode: measure.code,
        year: args.year,
        first,
        after: after ? { lodgedAt: after[0]!, id: after[1]! } : null,
      });
      return connection(rows, first, cursorOf, () =>
        loaders.domain.appeals.count.load({ code: measure.code, year: args.year }),
      );
    },
  },
  ActivationDossier: {
    appeals: (d: { id: string }, _: unknown, { loaders }: Ctx) => loaders.domain.appeals.byDossier.load(d.id),
  },
  Appeal: {
    id: (a: AppealRecord) => appealGlobalId(a.id),
    dossier: (a: AppealRecord, _: unknown, { loaders }: Ctx) => loaders.dossier.load(a.dossierId),
  },
  ActivationDossierMutations: {
    // Cleared first: an earlier mutation of the same request may have loaded the appeal.
    lodgeAppeal: async (_: unknown, { input }: { input: LodgeAppealInput }, { loaders }: Ctx) => {
      const id = await loaders.domain.appeals.store.lodge(input);
      return existing(loaders.domain.appeals.byId.clear(id).load(id), `appeal ${id}`);
    },
    decideAppeal: async (_: unknown, { input }: { input: DecideAppealInput }, { loaders }: Ctx) => {
      const id = await loaders.domain.appeals.store.decide(input);
      return existing(loaders.domain.appeals.byId.clear(id).load(id), `appeal ${id}`);
    },
  },
};
