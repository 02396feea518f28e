import { badInput } from '@measure-graph/errors';
import { addDays, addMonths } from '@measure-graph/subgraph-platform/calendar';

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
