/**
 * Calendar arithmetic on plain dates ('YYYY-MM-DD' strings) and the Belgian working-day calendar.
 *
 * Dates carry no time zone: internally a date is a day number (days since 1970-01-01) computed with Date.UTC, so
 * no local-time or DST shift can move a date by one day. Years are limited to 1583-9999: the Gregorian computus is
 * only meaningful from 1583, Date.UTC maps years 0-99 to 1900-1999, and ISO strings have four-digit years.
 *
 * The public holidays are the ten current legal ones applied to any year; historical changes (e.g. Armistice only
 * since 1922) and the replacement days employers grant for holidays falling on a weekend are not modelled.
 */

const MS_PER_DAY = 86_400_000;
const MIN_YEAR = 1583;
const MAX_YEAR = 9999;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface YearMonthDay {
  year: number;
  month: number;
  day: number;
}

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new RangeError(`year must be an integer between ${MIN_YEAR} and ${MAX_YEAR}, got ${year}`);
  }
}

function assertMonth(month: number): void {
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`month must be an integer between 1 and 12, got ${month}`);
  }
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parseDate(date: string): YearMonthDay {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`invalid date ${JSON.stringify(date)}: expected 'YYYY-MM-DD'`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new RangeError(`invalid date ${JSON.stringify(date)}: year must be between ${MIN_YEAR} and ${MAX_YEAR}`);
  }
  if (month < 1 || month > 12) throw new RangeError(`invalid date ${JSON.stringify(date)}: month must be 01-12`);
  const lastDay = daysInMonth(year, month);
  if (day < 1 || day > lastDay) {
    throw new RangeError(`invalid date ${JSON.stringify(date)}: day must be 01-${lastDay} in ${match[1]}-${match[2]}`);
  }
  return { year, month, day };
}

function dayNumberOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

function toDayNumber(date: string): number {
  const { year, month, day } = parseDate(date);
  return dayNumberOf(year, month, day);
}

function fromDayNumber(dayNumber: number): string {
  const d = new Date(dayNumber * MS_PER_DAY);
  const year = d.getUTCFullYear();
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new RangeError(`date out of range: year ${year} is not between ${MIN_YEAR} and ${MAX_YEAR}`);
  }
  return d.toISOString().slice(0, 10);
}

function formatDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** ISO weekday of a day number: 1 = Monday ... 7 = Sunday (1970-01-01 was a Thursday). */
function isoWeekday(dayNumber: number): number {
  return ((((dayNumber + 3) % 7) + 7) % 7) + 1;
}

/** Easter Sunday of a Gregorian year, by the anonymous (Meeus/Jones/Butcher) algorithm. */
export function easterSunday(year: number): string {
  assertYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return formatDate(year, month, day);
}

// Holidays are looked up once per date when filling tables over many years, so each year's set is computed once.
const holidayCache = new Map<number, ReadonlySet<string>>();

function holidaySet(year: number): ReadonlySet<string> {
  let holidays = holidayCache.get(year);
  if (!holidays) {
    const easter = toDayNumber(easterSunday(year));
    holidays = new Set(
      [
        formatDate(year, 1, 1),
        fromDayNumber(easter + 1), // Easter Monday
        formatDate(year, 5, 1),
        fromDayNumber(easter + 39), // Ascension Day
        fromDayNumber(easter + 50), // Whit Monday
        formatDate(year, 7, 21),
        formatDate(year, 8, 15),
        formatDate(year, 11, 1),
        formatDate(year, 11, 11),
        formatDate(year, 12, 25),
      ].sort(),
    );
    holidayCache.set(year, holidays);
  }
  return holidays;
}

/**
 * The legal public holidays of Belgium in a year, sorted. Usually ten dates; a coinciding pair (Ascension Day on
 * Labour Day, as in 2008) is listed once because it is one day off, not two.
 */
export function belgianPublicHolidays(year: number): string[] {
  assertYear(year);
  return [...holidaySet(year)];
}

/** Whether a date is a Belgian working day: Monday to Friday and not a public holiday. */
export function isWorkingDay(date: string): boolean {
  const { year, month, day } = parseDate(date);
  return isoWeekday(dayNumberOf(year, month, day)) <= 5 && !holidaySet(year).has(date);
}

/** Last day of a month (1-12) as 'YYYY-MM-DD'. */
export function lastDayOfMonth(year: number, month: number): string {
  assertYear(year);
  assertMonth(month);
  return formatDate(year, month, daysInMonth(year, month));
}

/** The n-th (1-based) working day of a month (1-12); RangeError when the month has fewer working days. */
export function nthWorkingDayOfMonth(year: number, month: number, n: number): string {
  assertYear(year);
  assertMonth(month);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer >= 1, got ${n}`);
  let count = 0;
  for (let day = 1, last = daysInMonth(year, month); day <= last; day++) {
    const date = formatDate(year, month, day);
    if (isWorkingDay(date) && ++count === n) return date;
  }
  const yearMonth = formatDate(year, month, 1).slice(0, 7);
  throw new RangeError(`${yearMonth} has only ${count} working days, asked for working day ${n}`);
}

/** The date shifted by a whole number of days (negative goes back). */
export function addDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  return fromDayNumber(toDayNumber(date) + days);
}

/**
 * The date shifted by a possibly fractional number of months, the way Postgres evaluates `date + interval 'N months'`.
 */
export function addMonths(date: string, months: number): string {
  if (!Number.isFinite(months)) throw new RangeError(`months must be a finite number, got ${months}`);
  const { year, month, day } = parseDate(date);
  // Whole months first, with the day clamped to the target month's length ('2020-01-31' + 1 month = '2020-02-29').
  // The fraction then becomes round(fraction * 30) days: Postgres also turns a fractional month into 30-day units
  // ('4.5 months' = '4 mons 15 days') and adds months before days, so both agree whenever fraction * 30 is whole;
  // otherwise Postgres keeps the leftover hours, which a plain date cannot hold, so we round (half away from zero,
  // making -N months the mirror of +N months).
  const whole = Math.trunc(months);
  const fractionDays = Math.sign(months) * Math.round(Math.abs(months - whole) * 30);
  const monthIndex = year * 12 + (month - 1) + whole;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  if (targetYear < MIN_YEAR || targetYear > MAX_YEAR) {
    throw new RangeError(`date out of range: year ${targetYear} is not between ${MIN_YEAR} and ${MAX_YEAR}`);
  }
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return fromDayNumber(dayNumberOf(targetYear, targetMonth, targetDay) + fractionDays);
}

/** Number of days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** Calendar quarter (1-4) of a date, with its year. */
export function quarterOf(date: string): { year: number; quarter: number } {
  const { year, month } = parseDate(date);
  return { year, quarter: Math.floor((month - 1) / 3) + 1 };
}

/** Last day of a calendar quarter (1-4). */
export function endOfQuarter(year: number, quarter: number): string {
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) {
    throw new RangeError(`quarter must be an integer between 1 and 4, got ${quarter}`);
  }
  return lastDayOfMonth(year, quarter * 3);
}

/**
 * Every working day from `from` to `to` inclusive (empty when `to` is before `from`), each with its 1-based ordinal
 * among the working days of its whole month, also when the range starts mid-month.
 */
export function workingDaysInRange(from: string, to: string): Array<{ date: string; ordinalInMonth: number }> {
  const start = parseDate(from);
  const end = toDayNumber(to);
  const first = dayNumberOf(start.year, start.month, start.day);
  const result: Array<{ date: string; ordinalInMonth: number }> = [];
  // One pass over day numbers, walking year/month/day alongside so no date is parsed again; counting starts on the
  // 1st of the first month so a mid-month start still gets the month's true ordinals.
  let { year, month } = start;
  let day = 1;
  let monthLength = daysInMonth(year, month);
  let holidays = holidaySet(year);
  let ordinal = 0;
  for (let n = dayNumberOf(year, month, 1); n <= end; n++) {
    if (isoWeekday(n) <= 5) {
      const date = formatDate(year, month, day);
      if (!holidays.has(date)) {
        ordinal++;
        if (n >= first) result.push({ date, ordinalInMonth: ordinal });
      }
    }
    if (++day > monthLength) {
      day = 1;
      ordinal = 0;
      if (++month > 12) {
        month = 1;
        year++;
        // The last iteration may step past the range into year 10000; nothing is looked up there.
        if (year <= MAX_YEAR) holidays = holidaySet(year);
      }
      monthLength = daysInMonth(year, month);
    }
  }
  return result;
}
