import { badInput, type SeedProfile } from '@measure-graph/subgraph-kit';
import { addDays, addMonths } from '@measure-graph/subgraph-kit/calendar';
import { publishedValue, SMALL_PROFILE_DIVISOR } from '../vouchers/rules.ts';

/** Rules of the workplace component of dual learning, as the report describes them. */

/** A workplace recognition is valid for five years (report l.8348). */
export const RECOGNITION_YEARS = 5;

/** The last day a recognition granted on `recognisedOn` is valid. */
export const recognitionValidUntil = (recognisedOn: string): string =>
  addDays(addMonths(recognisedOn, 12 * RECOGNITION_YEARS), -1);

/** Whether a workplace is recognised on a day: recognised, and the day within its validity. */
export const isRecognisedOn = (
  w: { status: string; recognisedOn: string | null; validUntil: string | null },
  day: string,
): boolean => w.status === 'RECOGNISED' && w.recognisedOn! <= day && day <= w.validUntil!;

/** A school year "2019-2020": 1 September 2019 to 31 August 2020. */
export function schoolYearRange(schoolYear: string): { from: string; to: string } {
  const m = /^(\d{4})-(\d{4})$/.exec(schoolYear);
  if (!m || Number(m[2]) !== Number(m[1]) + 1 || Number(m[1]) < 2000) {
    throw badInput(`schoolYear must be like 2019-2020 (two consecutive years), got "${schoolYear}"`, 'schoolYear');
  }
  return { from: `${m[1]}-09-01`, to: `${m[2]}-08-31` };
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
