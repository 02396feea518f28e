/**
 * How the dashboard shows the API's values. The API is moving from plain strings and floats to
 * custom scalars (DateTime: ISO 8601 with an offset; Decimal: a decimal string), so each function
 * takes both the current and the coming form.
 */

const NUMBER = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });
const EURO = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' });

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/** A missing value: null, undefined or not a finite number. */
export const NONE = '–';

/** A norm result's verdict: "met", "not met", or none (no result or no target). */
export function verdict(met: boolean | null | undefined): string {
  return met === true ? 'met' : met === false ? 'not met' : 'no verdict';
}

/** A share (1.0 = 100 %) as a percentage with one decimal. */
export function formatShare(value: number | string | null | undefined): string {
  const n = toNumber(value);
  return n === null ? NONE : `${(n * 100).toFixed(1)} %`;
}

/** A count or other plain number. */
export function formatNumber(value: number | string | null | undefined): string {
  const n = toNumber(value);
  return n === null ? NONE : NUMBER.format(n);
}

/**
 * An amount in euros: "1234.56" now, a Decimal string (or a number) later. A string is formatted as
 * it is (Intl takes decimal strings exactly), so no cent is lost to floating point.
 */
export function formatEuro(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return NONE;
  if (typeof value === 'string') {
    if (!/^-?\d+(\.\d+)?$/.test(value)) return value;
    return EURO.format(value as Intl.StringNumericLiteral);
  }
  return Number.isFinite(value) ? EURO.format(value) : NONE;
}

/**
 * A day or a time as the API gives it: Belgian local time without an offset now
 * ("2020-03-04T10:15:00"), ISO 8601 with an offset later ("2020-03-04T10:15:00+01:00"), or a day
 * ("2020-03-04"). The wall-clock time is shown as given, not converted to the browser's zone: the
 * dossiers are Belgian, and both forms carry the Belgian wall clock.
 */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return NONE;
  const m = DATE_TIME.exec(value);
  if (!m) return value;
  const [, y, mo, d, h, mi] = m;
  return h === undefined ? `${y}-${mo}-${d}` : `${y}-${mo}-${d} ${h}:${mi}`;
}

/** A number of days with one decimal. */
export function formatDays(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? NONE : value.toFixed(1);
}

/** Calendar days between two API times (either form), rounded to one decimal; null when unreadable. */
export function daysBetween(start: string, end: string): number | null {
  const a = wallClockMs(start);
  const b = wallClockMs(end);
  if (a === null || b === null) return null;
  return Math.round(((b - a) / 86_400_000) * 10) / 10;
}

/**
 * Milliseconds of a time: the instant when it has an offset, otherwise its Belgian wall clock (off by
 * an hour across a change to or from summer time, which a count of days can bear).
 */
function wallClockMs(value: string): number | null {
  const m = DATE_TIME.exec(value);
  if (!m) return null;
  if (m[7]) return Date.parse(value);
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
}

function toNumber(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}
