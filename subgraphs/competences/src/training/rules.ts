import { badInput } from '@measure-graph/errors';
import { belgianNow } from '@measure-graph/measure-module';

/** Rules of training leave (Vlaams opleidingsverlof), as the report describes them. */

/** A course must count at least 32 hours. */
export const MINIMUM_HOURS = 32;
/** VOV is requested within three months of the start of the course. */
export const REQUEST_WITHIN_MONTHS = 3;
/** Reimbursement per hour of leave (fictitious flat rate; the real one is capped per hour). */
export const VOV_EUROS_PER_HOUR = 21;

/** School year (1 September to 31 August) of a day: 2019-10-01 -> "2019-2020". */
export function schoolYearOf(day: string): string {
  const year = Number(day.slice(0, 4));
  const first = Number(day.slice(5, 7)) >= 9 ? year : year - 1;
  return `${first}-${first + 1}`;
}

/** A calendar day YYYY-MM-DD from 2000 on; with `notFuture`, not after today in Belgium. */
export function parseDay(value: string, field: string, options: { notFuture?: boolean } = {}): string {
  const time = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) {
    throw badInput(`${field} must be a date YYYY-MM-DD, got "${value}"`, field);
  }
  if (value < '2000-01-01') throw badInput(`${field} must not be before 2000`, field);
  if (options.notFuture && value > belgianNow().slice(0, 10))
    throw badInput(`${field} must not be in the future`, field);
  return value;
}
