import type { SubgraphContext } from '@measure-graph/subgraph-platform';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byIdLoader, groupedLoader, rowPerKey, rowsPerKey, shapedLoader } from '@measure-graph/subgraph-platform';
import { BudgetStore, type BudgetRecord } from './budget-store.ts';
import { VolumeStore, type LeadTimeRecord, type VolumeRecord } from './volume-store.ts';
import { DossierCommands } from './dossier-commands.ts';
import type {
  ApplicantParty,
  DossierCursor,
  DossierEventRecord,
  DossierFilter,
  DossierRecord,
  PaymentRecord,
} from './dossier-store.ts';
import type { ChangeWatermark } from './change-tracking.ts';
import { NormResultsStore, type NormResultRecord } from './norm-results-store.ts';
import { MeasureModuleStore, type NormRecord } from './store.ts';

/** An applicant of dossiers: an organisation (KBO number) or a person (registry id). */
export interface ApplicantKey {
  party: ApplicantParty;
  id: string;
}

/** A page of an applicant's dossiers, newest first (after: the last row of the previous page). */
export interface ApplicantPageKey extends ApplicantKey {
  first: number;
  after: DossierCursor | null;
  /** Set for an incremental pull: the page in change order after this watermark. */
  changedAfter: ChangeWatermark | null;
}

/** A measure's figures of one year (budget, card volumes, lead times). */
export interface MeasureYearKey {
  code: string;
  year: number;
}

/** A norm's result for a whole year (quarter null) or one quarter of it (1-4). */
export interface NormResultKey {
  normId: string;
  year: number;
  quarter: number | null;
}

/** Per-request loaders of the measure-module machinery. */
export interface MeasureModuleLoaders {
  /** Whether a code is a module of this domain. */
  moduleExists: DataLoader<string, boolean>;
  normsByMeasure: DataLoader<string, NormRecord[]>;
  norm: DataLoader<string, NormRecord | null>;
  /** Null when nothing was counted. */
  normResult: DataLoader<NormResultKey, NormResultRecord | null, string>;
  dossier: DataLoader<string, DossierRecord | null>;
  eventsByDossier: DataLoader<string, DossierEventRecord[]>;
  paymentsByDossier: DataLoader<string, PaymentRecord[]>;
  payment: DataLoader<string, PaymentRecord | null>;
  dossierKinds: DataLoader<string, string[]>;
  budget: DataLoader<MeasureYearKey, BudgetRecord | null, string>;
  /** The rows of a measure's card in a year, in card order. */
  volumes: DataLoader<MeasureYearKey, { measureCode: string; rows: VolumeRecord[] } | null, string>;
  leadTime: DataLoader<MeasureYearKey, LeadTimeRecord | null, string>;
  /** A page of one measure's dossiers; requests with the same filter and page share one statement. */
  dossierPage: DataLoader<DossierPageKey, DossierRecord[], string>;
  dossierCount: DataLoader<DossierPageKey, number, string>;
  /** A page of an applicant's dossiers; pages of the same party, size and cursor share one statement. */
  applicantDossiers: DataLoader<ApplicantPageKey, DossierRecord[], string>;
  applicantDossierCount: DataLoader<ApplicantKey, number, string>;
  applicantPerYear: DataLoader<ApplicantKey, Array<{ year: number; received: number }>, string>;
  applicantEvents: DataLoader<
    ApplicantKey,
    Array<{ dossierId: string; measureCode: string; type: string; at: string }>,
    string
  >;
  /** Not a loader: the domain's dossier mutations and queries, for resolvers. */
  commands: DossierCommands;
  normResults: NormResultsStore;
}

export interface DossierPageKey {
  measureCode: string;
  filter: DossierFilter;
  first: number;
  after: DossierCursor | null;
}

/** Dossier pages (or counts) of many measures with the same filter and page: one call per shape. */
function perMeasureLoader<V>(
  load: (codes: string[], sample: DossierPageKey) => Promise<Map<string, V>>,
  empty: V,
): DataLoader<DossierPageKey, V, string> {
  return shapedLoader(
    ({ measureCode: _, ...rest }: DossierPageKey) => rest,
    async (keys) => {
      const byCode = await load([...new Set(keys.map((k) => k.measureCode))], keys[0]!);
      return keys.map((k) => byCode.get(k.measureCode) ?? empty);
    },
  );
}

/** A measure's figures of a year: one statement per year asked for, whatever the number of measures. */
function perYearLoader<V extends { measureCode: string }>(
  load: (codes: string[], year: number) => Promise<V[]>,
): DataLoader<MeasureYearKey, V | null, string> {
  return shapedLoader(
    (k: MeasureYearKey) => k.year,
    async (keys) => {
      const { year } = keys[0]!;
      return rowPerKey(keys, await load([...new Set(keys.map((k) => k.code))], year), (r) => ({
        code: r.measureCode,
        year,
      }));
    },
  );
}

/** Applicants' rows: one statement per party (and page) for any number of applicants. */
function perApplicantLoader<K extends ApplicantKey, V extends { applicantKey: string }>(
  load: (keys: K[]) => Promise<V[]>,
): DataLoader<K, V[], string> {
  return shapedLoader(
    ({ id: _, ...shape }: K) => shape,
    async (keys) => {
      const { id: _, ...shape } = keys[0]!;
      return rowsPerKey(keys, await load(keys), (row) => ({ ...shape, id: row.applicantKey }) as K);
    },
  );
}

/** Key of a norm result: the whole year (quarter null), or one quarter of it (1-4). */
export const normResultKey = (normId: string, year: number, quarter: number | null = null): NormResultKey => ({
  normId,
  year,
  quarter: quarter || null,
});

export function createMeasureModuleLoaders(ds: DataSource, schema: string, idPrefix: string): MeasureModuleLoaders {
  const store = new MeasureModuleStore(ds, schema);
  const results = new NormResultsStore(ds, schema);
  const commands = new DossierCommands(ds, schema, idPrefix);
  const dossiers = commands.store;
  return {
    commands,
    normResults: results,
    dossier: byIdLoader((ids) => dossiers.byIds(ids)),
    payment: byIdLoader((ids) => dossiers.paymentsByIds(ids)),
    eventsByDossier: groupedLoader(
      (ids) => dossiers.eventsOf(ids),
      (e) => e.dossierId,
    ),
    paymentsByDossier: groupedLoader(
      (ids) => dossiers.paymentsOf(ids),
      (p) => p.dossierId,
    ),
    dossierPage: perMeasureLoader(async (codes, { filter, first, after }) => {
      const byCode = new Map<string, DossierRecord[]>();
      for (const row of await dossiers.pages(codes, filter, first, after)) {
        byCode.set(row.measureCode, [...(byCode.get(row.measureCode) ?? []), row]);
      }
      return byCode;
    }, []),
    dossierCount: perMeasureLoader((codes, { filter }) => dossiers.counts(codes, filter), 0),
    applicantDossiers: perApplicantLoader((keys: ApplicantPageKey[]) => {
      const { party, first, after, changedAfter } = keys[0]!;
      return dossiers.pagesByApplicant(
        party,
        keys.map((k) => k.id),
        first,
        after,
        changedAfter,
      );
    }),
    applicantDossierCount: shapedLoader(
      (k: ApplicantKey) => k.party,
      async (keys) => {
        const party = keys[0]!.party;
        const perYear = rowsPerKey(
          keys,
          await dossiers.perYearByApplicant(
            party,
            keys.map((k) => k.id),
          ),
          (r) => ({ party, id: r.applicantKey }),
        );
        return perYear.map((years) => years.reduce((sum, y) => sum + y.received, 0));
      },
    ),
    applicantPerYear: perApplicantLoader((keys: ApplicantKey[]) =>
      dossiers.perYearByApplicant(
        keys[0]!.party,
        keys.map((k) => k.id),
      ),
    ),
    applicantEvents: perApplicantLoader((keys: ApplicantKey[]) =>
      dossiers.eventsByApplicant(
        keys[0]!.party,
        keys.map((k) => k.id),
      ),
    ),
    budget: perYearLoader((codes, year) => new BudgetStore(ds, schema).ofYear(codes, year)),
    volumes: perYearLoader(async (codes, year) => {
      const byMeasure = new Map(codes.map((c) => [c, { measureCode: c, rows: [] as VolumeRecord[] }]));
      for (const row of await new VolumeStore(ds, schema).ofYear(codes, year))
        byMeasure.get(row.measureCode)!.rows.push(row);
      return [...byMeasure.values()];
    }),
    leadTime: perYearLoader((codes, year) => new VolumeStore(ds, schema).leadTimes(codes, year)),
    dossierKinds: new DataLoader(async (codes) => {
      const kinds = await dossiers.kindsOf(codes);
      return codes.map((c) => kinds.get(c) ?? []);
    }),
    norm: new DataLoader(async (ids) => {
      const byId = new Map((await store.normsByIds(ids)).map((n) => [n.id, n]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    // Every norm and year asked for in one request is computed by one statement (and quarters by one more).
    normResult: shapedLoader(
      (k: NormResultKey) => k.quarter !== null,
      async (keys) => {
        const rows = await results.results(
          [...new Set(keys.map((k) => k.normId))],
          [...new Set(keys.map((k) => k.year))],
          keys[0]!.quarter !== null,
        );
        return rowPerKey(keys, rows, (r) => normResultKey(r.normId, r.year, r.quarter));
      },
    ),
    moduleExists: new DataLoader(async (codes) => {
      const existing = await store.existingCodes(codes);
      return codes.map((code) => existing.has(code));
    }),
    normsByMeasure: groupedLoader(
      (codes) => store.normsOf(codes),
      (n) => n.measureCode,
    ),
  };
}

/** The context the measure module's resolvers see: a domain's context has these loaders and more. */
export type MeasureModuleContext = SubgraphContext<MeasureModuleLoaders>;
