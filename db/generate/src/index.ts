export {
  DOSSIER_DOMAINS,
  dossierLines,
  euros,
  inspectionLines,
  moneyLines,
  writeDemoDataset,
  type InspectionLine,
  type MoneyLines,
  type DossierLine,
  type GeneratedDataset,
} from './dataset.ts';
export { DEMO_SUBGRAPHS, seedDemoData, seedDemoDossiers } from './demo/seed.ts';
export { measureLines, seedDemoCatalogue } from './demo/catalogue/records.ts';
export { seedProfileFromEnv, type SeedProfile } from './demo/profile.ts';
export {
  generateOrganisations,
  generatePersons,
  sectorOrganisations,
  SEEDED_ORGANISATIONS,
  SEEDED_PERSONS,
  showcaseEmployer,
  showcasePerson,
} from './demo/parties.ts';
export { Prng } from './demo/prng.ts';
export { generateInspections } from './demo/inspection/generate.ts';
export { generateDossiers, SEED_YEARS, splitExactly } from './demo/dossiers/dossier-generator.ts';
export {
  candidateCounts,
  deltaShowsAs,
  normTargetsOf,
  parseDeltaPpt,
  precisionOf,
  showsAs,
  type NormTarget,
} from './demo/dossiers/calibration.ts';
export { dualLearningSeedTargets, voucherSeedTargets } from './demo/competences/targets.ts';
export { seedAppeals } from './demo/activation/appeals.ts';
export { seedCombinedProcedures } from './demo/activation/permits.ts';
export { writeDemoData, writeDemoDataInWorker, type DemoWriteTarget } from './demo/write.ts';
export { seedSocialEconomySector } from './demo/social-economy/seed.ts';
export { socialEconomyLines, type SocialEconomyLines } from './social-economy-dataset.ts';
