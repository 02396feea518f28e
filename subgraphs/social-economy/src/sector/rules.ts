import { badInput } from '@measure-graph/errors';

/** Quarters as the first day of their first month (YYYY-MM-01), the way settlements are keyed. */

export const quarterStart = (year: number, quarter: number): string =>
  `${year}-${String(quarter * 3 - 2).padStart(2, '0')}-01`;

/** "2017-Q4" -> "2017-10-01"; null when the text is no quarter. */
export function parseQuarter(text: string): string | null {
  const m = /^(\d{4})-Q([1-4])$/.exec(text);
  return m ? quarterStart(Number(m[1]), Number(m[2])) : null;
}

/** "2017-10-01" -> "2017-Q4". */
export const quarterLabel = (start: string): string =>
  `${start.slice(0, 4)}-Q${Math.floor((Number(start.slice(5, 7)) - 1) / 3) + 1}`;

/** Every quarter from `from` up to and including `to` (both quarter starts). */
export function quartersBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [year, month] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  while (`${year}-${String(month).padStart(2, '0')}-01` <= to) {
    out.push(`${year}-${String(month).padStart(2, '0')}-01`);
    month += 3;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  return out;
}

/** Last day of the quarter that starts on `start`. */
export function quarterEnd(start: string): string {
  const [year, month] = [Number(start.slice(0, 4)), Number(start.slice(5, 7))];
  const end = new Date(Date.UTC(year, month + 2, 0));
  return end.toISOString().slice(0, 10);
}

// Target-group employees and transition trajectories: the rules their rows keep (the table's checks
// and the schemes' terms), shared by whatever writes them (the data import).

/** A day that must not come before another of the same record (`otherField`). */
export function notBefore(value: string, field: string, other: string, otherField: string): string {
  if (value < other) throw badInput(`must not be before ${otherField} (${other})`, field);
  return value;
}

/** VDAB samples 10% of the sitting workers of every company each year, from autumn 2019. */
export const FIRST_EVALUATION_YEAR = 2019;

/** A year an employee was in VDAB's evaluation sample: from 2019, not before the employment started nor after this year. */
export function evaluationYear(year: number, startedOn: string, currentYear: number): number {
  if (year < FIRST_EVALUATION_YEAR) throw badInput(`must not be before ${FIRST_EVALUATION_YEAR} (the first sample)`);
  if (year < Number(startedOn.slice(0, 4))) throw badInput(`must not be before the employment started (${startedOn})`);
  if (year > currentYear) throw badInput(`must not be after the current year (${currentYear})`);
  return year;
}

/** The ESF calls of transition trajectories (doorstroom). */
export const ESF_TRANSITION_CALLS = [380, 432] as const;

/** Aftercare (nazorg) lasts at most three months after the hire by the regular employer. */
export const AFTERCARE_MONTHS = 3;

export interface TrajectoryFacts {
  startedOn: string | null;
  endedOn: string | null;
  outcome: string | null;
  regularEmployerKbo: string | null;
  hiredOn: string | null;
  aftercareUntil: string | null;
}

/**
 * The problems of a trajectory's course as field and reason (none when it holds together): an end
 * only after a start, an outcome only with an end, a hire only by a regular employer, aftercare
 * only after a hire and for at most three months.
 */
export function trajectoryProblems(t: TrajectoryFacts): Array<{ field: string; reason: string }> {
  const out: Array<{ field: string; reason: string }> = [];
  if (t.endedOn !== null) {
    if (t.startedOn === null) out.push({ field: 'endedOn', reason: 'a trajectory that did not start cannot end' });
    else if (t.endedOn < t.startedOn) {
      out.push({ field: 'endedOn', reason: `must not be before startedOn (${t.startedOn})` });
    }
  }
  if (t.outcome !== null && t.endedOn === null) {
    out.push({ field: 'outcome', reason: 'only for a trajectory that ended (endedOn)' });
  }
  if (t.hiredOn !== null && t.regularEmployerKbo === null) {
    out.push({ field: 'hiredOn', reason: 'only with the regular employer that hired (regularEmployerKbo)' });
  }
  if (t.aftercareUntil !== null) {
    if (t.hiredOn === null) out.push({ field: 'aftercareUntil', reason: 'only after a hire (hiredOn)' });
    else if (t.aftercareUntil > addMonthsToDay(t.hiredOn, AFTERCARE_MONTHS)) {
      out.push({
        field: 'aftercareUntil',
        reason: `must not be more than ${AFTERCARE_MONTHS} months after hiredOn (${t.hiredOn})`,
      });
    } else if (t.aftercareUntil < t.hiredOn) {
      out.push({ field: 'aftercareUntil', reason: `must not be before hiredOn (${t.hiredOn})` });
    }
  }
  return out;
}

/** A day plus whole months, as PostgreSQL's `date + interval 'n months'` (clamped to the month's last day). */
function addMonthsToDay(day: string, months: number): string {
  const [y, m, d] = [Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1 + months, Number(day.slice(8, 10))];
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d, last))).toISOString().slice(0, 10);
}
