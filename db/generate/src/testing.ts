import { memoryPartyDirectory, type PartyDirectory, type SubgraphDefinition } from '@measure-graph/subgraph-platform';
import { startSubgraphForTest as startBare, type SubgraphUnderTest } from '@measure-graph/subgraph-platform/testing';
import { generateOrganisations, generatePersons } from './demo/parties.ts';
import type { SeedProfile } from './demo/profile.ts';
import { seedDemoData } from './demo/seed.ts';
import { measureLines } from './demo/catalogue/records.ts';

export { fetchNorms, TEST_CALLER, type SubgraphUnderTest } from '@measure-graph/subgraph-platform/testing';

/**
 * How many measures the demo seed's catalogue holds (the lines of measures.jsonl it writes): what a
 * test expects of a full list, so that adding a measure to the catalogue data changes no test.
 */
export const catalogueMeasureCount = (): number => measureLines().length;

/**
 * The registry's generated organisations and persons as a party directory (built at the first
 * lookup): what a domain subgraph under test without a registry checks its commands against.
 */
export const seededPartyDirectory = () =>
  memoryPartyDirectory(() => ({
    kboNumbers: generateOrganisations().map((o) => o.kboNumber),
    persons: generatePersons(),
  }));

/**
 * One subgraph on a fresh database (migrated, its reference data, the report's catalogue and the
 * demo data of `profile` seeded; `null`: reference data and catalogue only; `catalogue: false`
 * with `null`: reference data only, an empty catalogue as production starts with), queried without HTTP. A subgraph that `usesRegistry` gets
 * `options.parties` as its party directory, by default the registry's generated parties
 * (seededPartyDirectory), since no registry runs beside it.
 */
export function startSubgraphForTest<L>(
  def: SubgraphDefinition<L>,
  profile: SeedProfile | null = 'small',
  options: { parties?: PartyDirectory; catalogue?: boolean } = {},
): Promise<SubgraphUnderTest> {
  const seeded = profile !== null || options.catalogue !== false;
  return startBare(def, {
    ...(seeded ? { seed: (ds) => seedDemoData(def.name, ds, profile) } : {}),
    ...(def.usesRegistry ? { parties: options.parties ?? seededPartyDirectory() } : {}),
  });
}
