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

/** Per-request loaders of the measure-module machinery. */
export interface MeasureModuleLoaders {
  /** Whether a code is a module of this domain. */
  moduleExists: DataLoader<string, boolean>;
  normsByMeasure: DataLoader<string, NormRecord[]>;
  norm: DataLoader<string, NormRecord | null>;
  /** Keyed "<normId>@<year>"; null when nothing was counted. */
  normResult: DataLoader<string, NormResultRecord | null>;
  dossier: DataLoader<string, DossierRecord | null>;
  eventsByDossier: DataLoader<string, DossierEventRecord[]>;
  paymentsByDossier: DataLoader<string, PaymentRecord[]>;
  payment: DataLoader<string, PaymentRecord | null>;
  dossierKinds: DataLoader<string, string[]>;
  /** Keyed "<code>@<year>". */
  budget: DataLoader<string, BudgetRecord | null>;
  /** Keyed "<code>@<year>". */
  /** The rows of a measure's card in a year, in card order. */
  volumes: DataLoader<string, { measureCode: string; rows: VolumeRecord[] } | null>;
  /** Keyed "<code>@<year>". */
  leadTime: DataLoader<string, LeadTimeRecord | null>;
  /** A page of one measure's dossiers; requests with the same filter and page share one statement. */
  dossierPage: DataLoader<DossierPageKey, DossierRecord[], string>;
  dossierCount: DataLoader<DossierPageKey, number, string>;
  /** Keyed "<ORGANISATION|PERSON>|<id>|<first>|<after receivedAt>|<after id>": a page of an applicant's dossiers. */
  applicantDossiers: DataLoader<string, DossierRecord[]>;
  /** Keyed "<ORGANISATION|PERSON>|<id>". */
  applicantDossierCount: DataLoader<string, number>;
  applicantPerYear: DataLoader<string, Array<{ year: number; received: number }>>;
  applicantEvents: DataLoader<string, Array<{ dossierId: string; measureCode: string; type: string; at: string }>>;
  /** Not a loader: the domain's dossier mutations and queries, for resolvers. */
  commands: DossierCommands;
  normResults: NormResultsStore;
}

/** Splits "<party>|<id>|rest..." keys by party (and the rest), loads each group in one statement. */
function perApplicantLoader<V>(
  load: (party: ApplicantParty, ids: string[], rest: string[]) => Promise<Array<V & { applicantKey: string }>>,
): DataLoader<string, V[]> {
  return new DataLoader(async (keys) => {
    const groups = new Map<string, string[]>();
    for (const key of keys) {
      const [party, id, ...rest] = key.split('|');
      const shape = [party, ...rest].join('|');
      groups.set(shape, [...(groups.get(shape) ?? []), id!]);
    }
    const found = new Map<string, V[]>(keys.map((k) => [k, []]));
    for (const [shape, ids] of groups) {
      const [party, ...rest] = shape.split('|');
      for (const row of await load(party as ApplicantParty, ids, rest)) {
        found.get([party, row.applicantKey, ...rest].join('|'))?.push(row);
      }
    }
    return keys.map((k) => found.get(k)!);
  });
}

/**
 * Groups rows by a key, returning the groups in key order (empty where there are none): one
 * statement per batch for any number of parents. Every domain's one-to-many loaders use it.
 */
export function groupedLoader<V, K = string>(
  load: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (v: V) => K,
): DataLoader<K, V[]> {
  return new DataLoader(async (keys) => {
    const groups = new Map<K, V[]>(keys.map((k) => [k, []]));
    for (const row of await load(keys)) groups.get(keyOf(row))?.push(row);
    return keys.map((k) => groups.get(k) ?? []);
  });
}

/** Loads one row per key, returning them in key order (null where there is none). */
export function keyedLoader<V, K = string>(
  load: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (v: V) => K,
): DataLoader<K, V | null> {
  return new DataLoader(async (keys) => {
    const rows = new Map((await load(keys)).map((r) => [keyOf(r), r]));
    return keys.map((k) => rows.get(k) ?? null);
  });
}

/** Loads rows by their id (keyedLoader on `id`). */
export const byIdLoader = <V extends { id: string }>(load: (keys: readonly string[]) => Promise<V[]>) =>
  keyedLoader<V>(load, (r) => r.id);

export interface DossierPageKey {
  measureCode: string;
  filter: DossierFilter;
  first: number;
  after: DossierCursor | null;
}

/** Batches keys that differ only in measure code into one call per distinct rest of the key. */
function perMeasureLoader<V>(
  load: (codes: string[], sample: DossierPageKey) => Promise<Map<string, V>>,
  empty: V,
): DataLoader<DossierPageKey, V, string> {
  return new DataLoader(
    async (keys) => {
      const groups = new Map<string, DossierPageKey[]>();
      for (const key of keys) {
        const rest = JSON.stringify({ ...key, measureCode: undefined });
        groups.set(rest, [...(groups.get(rest) ?? []), key]);
      }
      const results = new Map<string, V>();
      for (const [rest, group] of groups) {
        const byCode = await load([...new Set(group.map((k) => k.measureCode))], group[0]!);
        for (const key of group) results.set(`${key.measureCode}|${rest}`, byCode.get(key.measureCode) ?? empty);
      }
      return keys.map(
        (k) => results.get(`${k.measureCode}|${JSON.stringify({ ...k, measureCode: undefined })}`) ?? empty,
      );
    },
    { cacheKeyFn: (k) => JSON.stringify(k) },
  );
}

/** Loads "<code>@<year>" keys with one statement per year asked for, whatever the number of measures. */
function perYearLoader<V extends { measureCode: string }>(
  load: (codes: string[], year: number) => Promise<V[]>,
): DataLoader<string, V | null> {
  return new DataLoader(async (keys) => {
    const byYear = new Map<number, string[]>();
    for (const key of keys) {
      const [code, year] = key.split('@') as [string, string];
      byYear.set(Number(year), [...(byYear.get(Number(year)) ?? []), code]);
    }
    const results = new Map<string, V>();
    await Promise.all(
      [...byYear].map(async ([year, codes]) => {
        for (const row of await load(codes, year)) results.set(`${row.measureCode}@${year}`, row);
      }),
    );
    return keys.map((k) => results.get(k) ?? null);
  });
}

/** Key of a norm result: the whole year, or one quarter of it (1-4). */
export const normResultKey = (normId: string, year: number, quarter: number | null = null): string =>
  `${normId}@${year}@${quarter ?? 0}`;

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
    applicantDossiers: perApplicantLoader((party, ids, [first, receivedAt, id]) =>
      dossiers.pagesByApplicant(party, ids, Number(first), receivedAt ? { receivedAt, id: id! } : null),
    ),
    applicantDossierCount: new DataLoader(async (keys) => {
      const byParty = new Map<ApplicantParty, string[]>();
      for (const key of keys) {
        const [party, id] = key.split('|') as [ApplicantParty, string];
        byParty.set(party, [...(byParty.get(party) ?? []), id]);
      }
      const counts = new Map<string, number>();
      for (const [party, ids] of byParty) {
        for (const r of await dossiers.perYearByApplicant(party, ids)) {
          counts.set(`${party}|${r.applicantKey}`, (counts.get(`${party}|${r.applicantKey}`) ?? 0) + r.received);
        }
      }
      return keys.map((k) => counts.get(k) ?? 0);
    }),
    applicantPerYear: perApplicantLoader((party, ids) => dossiers.perYearByApplicant(party, ids)),
    applicantEvents: perApplicantLoader((party, ids) => dossiers.eventsByApplicant(party, ids)),
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
    normResult: new DataLoader(async (keys) => {
      const parsed = keys.map((k) => {
        const [normId, year, quarter] = k.split('@') as [string, string, string];
        return { normId, year: Number(year), quarter: Number(quarter) };
      });
      const byKey = new Map<string, NormResultRecord>();
      for (const quarterly of [false, true]) {
        const wanted = parsed.filter((p) => p.quarter > 0 === quarterly);
        if (wanted.length === 0) continue;
        const rows = await results.results(
          [...new Set(wanted.map((p) => p.normId))],
          [...new Set(wanted.map((p) => p.year))],
          quarterly,
        );
        for (const r of rows) byKey.set(normResultKey(r.normId, r.year, r.quarter), r);
      }
      return keys.map((k) => byKey.get(k) ?? null);
    }),
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
