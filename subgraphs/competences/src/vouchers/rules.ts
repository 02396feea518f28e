import { publishedMeasures, type PublishedMeasure } from '@measure-graph/db';
import type { SeedProfile } from '@measure-graph/subgraph-kit';

/** Rules of training vouchers (opleidingscheques), as the report describes them. */

/** The department (DWSE) issues and pays the vouchers since 1 September 2020; before, VDAB did. */
export const DWSE_SINCE = '2020-09-01';
/** The card's 2020 column: September to December 2020. */
export const CARD_2020 = { from: DWSE_SINCE, to: '2020-12-31' } as const;
/** The small seed profile keeps one in this many of the card's objects (figures then not exact). */
export const SMALL_PROFILE_DIVISOR = 20;

export type VoucherStatus = 'ISSUED' | 'USED' | 'REIMBURSED';

/** A voucher is issued, then used for a course, then reimbursed: its status follows from its dates. */
export function voucherStatus(v: { usedOn: string | null; reimbursedOn: string | null }): VoucherStatus {
  return v.reimbursedOn !== null ? 'REIMBURSED' : v.usedOn !== null ? 'USED' : 'ISSUED';
}

/** Why a voucher cannot be reimbursed (null when it can): it must be used and not yet reimbursed. */
export function reimbursementConflict(v: { usedOn: string | null; reimbursedOn: string | null }): string | null {
  const status = voucherStatus(v);
  if (status === 'ISSUED') return 'The voucher has not been used for a course yet';
  if (status === 'REIMBURSED') return `The voucher was already reimbursed on ${v.reimbursedOn}`;
  return null;
}

/** The published value of a row of a measure card (by its label) in a report year. */
export function publishedValue(code: string, label: string, year: 2019 | 2020): number {
  const measure: PublishedMeasure | undefined = publishedMeasures().find((m) => m.code === code);
  const row = measure?.volumes.find((v) => v.label.replace(/\s+/g, ' ').trim() === label);
  const value = year === 2019 ? row?.value2019 : row?.value2020;
  if (value === null || value === undefined) throw new Error(`${code} has no ${year} value for "${label}"`);
  return value;
}

/** Cheques issued and paid in September-December 2020 that the seed reproduces, per profile. */
export function voucherSeedTargets(profile: SeedProfile): { issued: number; paid: number } {
  const issued = publishedValue('OPLEIDINGSCHEQUES', 'Uitgegeven cheques', 2020);
  const paid = publishedValue('OPLEIDINGSCHEQUES', 'Uitbetaalde cheques', 2020);
  if (profile === 'full') return { issued, paid };
  return { issued: Math.round(issued / SMALL_PROFILE_DIVISOR), paid: Math.round(paid / SMALL_PROFILE_DIVISOR) };
}
