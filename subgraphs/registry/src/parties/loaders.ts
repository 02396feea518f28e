import DataLoader from 'dataloader';
import { keyedLoader } from '@measure-graph/subgraph-platform';
import type { DataSource } from 'typeorm';
import type { AuditKeyring } from './access-log-chain.ts';
import { AccessLogStore, type AccessEntry } from './access-log-store.ts';
import { PartyStore, type OrganisationRecord, type PersonRecord, type ProvinceRecord } from './store.ts';

export interface PartyLoaders {
  organisation: DataLoader<string, OrganisationRecord | null>;
  person: DataLoader<string, PersonRecord | null>;
  province: DataLoader<string, ProvinceRecord | null>;
  parties: PartyStore;
  accessLog: AccessLogStore;
  /** Writes the personal-data reads of one request together; a read waits until it is written. */
  recordAccess: DataLoader<AccessEntry, true>;
}

/** `auditKeys` chain the access log; without them national numbers cannot be read (nothing is logged). */
export function createPartyLoaders(ds: DataSource, auditKeys?: AuditKeyring): PartyLoaders {
  const parties = new PartyStore(ds);
  const accessLog = new AccessLogStore(ds, auditKeys);
  return {
    parties,
    accessLog,
    recordAccess: new DataLoader(
      async (entries) => {
        await accessLog.append(entries);
        return entries.map(() => true as const);
      },
      { cache: false },
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
