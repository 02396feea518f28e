/** Rules of training vouchers (opleidingscheques), as the report describes them. */

/** The department (DWSE) issues and pays the vouchers since 1 September 2020; before, VDAB did. */
export const DWSE_SINCE = '2020-09-01';
/** The card's 2020 column: September to December 2020. */
export const CARD_2020 = { from: DWSE_SINCE, to: '2020-12-31' } as const;

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
