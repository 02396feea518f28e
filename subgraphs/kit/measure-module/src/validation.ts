import { badInput } from '@measure-graph/errors';

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** The current time in Belgium as "YYYY-MM-DD HH:MM:SS" (dossier times are Belgian local time). */
export function belgianNow(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Brussels',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  })
    .format(now)
    .replace(',', '');
}

/**
 * Parses a local date-time ("2020-03-02T09:30", seconds optional; a date alone means midnight):
 * a real calendar time, not before 2000 and not in the future. Returns "YYYY-MM-DD HH:MM:SS".
 */
export function parseLocalTime(value: string, field: string, now: string = belgianNow()): string {
  const m = LOCAL_TIME.exec(value.trim());
  if (!m) throw badInput(`${field} must be a local date-time like 2020-03-02T09:30:00, got "${value}"`, field);
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  const normal = `${y}-${mo}-${d} ${h}:${mi}:${s}`;
  if (date.toISOString().slice(0, 19).replace('T', ' ') !== normal) {
    throw badInput(`${field} is not a real date-time: "${value}"`, field);
  }
  if (Number(y) < 2000) throw badInput(`${field} must not be before 2000`, field);
  if (normal > now) throw badInput(`${field} must not be in the future (it is ${now} in Belgium)`, field);
  return normal;
}

/** First day of a month, "YYYY-MM-01". */
export function parsePeriod(value: string, field = 'period'): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])-01$/.test(value)) {
    throw badInput(`${field} must be the first day of a month, YYYY-MM-01, got "${value}"`, field);
  }
  return value;
}

/** Euros as a decimal string ("1250", "1250.5", "1250.50") to exact cents; positive, at most 2 decimals. */
export function parseAmountCents(value: string, field = 'amount'): bigint {
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!m) {
    throw badInput(
      `${field} must be a positive amount in euros with at most two decimals, e.g. "1250.00", got "${value}"`,
      field,
    );
  }
  const cents = BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
  if (cents <= 0n) throw badInput(`${field} must be more than zero`, field);
  return cents;
}

/** "12345" cents to "123.45". */
export const centsToEuros = (cents: bigint | string): string => {
  const c = BigInt(cents);
  return `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;
};

/** Idempotency keys: 8 to 100 printable characters. */
export function checkIdempotencyKey(key: string): string {
  if (!/^[\x21-\x7e]{8,100}$/.test(key)) {
    throw badInput('idempotencyKey must be 8 to 100 printable characters without spaces', 'idempotencyKey');
  }
  return key;
}
