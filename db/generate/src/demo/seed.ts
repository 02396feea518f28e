import { publishedMeasures, type PublishedMeasure } from '@measure-graph/db';
import { domainEntry } from '@measure-graph/subgraph-platform/domains';
import type { DataSource } from 'typeorm';
import { seedAppeals } from './activation/appeals.ts';
import { seedIwl } from './activation/iwl.ts';
import { seedCombinedProcedures } from './activation/permits.ts';
import { seedDualLearning } from './competences/dual-learning.ts';
import { seedTraining } from './competences/training.ts';
import { seedVouchers } from './competences/vouchers.ts';
import { seedDemoCatalogue } from './catalogue/records.ts';
import { seedDossiers } from './dossiers/seed-dossiers.ts';
import { seedInspections } from './inspection/seed.ts';
import type { SeedProfile } from './profile.ts';
import { seedParties } from './registry/parties.ts';
import { seedSocialEconomySector } from './social-economy/seed.ts';

/**
 * Generated demo data of one domain's measure modules (dossiers, events, payments, commitments,
 * budgets, registered figures), sized by `profile`, on a domain without dossiers only.
 */
export async function seedDemoDossiers(
  ds: DataSource,
  schema: string,
  domain: PublishedMeasure['domain'],
  profile: SeedProfile,
): Promise<void> {
  await seedDossiers(
    ds,
    schema,
    publishedMeasures().filter((m) => m.domain === domain),
    profile,
  );
}

/** Each subgraph's demo seed: the measure modules' dossiers first, then the domain's own tables. */
const SEEDERS: Record<string, (ds: DataSource, profile: SeedProfile) => Promise<void>> = {
  // The fictitious organisations and persons the domains pick their applicants from.
  registry: (ds) => ds.transaction((em) => seedParties(em)),
  // The WEP+ promoters, the IWL tender, appeals and combined procedures.
  activation: async (ds, profile) => {
    await seedDemoDossiers(ds, domainEntry('activation').schema, 'activation', profile);
    await seedIwl(ds);
    await seedAppeals(ds);
    await seedCombinedProcedures(ds);
  },
  // Courses, training leave, vouchers and dual learning. Vouchers after training (they can be used
  // for its courses).
  competences: async (ds, profile) => {
    await seedDemoDossiers(ds, domainEntry('competences').schema, 'competences', profile);
    await seedTraining(ds, { profile });
    await seedVouchers(ds, { profile });
    await seedDualLearning(ds, { profile });
  },
  // The sector's organisations, contingents, settlements, calls, employees and trajectories.
  'social-economy': async (ds, profile) => {
    await seedDemoDossiers(ds, domainEntry('social-economy').schema, 'social-economy', profile);
    await seedSocialEconomySector(ds);
  },
  // The 2019-2020 inspections (after the reference seed, which gives the control domains).
  inspection: async (ds, profile) => {
    await seedDemoDossiers(ds, domainEntry('inspection').schema, 'inspection', profile);
    await seedInspections(ds);
  },
};

/** The subgraphs that have generated demo data. */
export const DEMO_SUBGRAPHS = Object.keys(SEEDERS);

/**
 * Writes the published report's catalogue (the measures, card rows and norms the subgraph holds:
 * what an import of the generated measures.jsonl writes) into a subgraph's migrated database, then
 * its generated demo data of `profile` (`null`: the catalogue only): what the in-process stack
 * (`npm start`, the tests) asks for. The catalogue is upserted; tables of demo data that already
 * hold data are left alone, so a restart keeps what was written since.
 */
export async function seedDemoData(subgraph: string, ds: DataSource, profile: SeedProfile | null): Promise<void> {
  const seed = SEEDERS[subgraph];
  if (!seed) throw new Error(`no demo data for subgraph "${subgraph}"`);
  await seedDemoCatalogue(subgraph, ds);
  if (profile) await seed(ds, profile);
}
