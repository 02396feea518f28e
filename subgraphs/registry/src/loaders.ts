import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { AccessLogStore, type AccessEntry } from './parties/access-log-store.ts';
import { MeasureCatalogueStore, type MeasureRecord } from './catalogue/store.ts';
import { PartyStore, type OrganisationRecord, type PersonRecord, type ProvinceRecord } from './parties/store.ts';

/** Batches by key and returns results in key order (null where a key has no row). */
function keyed<K, V>(load: (keys: readonly K[]) => Promise<V[]>, keyOf: (v: V) => K): DataLoader<K, V | null> {
  return new DataLoader(async (keys) => {
    const byKey = new Map((await load(keys)).map((v) => [keyOf(v), v]));
    return keys.map((k) => byKey.get(k) ?? null);
  });
}

export interface RegistryLoaders {
  catalogue: MeasureCatalogueStore;
  measure: DataLoader<string, MeasureRecord | null>;
  organisation: DataLoader<string, OrganisationRecord | null>;
  person: DataLoader<string, PersonRecord | null>;
  province: DataLoader<string, ProvinceRecord | null>;
  parties: PartyStore;
  accessLog: AccessLogStore;
  /** Writes the personal-data reads of one request together; a read waits until it is written. */
  recordAccess: DataLoader<AccessEntry, true>;
}

export function createRegistryLoaders(ds: DataSource): RegistryLoaders {
  const catalogue = new MeasureCatalogueStore(ds);
  const parties = new PartyStore(ds);
  const accessLog = new AccessLogStore(ds);
  return {
    catalogue,
    parties,
    accessLog,
    recordAccess: new DataLoader(
      async (entries) => {
        await accessLog.append(entries);
        return entries.map(() => true as const);
      },
      { cache: false },
    ),
    measure: keyed(
      (codes) => catalogue.byCodes(codes),
      (m) => m.code,
    ),
    organisation: keyed(
      (kbos) => parties.organisationsByKbo(kbos),
      (o) => o.kboNumber,
    ),
    person: keyed(
      (ids) => parties.personsByIds(ids),
      (p) => p.id,
    ),
    province: keyed(
      (codes) => parties.provincesByCodes(codes),
      (p) => p.code,
    ),
  };
}
