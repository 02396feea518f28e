/** Event types that end a norm's clock; each dossier stage has its own. */
export const STAGE_END_TYPES = {
  ADMISSIBILITY: ['ADMISSIBLE', 'INADMISSIBLE'],
  DECISION: ['GRANTED', 'REFUSED'],
  ADVICE: ['ADVISED'],
  PAYMENT: ['PAID'],
} as const;

/** Where a norm's clock starts: receipt, the complete file (WSE time), or the payment request. */
export type NormClock = 'RECEIVED' | 'COMPLETED' | 'REQUESTED';

/**
 * How a norm decides whether one dossier (or payment) was on time. Every rule is evaluated in SQL
 * (norm-results-store.ts) and mirrored in TypeScript (item-placement.ts) for the seed generator;
 * a test keeps both in agreement.
 */
export type NormRule =
  /** end <= start + days (fractional days allowed, e.g. 1.5) */
  | { type: 'WITHIN_DAYS'; days: number }
  /** end <= start + months (4.5 = 4 months and 15 days) */
  | { type: 'WITHIN_MONTHS'; months: number }
  /** end >= start + days (a call kept open long enough) */
  | { type: 'AT_LEAST_DAYS'; days: number }
  /** end on or before the n-th working day of the period's month */
  | { type: 'BY_WORKING_DAY_OF_PERIOD'; n: number }
  /** end on (or strictly before) day n of the period's month */
  | { type: 'BY_DAY_OF_PERIOD'; day: number; strict: boolean }
  /** end on or before a fixed date of the dossier's reference year */
  | { type: 'BY_DATE_OF_YEAR'; month: number; day: number }
  /** end exactly on a fixed date of the reference year (e.g. effective on 1 October) */
  | { type: 'ON_DATE_OF_YEAR'; month: number; day: number }
  /** end by the last day of the quarter after the period's quarter */
  | { type: 'BY_END_OF_NEXT_QUARTER' }
  /** instalment 1 strictly before 30/06, instalment 2 and later strictly before 30/11 */
  | { type: 'BY_DATE_PER_INSTALMENT'; first: [number, number]; later: [number, number] };

/** A norm as the module machinery evaluates it. */
export interface NormDefinition {
  id: string;
  measureCode: string;
  position: number;
  endTypes: string[];
  clock: NormClock;
  rule: NormRule;
  /** Dossier kinds the norm counts; null = every kind. */
  kinds: string[] | null;
  channel: 'ONLINE' | 'PAPER' | null;
}

/** The clocks a norm may run on. */
export const NORM_CLOCKS: readonly NormClock[] = ['RECEIVED', 'COMPLETED', 'REQUESTED'];

/** What each rule type holds besides `type`, and how each field is checked. */
const RULE_FIELDS: Record<
  NormRule['type'],
  Record<string, 'positive' | 'nonNegative' | 'workingDay' | 'day' | 'boolean' | 'monthDay'>
> = {
  WITHIN_DAYS: { days: 'positive' },
  WITHIN_MONTHS: { months: 'positive' },
  AT_LEAST_DAYS: { days: 'nonNegative' },
  BY_WORKING_DAY_OF_PERIOD: { n: 'workingDay' },
  BY_DAY_OF_PERIOD: { day: 'day', strict: 'boolean' },
  BY_DATE_OF_YEAR: { month: 'positive', day: 'positive' },
  ON_DATE_OF_YEAR: { month: 'positive', day: 'positive' },
  BY_END_OF_NEXT_QUARTER: {},
  BY_DATE_PER_INSTALMENT: { first: 'monthDay', later: 'monthDay' },
};

/** Days of each month in a year without 29 February (a rule's date must exist every year). */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isDateOfEveryYear = (month: unknown, day: unknown) =>
  Number.isInteger(month) &&
  Number.isInteger(day) &&
  (month as number) >= 1 &&
  (month as number) <= 12 &&
  (day as number) >= 1 &&
  (day as number) <= MONTH_DAYS[(month as number) - 1]!;

/**
 * Why `rule` is not a rule the norm results can evaluate (ruleSql of norm-results-store.ts), as
 * the field under `rule` and the reason; null when it is one. What an import checks before it
 * stores a norm.
 */
export function normRuleProblem(rule: unknown): { field: string; reason: string } | null {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
    return { field: '', reason: 'must be an object with a type' };
  }
  const { type, ...rest } = rule as Record<string, unknown>;
  const fields = typeof type === 'string' ? RULE_FIELDS[type as NormRule['type']] : undefined;
  if (!fields) return { field: 'type', reason: `must be one of ${Object.keys(RULE_FIELDS).join(', ')}` };
  for (const key of Object.keys(rest)) {
    if (!(key in fields)) return { field: key, reason: `is not a field of a ${type} rule` };
  }
  for (const [field, kind] of Object.entries(fields)) {
    const value = rest[field];
    if (value === undefined) return { field, reason: `is required for a ${type} rule` };
    const number = typeof value === 'number' && Number.isFinite(value);
    const reason =
      kind === 'positive' && !(number && value > 0)
        ? 'must be a number above 0'
        : kind === 'nonNegative' && !(number && value >= 0)
          ? 'must be a number of at least 0'
          : kind === 'workingDay' && !(Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 23)
            ? 'must be a whole number from 1 to 23 (a working day of a month)'
            : kind === 'day' && !(Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 31)
              ? 'must be a whole number from 1 to 31 (a day of the month)'
              : kind === 'boolean' && typeof value !== 'boolean'
                ? 'must be true or false'
                : kind === 'monthDay' &&
                    !(Array.isArray(value) && value.length === 2 && isDateOfEveryYear(value[0], value[1]))
                  ? 'must be [month, day], a date every year has'
                  : null;
    if (reason) return { field, reason };
  }
  if ((type === 'BY_DATE_OF_YEAR' || type === 'ON_DATE_OF_YEAR') && !isDateOfEveryYear(rest.month, rest.day)) {
    return { field: 'day', reason: `${String(rest.day)}/${String(rest.month)} is not a date every year has` };
  }
  return null;
}
