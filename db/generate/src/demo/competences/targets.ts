import { publishedMeasures, type PublishedMeasure } from '@measure-graph/db';
import type { SeedProfile } from '../profile.ts';

/** How much of the competences cards the demo data reproduces, per profile. */

/** The small seed profile keeps one in this many of the card's objects (figures then not exact). */
export const SMALL_PROFILE_DIVISOR = 20;

/** The published value of a row of a measure card (by its label) in a report year. */
export function publishedValue(code: string, label: string, year: 2019 | 2020): number {
  const measure: PublishedMeasure | undefined = publishedMeasures().find((m) => m.code === code);
  const row = measure?.volumes.find((v) => v.label.replace(/\s+/g, ' ').trim() === label);
  const value = year === 2019 ? row?.value2019 : row?.value2020;
  if (value === null || value === undefined) throw new Error(`${code} has no ${year} value for "${label}"`);
  return value;
}

/** Cheques issued and paid in September-December 2020 that the seed reproduces, per profile. */
export function voucherSeedTargets(profile: SeedProfile): { issued: number; paid: number } {
  const issued = publishedValue('OPLEIDINGSCHEQUES', 'Uitgegeven cheques', 2020);
  const paid = publishedValue('OPLEIDINGSCHEQUES', 'Uitbetaalde cheques', 2020);
  if (profile === 'full') return { issued, paid };
  return { issued: Math.round(issued / SMALL_PROFILE_DIVISOR), paid: Math.round(paid / SMALL_PROFILE_DIVISOR) };
}

/** What the card counts for a school year. */
export interface DualLearningTargets {
  received: number;
  approved: number;
  enterprises: number;
  establishments: number;
  mentors: number;
  agreements: number;
}

const LABELS: Record<keyof DualLearningTargets, string> = {
  received: 'Aantal ontvangen erkenningsaanvragen',
  approved: 'Aantal goedgekeurde erkenningsaanvragen',
  enterprises: 'Aantal unieke ondernemingen met een nieuwe erkenning',
  establishments: 'Aantal unieke vestigingen met een nieuwe erkenning',
  mentors: 'Aantal unieke mentoren verbonden aan een nieuwe erkenning',
  agreements: 'Aantal nieuwe geregistreerde overeenkomsten voor alternerende opleidingen',
};

/**
 * The card's columns are school years (situation on 2 September): "2019" is 2018-2019 and "2020"
 * is 2019-2020. Profile `full` gives the card's numbers; `small` one in twenty, kept consistent
 * (no more enterprises than establishments, no more establishments than recognitions or mentors).
 */
export function dualLearningSeedTargets(profile: SeedProfile): Array<{ schoolYear: string } & DualLearningTargets> {
  return ([2019, 2020] as const).map((year) => {
    const t = Object.fromEntries(
      Object.entries(LABELS).map(([key, label]) => {
        const value = publishedValue('REGIE_WERKPLEK', label, year);
        return [key, profile === 'full' ? value : Math.max(1, Math.round(value / SMALL_PROFILE_DIVISOR))];
      }),
    ) as unknown as DualLearningTargets;
    t.approved = Math.min(t.approved, t.received);
    t.establishments = Math.min(t.establishments, t.approved);
    t.enterprises = Math.min(t.enterprises, t.establishments);
    t.mentors = Math.max(t.mentors, t.establishments);
    return { schoolYear: `${year - 1}-${year}`, ...t };
  });
}
