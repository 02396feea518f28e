import { groupedLoader, keyedLoader, shapedLoader } from '@measure-graph/subgraph-platform';
import type { DataSource } from 'typeorm';
import {
  SectorStore,
  type ContingentRecord,
  type EmploymentRecord,
  type SectorOrganisationRecord,
  type SettlementRecord,
  type TrajectoryRecord,
} from './store.ts';

/** Groups rows by a key, in the order of the keys asked for (one statement per batch). */
const grouped = <K, R>(load: (keys: readonly K[]) => Promise<R[]>, keyOf: (row: R) => K) =>
  groupedLoader<R, K>(load, keyOf);

/** The sector's per-request loaders (under `loaders.domain`). */
export function createSectorLoaders(ds: DataSource) {
  const sector = new SectorStore(ds);
  return {
    sector,
    organisation: keyedLoader<SectorOrganisationRecord>(
      (kbos) => sector.organisations(kbos),
      (o) => o.kbo,
    ),
    contingents: grouped<string, ContingentRecord>(
      (k) => sector.contingents(k),
      (r) => r.kbo,
    ),
    settlements: grouped<string, SettlementRecord>(
      (k) => sector.settlements(k),
      (r) => r.kbo,
    ),
    actionPlans: grouped(
      (k: readonly string[]) => sector.actionPlans(k),
      (r) => r.kbo,
    ),
    employmentsOfPerson: grouped<string, EmploymentRecord>(
      (ids) => sector.employmentsOfPersons(ids),
      (r) => r.personId,
    ),
    trajectoriesOfEmployer: grouped<string, TrajectoryRecord>(
      (k) => sector.trajectoriesOfEmployers(k),
      (r) => r.employerKbo,
    ),
    trajectoriesOfPerson: grouped<string, TrajectoryRecord>(
      (ids) => sector.trajectoriesOfPersons(ids),
      (r) => r.personId,
    ),
    /** Target-group employees of an organisation in a year; one statement per year asked for. */
    employeeCount: shapedLoader(
      (k: { kbo: string; year: number }) => k.year,
      async (keys) => {
        const counts = await sector.employeeCounts(
          keys.map((k) => k.kbo),
          keys[0]!.year,
        );
        return keys.map((k) => counts.get(k.kbo) ?? 0);
      },
    ),
  };
}

export type SectorLoaders = ReturnType<typeof createSectorLoaders>;
