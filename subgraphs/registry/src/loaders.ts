import DataLoader from 'dataloader';
import { keyedLoader } from '@measure-graph/subgraph-platform';
import type { DataSource } from 'typeorm';
import type { AuditKeyring } from './parties/access-log-chain.ts';
import { AccessLogStore, type AccessEntry } from './parties/access-log-store.ts';
import { MeasureCatalogueStore, type MeasureRecord } from './catalogue/store.ts';
import { PartyStore, type OrganisationRecord, type PersonRecord, type ProvinceRecord } from './parties/store.ts';

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

/** `auditKeys` chain the access log; without them national numbers cannot be read (nothing is logged). */
export function createRegistryLoaders(ds: DataSource, auditKeys?: AuditKeyring): RegistryLoaders {
  const catalogue = new MeasureCatalogueStore(ds);
  const parties = new PartyStore(ds);
  const accessLog = new AccessLogStore(ds, auditKeys);
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
    measure: keyedLoader(
      (codes) => catalogue.byCodes(codes),
      (m) => m.code,
    ),
    organisation: keyedLoader(
      (kbos) => parties.organisationsByKbo(kbos),
      (o) => o.kboNumber,
    ),
    person: keyedLoader(
      (ids) => parties.personsByIds(ids),
      (p) => p.id,
    ),
    province: keyedLoader(
      (codes) => parties.provincesByCodes(codes),
      (p) => p.code,
    ),
  };
}
