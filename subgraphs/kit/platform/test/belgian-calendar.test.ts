import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  belgianPublicHolidays,
  daysBetween,
  easterSunday,
  endOfQuarter,
  isWorkingDay,
  lastDayOfMonth,
  nthWorkingDayOfMonth,
  quarterOf,
  workingDaysInRange,
} from '../src/calendar/belgian-calendar.ts';

describe('easterSunday', () => {
  it('matches published Easter dates, including the earliest and latest possible', () => {
    expect(easterSunday(2019)).toBe('2019-04-21');
    expect(easterSunday(2020)).toBe('2020-04-12');
    expect(easterSunday(2021)).toBe('2021-04-04');
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2008)).toBe('2008-03-23');
    expect(easterSunday(2038)).toBe('2038-04-25');
    expect(easterSunday(2285)).toBe('2285-03-22');
  });

  it('rejects years outside the Gregorian range it supports', () => {
    expect(() => easterSunday(1500)).toThrow(RangeError);
    expect(() => easterSunday(2020.5)).toThrow(RangeError);
  });
});

describe('belgianPublicHolidays', () => {
  it('lists exactly the ten holidays of 2020, sorted', () => {
    expect(belgianPublicHolidays(2020)).toEqual([
      '2020-01-01',
      '2020-04-13',
      '2020-05-01',
      '2020-05-21',
      '2020-06-01',
      '2020-07-21',
      '2020-08-15',
      '2020-11-01',
      '2020-11-11',
      '2020-12-25',
    ]);
  });

  it('lists a day once when Ascension falls on Labour Day (2008)', () => {
    const holidays = belgianPublicHolidays(2008);
    expect(holidays).toHaveLength(9);
    expect(holidays).toContain('2008-05-01');
    expect(holidays).toContain('2008-03-24');
    expect(holidays).toContain('2008-05-12');
  });

  it('returns a copy callers cannot use to corrupt later answers', () => {
    belgianPublicHolidays(2021).push('2021-03-03');
    expect(belgianPublicHolidays(2021)).toHaveLength(10);
    expect(isWorkingDay('2021-03-03')).toBe(true);
  });
});

describe('isWorkingDay', () => {
  it('is false on weekends and holidays, true on an ordinary weekday', () => {
    expect(isWorkingDay('2020-01-04')).toBe(false); // Saturday
    expect(isWorkingDay('2020-01-05')).toBe(false); // Sunday
    expect(isWorkingDay('2020-07-21')).toBe(false); // National Day, a Tuesday
    expect(isWorkingDay('2020-04-13')).toBe(false); // Easter Monday
    expect(isWorkingDay('2020-07-22')).toBe(true); // Wednesday
  });

  it('counts 254 working days in 2020 (262 weekdays, 8 holidays on weekdays)', () => {
    let count = 0;
    for (let date = '2020-01-01'; date <= '2020-12-31'; date = addDays(date, 1)) if (isWorkingDay(date)) count++;
    expect(count).toBe(254);
  });
});

describe('nthWorkingDayOfMonth', () => {
  it('skips weekends and holidays', () => {
    expect(nthWorkingDayOfMonth(2020, 1, 1)).toBe('2020-01-02'); // 1 Jan holiday
    expect(nthWorkingDayOfMonth(2020, 6, 1)).toBe('2020-06-02'); // 1 June Whit Monday
    expect(nthWorkingDayOfMonth(2020, 4, 10)).toBe('2020-04-15'); // 13 April Easter Monday
    // 1 Nov 2019 is a Friday holiday and 11 Nov a Monday holiday: working days 4-8, 12-15 are the 1st-9th.
    expect(nthWorkingDayOfMonth(2019, 11, 9)).toBe('2019-11-15');
    expect(nthWorkingDayOfMonth(2019, 11, 10)).toBe('2019-11-18');
  });

  it('throws a RangeError when the month has fewer working days', () => {
    expect(nthWorkingDayOfMonth(2020, 2, 20)).toBe('2020-02-28');
    expect(() => nthWorkingDayOfMonth(2020, 2, 21)).toThrow(RangeError);
    expect(() => nthWorkingDayOfMonth(2020, 2, 0)).toThrow(RangeError);
    expect(() => nthWorkingDayOfMonth(2020, 13, 1)).toThrow(RangeError);
  });
});

describe('date arithmetic', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2020-02-28', 1)).toBe('2020-02-29');
    expect(addDays('2019-02-28', 1)).toBe('2019-03-01');
    expect(addDays('2020-12-31', 1)).toBe('2021-01-01');
    expect(addDays('2020-03-01', -1)).toBe('2020-02-29');
    expect(() => addDays('2020-03-01', 1.5)).toThrow(RangeError);
  });

  it('adds whole months clamping to the last day of the month, like Postgres', () => {
    expect(addMonths('2020-01-31', 1)).toBe('2020-02-29');
    expect(addMonths('2019-01-31', 1)).toBe('2019-02-28');
    expect(addMonths('2020-03-31', -1)).toBe('2020-02-29');
    expect(addMonths('2020-11-15', 3)).toBe('2021-02-15');
    expect(addMonths('2020-01-15', -13)).toBe('2018-12-15');
  });

  it('adds a fractional month as 30-day units after the whole months', () => {
    expect(addMonths('2020-01-31', 4.5)).toBe('2020-06-15'); // 2020-05-31 + 15 days
    expect(addMonths('2020-10-31', 4.5)).toBe('2021-03-15'); // 2021-02-28 + 15 days
    expect(addMonths('2020-06-15', -4.5)).toBe('2020-01-31'); // 2020-02-15 - 15 days
    expect(addMonths('2020-01-01', 0.1)).toBe('2020-01-04');
  });

  it('counts days between dates across a leap day, in both directions', () => {
    expect(daysBetween('2020-02-28', '2020-03-01')).toBe(2);
    expect(daysBetween('2019-02-28', '2019-03-01')).toBe(1);
    expect(daysBetween('2020-03-01', '2020-02-28')).toBe(-2);
    expect(daysBetween('2020-01-01', '2021-01-01')).toBe(366);
    expect(daysBetween('2021-01-01', '2022-01-01')).toBe(365);
  });

  it('knows month ends and quarters', () => {
    expect(lastDayOfMonth(2020, 2)).toBe('2020-02-29');
    expect(lastDayOfMonth(2100, 2)).toBe('2100-02-28');
    expect(lastDayOfMonth(2020, 4)).toBe('2020-04-30');
    expect(quarterOf('2020-03-31')).toEqual({ year: 2020, quarter: 1 });
    expect(quarterOf('2020-04-01')).toEqual({ year: 2020, quarter: 2 });
    expect(quarterOf('2020-12-31')).toEqual({ year: 2020, quarter: 4 });
    expect(endOfQuarter(2020, 1)).toBe('2020-03-31');
    expect(endOfQuarter(2020, 2)).toBe('2020-06-30');
    expect(endOfQuarter(2020, 3)).toBe('2020-09-30');
    expect(endOfQuarter(2020, 4)).toBe('2020-12-31');
    expect(() => endOfQuarter(2020, 5)).toThrow(RangeError);
  });
});

describe('workingDaysInRange', () => {
  it('numbers working days per month and agrees with nthWorkingDayOfMonth for 2019-2021', () => {
    const days = workingDaysInRange('2019-01-01', '2021-12-31');
    const countByMonth = new Map<string, number>();
    for (const { date, ordinalInMonth } of days) {
      const month = date.slice(0, 7);
      const expectedOrdinal = (countByMonth.get(month) ?? 0) + 1;
      expect(ordinalInMonth).toBe(expectedOrdinal);
      countByMonth.set(month, expectedOrdinal);
      expect(isWorkingDay(date)).toBe(true);
      expect(nthWorkingDayOfMonth(Number(date.slice(0, 4)), Number(date.slice(5, 7)), ordinalInMonth)).toBe(date);
    }
    expect(countByMonth.size).toBe(36);
    for (const [month, count] of countByMonth) {
      expect(() => nthWorkingDayOfMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)), count + 1)).toThrow(
        RangeError,
      );
    }
    expect(days.filter((d) => d.date.startsWith('2020-'))).toHaveLength(254);
  });

  it('keeps the month ordinal when the range starts mid-month, and includes both ends', () => {
    expect(workingDaysInRange('2020-04-15', '2020-04-17')).toEqual([
      { date: '2020-04-15', ordinalInMonth: 10 },
      { date: '2020-04-16', ordinalInMonth: 11 },
      { date: '2020-04-17', ordinalInMonth: 12 },
    ]);
    expect(workingDaysInRange('2020-04-18', '2020-04-19')).toEqual([]);
    expect(workingDaysInRange('2020-04-17', '2020-04-15')).toEqual([]);
  });

  it('covers fifteen years, first and last working day included', () => {
    const days = workingDaysInRange('2015-01-01', '2029-12-31');
    expect(days[0]).toEqual({ date: '2015-01-02', ordinalInMonth: 1 });
    expect(days.at(-1)).toEqual({ date: '2029-12-31', ordinalInMonth: 20 });
  });
});

describe('input validation', () => {
  it('throws a RangeError naming malformed or impossible dates', () => {
    expect(() => isWorkingDay('2020-02-30')).toThrow(RangeError);
    expect(() => isWorkingDay('2020-02-30')).toThrow(/"2020-02-30".*day must be 01-29/);
    expect(() => addDays('2019-02-29', 1)).toThrow(RangeError);
    expect(() => addDays('2020-2-3', 1)).toThrow(/invalid date "2020-2-3": expected 'YYYY-MM-DD'/);
    expect(() => daysBetween('2020-13-01', '2020-01-01')).toThrow(RangeError);
    expect(() => quarterOf('2020-01-01T00:00:00Z')).toThrow(RangeError);
    expect(() => addMonths('2020-00-10', 1)).toThrow(RangeError);
    expect(() => workingDaysInRange('2020-01-01', '2020-04-31')).toThrow(RangeError);
  });
});
