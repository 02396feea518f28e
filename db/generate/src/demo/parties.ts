import { inszFor, kboFromBase } from '@measure-graph/subgraph-platform/identifiers';
import { Prng } from './prng.ts';

// Generated once per process (60,000 persons take a while); callers get their own copy of the list.
const generated = new Map<string, unknown[]>();
function memo<T>(key: string, make: () => T[]): T[] {
  if (!generated.has(key)) generated.set(key, make());
  return [...(generated.get(key) as T[])];
}

/**
 * How many fictitious organisations and persons the registry seeds; domains pick applicants from
 * them. Sized for the largest per-party figures of the report: 6,841 employers and 53,220 employees
 * with Flemish training leave in 2019-2020, 3,100 enterprises with a new dual-learning workplace
 * recognition in 2018-2019, 23,450 target-group employees in custom work in 2019.
 */
export const SEEDED_ORGANISATIONS = 8_000;
export const SEEDED_PERSONS = 60_000;

// Roughly the population weights of the provinces; Brussels only for a few organisations.
const PROVINCE_WEIGHTS: Array<[string, number]> = [
  ['ANT', 28],
  ['OVL', 23],
  ['WVL', 18],
  ['VBR', 17],
  ['LIM', 13],
  ['BRU', 1],
];
const GIVEN = ['Lotte', 'Wout', 'Fien', 'Arne', 'Noor', 'Lars', 'Ella', 'Jonas', 'Mila', 'Senne', 'Yasmina', 'Mehdi'];
const FAMILY = [
  'Peeters',
  'Janssens',
  'Maes',
  'Jacobs',
  'Mertens',
  'Willems',
  'Claes',
  'Goossens',
  'Wouters',
  'De Smet',
];
const ACTIVITY = ['Bouw', 'Groen', 'Schoonmaak', 'Logistiek', 'Zorg', 'Horeca', 'Metaal', 'Textiel', 'Kringloop'];
const FORM = ['bv', 'nv', 'vzw', 'cv'];

function province(prng: Prng): string {
  let roll = prng.int(1, 100);
  for (const [code, weight] of PROVINCE_WEIGHTS) {
    roll -= weight;
    if (roll <= 0) return code;
  }
  return 'ANT';
}

/** Fictitious organisations with valid KBO numbers, always the same for the same seed. */
export function generateOrganisations(count = SEEDED_ORGANISATIONS, seed = 2020) {
  return memo(`org:${count}:${seed}`, () => makeOrganisations(count, seed));
}

function makeOrganisations(count: number, seed: number) {
  const prng = new Prng(seed);
  const used = new Set<string>();
  const rows: Array<{ kboNumber: string; name: string; provinceCode: string }> = [];
  while (rows.length < count) {
    // Base "0" + 7 digits, like the enterprise numbers 0200.000.000 to 0999.999.999.
    const kboNumber = kboFromBase(prng.int(2_000_000, 9_999_999));
    if (used.has(kboNumber)) continue;
    used.add(kboNumber);
    rows.push({
      kboNumber,
      name: `${prng.pick(ACTIVITY)} ${prng.pick(FAMILY)} ${prng.pick(FORM)}`,
      provinceCode: province(prng),
    });
  }
  return rows;
}

/** Fictitious persons with valid national numbers and opaque ids. */
export function generatePersons(count = SEEDED_PERSONS, seed = 2021) {
  return memo(`person:${count}:${seed}`, () => makePersons(count, seed));
}

function makePersons(count: number, seed: number) {
  const prng = new Prng(seed);
  const used = new Set<string>();
  const rows: Array<{
    id: string;
    insz: string;
    givenName: string;
    familyName: string;
    birthDate: string;
    provinceCode: string;
  }> = [];
  while (rows.length < count) {
    const birthDate = `${prng.int(1955, 2003)}-${String(prng.int(1, 12)).padStart(2, '0')}-${String(prng.int(1, 28)).padStart(2, '0')}`;
    const insz = inszFor(birthDate, prng.int(1, 998));
    if (used.has(insz)) continue;
    used.add(insz);
    rows.push({
      id: `prs_${prng
        .int(0, 36 ** 8 - 1)
        .toString(36)
        .padStart(8, '0')}${rows.length.toString(36)}`,
      insz,
      givenName: prng.pick(GIVEN),
      familyName: prng.pick(FAMILY),
      birthDate,
      provinceCode: province(prng),
    });
  }
  return rows;
}

let sectorPool: ReturnType<typeof generateOrganisations> | undefined;

/**
 * The organisations of the social economy: 50 former sheltered (BW) and 100 former social (SW)
 * workplaces and 120 LDE initiatives, registry organisations in the five provinces. Shared so that
 * the social-economy and inspection subgraphs seed the same sector without reading each other.
 */
export function sectorOrganisations() {
  sectorPool ??= new Prng(4004).shuffle(generateOrganisations().filter((o) => o.provinceCode !== 'BRU'));
  return { BW: sectorPool.slice(0, 50), SW: sectorPool.slice(50, 150), LDE: sectorPool.slice(150, 270) };
}

/**
 * A seeded person and employer with data in every domain (dossiers, employment, trajectory,
 * contingent, inspections), for the docs' examples and the cross-domain tests.
 */
export const showcasePerson = () => generatePersons()[0]!;
export const showcaseEmployer = () => sectorOrganisations().BW[0]!;
