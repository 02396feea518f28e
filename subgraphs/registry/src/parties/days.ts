import { badInput } from '@measure-graph/errors';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Checks optional `from`/`to` day arguments (YYYY-MM-DD, inclusive); BAD_USER_INPUT naming the argument. */
export function checkDayRange(args: { from?: string | null; to?: string | null }): void {
  for (const [field, value] of [
    ['from', args.from],
    ['to', args.to],
  ] as const) {
    // A real calendar day: Date.parse would roll 2024-02-30 over to March.
    const real =
      value != null && DAY.test(value) && new Date(Date.parse(value) || 0).toISOString().slice(0, 10) === value;
    if (value != null && !real) {
      throw badInput(`${field} must be a date YYYY-MM-DD`, field);
    }
  }
  if (args.from && args.to && args.from > args.to) throw badInput('from must not be after to', 'from');
}
