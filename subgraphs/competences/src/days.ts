import { badInput } from '@measure-graph/errors';
import { belgianNow } from '@measure-graph/measure-module';

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
