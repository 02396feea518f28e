import {
  addDays,
  addMonths,
  daysBetween,
  endOfQuarter,
  lastDayOfMonth,
  nthWorkingDayOfMonth,
} from '@measure-graph/subgraph-platform/calendar';
import type { Prng } from '../prng.ts';
import type { NormRule } from '@measure-graph/measure-module/norm-rules';

const DAY_MS = 86_400_000;

/** Local (Belgian) time as milliseconds on a naive UTC axis: no daylight-saving jumps to care about. */
export const at = (date: string, hours = 0): number => Date.parse(`${date}T00:00:00Z`) + hours * 3_600_000;
export const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** SQL `timestamp` literal. */
export const sqlTimestamp = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** Where the clock of one measured item ends, and the fields deadline rules read. */
export interface PlacedEnd {
  end: number;
  /** First day of the month a payment concerns. */
  period: string;
  instalment: number;
  referenceDate: string;
}

const officeHours = (prng: Prng): number => 8 + prng.next() * 9;
const dayIn = (prng: Prng, from: string, to: string): string =>
  addDays(from, prng.int(0, Math.max(0, daysBetween(from, to))));
const monthStart = (year: number, month: number): string => `${year}-${String(month).padStart(2, '0')}-01`;

/**
 * Places the end of an item in `year` so that a deadline rule is met or missed. Rules that only
 * compare the end with the clock's start (WITHIN_*, AT_LEAST_DAYS) leave the end free in the year.
 * The month window keeps the end within some months of the year (rules by period and free ends).
 */
export function placeEnd(
  rule: NormRule | null,
  met: boolean,
  year: number,
  prng: Prng,
  [firstMonth, lastMonth]: [number, number] = [1, 12],
): PlacedEnd {
  const free = (): PlacedEnd => {
    const day = dayIn(prng, monthStart(year, firstMonth), lastDayOfMonth(year, lastMonth));
    return {
      end: at(day, officeHours(prng)),
      period: `${day.slice(0, 7)}-01`,
      instalment: 1,
      referenceDate: `${year}-01-01`,
    };
  };
  if (!rule) return free();
  switch (rule.type) {
    case 'WITHIN_DAYS':
    case 'WITHIN_MONTHS':
    case 'AT_LEAST_DAYS':
      return free();
    case 'BY_WORKING_DAY_OF_PERIOD': {
      // Periods from February to November keep both on-time and late payments inside the year.
      const month = prng.int(Math.max(2, firstMonth), Math.min(11, lastMonth));
      const deadline = nthWorkingDayOfMonth(year, month, rule.n);
      const day = met ? addDays(deadline, -prng.int(0, 3)) : addDays(deadline, prng.int(1, 5));
      return {
        end: at(day, officeHours(prng)),
        period: monthStart(year, month),
        instalment: 1,
        referenceDate: `${year}-01-01`,
      };
    }
    case 'BY_DAY_OF_PERIOD': {
      const month = prng.int(firstMonth, lastMonth);
      const period = monthStart(year, month);
      const deadline = addDays(period, rule.day - 1 - (rule.strict ? 1 : 0));
      const day = met ? dayIn(prng, period, deadline) : dayIn(prng, addDays(deadline, 1), lastDayOfMonth(year, month));
      return { end: at(day, officeHours(prng)), period, instalment: 1, referenceDate: `${year}-01-01` };
    }
    case 'BY_DATE_OF_YEAR': {
      const deadline = `${year}-${String(rule.month).padStart(2, '0')}-${String(rule.day).padStart(2, '0')}`;
      const day = met
        ? dayIn(prng, addDays(deadline, -60), deadline)
        : dayIn(prng, addDays(deadline, 1), `${year}-12-31`);
      return {
        end: at(day, officeHours(prng)),
        period: `${day.slice(0, 7)}-01`,
        instalment: 1,
        referenceDate: `${year}-01-01`,
      };
    }
    case 'ON_DATE_OF_YEAR': {
      const target = `${year}-${String(rule.month).padStart(2, '0')}-${String(rule.day).padStart(2, '0')}`;
      const day = met ? target : addDays(target, prng.pick([-30, -1, 1, 31]));
      return { end: at(day, 9), period: `${day.slice(0, 7)}-01`, instalment: 1, referenceDate: `${year}-01-01` };
    }
    case 'BY_END_OF_NEXT_QUARTER': {
      // A settlement of quarter q is due by the end of quarter q+1: paying in quarter Q is on time
      // for the previous quarter and late for the one before.
      const quarter = prng.int(Math.ceil(firstMonth / 3), Math.floor(lastMonth / 3));
      const day = dayIn(prng, monthStart(year, quarter * 3 - 2), endOfQuarter(year, quarter));
      const back = met ? 1 : 2;
      const periodQuarterIndex = year * 4 + (quarter - 1) - back;
      const period = monthStart(Math.floor(periodQuarterIndex / 4), (periodQuarterIndex % 4) * 3 + 1);
      return { end: at(day, officeHours(prng)), period, instalment: 1, referenceDate: `${year}-01-01` };
    }
    case 'BY_DATE_PER_INSTALMENT': {
      const instalment = prng.int(1, 2);
      const [m, d] = instalment === 1 ? rule.first : rule.later;
      const deadline = `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      const day = met
        ? dayIn(prng, addDays(deadline, -40), addDays(deadline, -1))
        : dayIn(prng, deadline, addDays(deadline, 20));
      return {
        end: at(day, officeHours(prng)),
        period: `${day.slice(0, 7)}-01`,
        instalment,
        referenceDate: `${year}-01-01`,
      };
    }
  }
}

/**
 * A clock start that puts `end` inside (met) or outside (missed) a duration rule. For WITHIN
 * rules `lower` raises the shortest duration, so an item can also miss a tighter norm of the same
 * clock while meeting this one.
 */
export function startFor(rule: NormRule, met: boolean, end: number, prng: Prng, lowerDays = 0): number {
  switch (rule.type) {
    case 'WITHIN_DAYS': {
      const days = met
        ? lowerDays + (rule.days - lowerDays) * (0.05 + 0.95 * prng.next())
        : rule.days * (1 + 0.05 + prng.next());
      return end - Math.min(days, met ? rule.days : Infinity) * DAY_MS;
    }
    case 'WITHIN_MONTHS': {
      // Month arithmetic clamps at month ends and so cannot be inverted exactly: step a day at a
      // time until the forward computation (the one SQL does) gives the wanted outcome.
      const deadlineFrom = (start: number) => at(addMonths(dateOf(start), rule.months)) + (start % DAY_MS);
      let start = at(addMonths(dateOf(end), -rule.months)) + (met ? prng.int(1, 20) : -prng.int(1, 20)) * DAY_MS;
      while (met && deadlineFrom(start) < end) start += DAY_MS;
      while (!met && deadlineFrom(start) >= end) start -= DAY_MS;
      return start;
    }
    case 'AT_LEAST_DAYS':
      return (
        end - (met ? rule.days + 1 + prng.int(0, 30) : prng.int(Math.floor(rule.days / 3), rule.days - 1)) * DAY_MS
      );
    default:
      return end - prng.int(1, 10) * DAY_MS;
  }
}
