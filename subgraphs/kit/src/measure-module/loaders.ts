import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
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

/*
 * The batching idiom of every subgraph: a loader key is a string id or a typed object (never a
 * string joined from parts and split again); DataLoader tells object keys apart by `loaderKey`
 * (its cacheKeyFn), and the helpers below map rows back to keys the same way.
 */

/** Plain data with its object fields in name order, so that field order never tells keys apart. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * The cache key of a loader key: a string as it is, anything else (a typed object key) as JSON of
 * its fields in name order. Every kit loader uses it as DataLoader's `cacheKeyFn`.
 */
export function loaderKey(key: unknown): string {
  return typeof key === 'string' ? key : JSON.stringify(canonical(key));
}

/** Rows per key, in key order (empty where there are none); `keyOf` gives a row's key. */
export function rowsPerKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): V[][] {
  const groups = new Map<string, V[]>(keys.map((k) => [loaderKey(k), []]));
  for (const row of rows) groups.get(loaderKey(keyOf(row)))?.push(row);
  return keys.map((k) => groups.get(loaderKey(k)) ?? []);
}

/** One row per key, in key order (null where there is none); `keyOf` gives a row's key. */
export function rowPerKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): Array<V | null> {
  const byKey = new Map(rows.map((r) => [loaderKey(keyOf(r)), r]));
  return keys.map((k) => byKey.get(loaderKey(k)) ?? null);
}

/**
 * Groups rows by a key, returning the groups in key order (empty where there are none): one
 * statement per batch for any number of parents. Every domain's one-to-many loaders use it.
 */
export function groupedLoader<V, K = string>(
  load: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (v: V) => K,
): DataLoader<K, V[], string> {
  return new DataLoader<K, V[], string>(async (keys) => rowsPerKey(keys, await load(keys), keyOf), {
    cacheKeyFn: loaderKey,
  });
}

/** Loads one row per key, returning them in key order (null where there is none). */
export function keyedLoader<V, K = string>(
  load: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (v: V) => K,
): DataLoader<K, V | null, string> {
  return new DataLoader<K, V | null, string>(async (keys) => rowPerKey(keys, await load(keys), keyOf), {
    cacheKeyFn: loaderKey,
  });
}

/** Loads rows by their id (keyedLoader on `id`). */
export const byIdLoader = <V extends { id: string }>(load: (keys: readonly string[]) => Promise<V[]>) =>
  keyedLoader<V>(load, (r) => r.id);

/**
 * Typed object keys that one statement answers together when they share a shape: everything but
 * the parent they are about (a year for many measures; a page size and cursor for many
 * organisations). Each distinct shape of a batch is one call of `load` with its keys, which
 * returns one value per key in the keys' order (rowsPerKey, rowPerKey).
 */
export function shapedLoader<K, V>(
  shapeOf: (key: K) => unknown,
  load: (keys: K[]) => Promise<V[]>,
): DataLoader<K, V, string> {
  return new DataLoader<K, V, string>(
    async (keys) => {
      const groups = new Map<string, number[]>();
      keys.forEach((key, i) => {
        const shape = loaderKey(shapeOf(key));
        const group = groups.get(shape);
        if (group) group.push(i);
        else groups.set(shape, [i]);
      });
      const values = new Array<V>(keys.length);
      await Promise.all(
        [...groups.values()].map(async (indexes) => {
          const loaded = await load(indexes.map((i) => keys[i]!));
          indexes.forEach((i, n) => (values[i] = loaded[n]!));
        }),
      );
      return values;
    },
    { cacheKeyFn: loaderKey },
  );
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
      const { party, first, after } = keys[0]!;
      return dossiers.pagesByApplicant(
        party,
        keys.map((k) => k.id),
        first,
        after,
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
