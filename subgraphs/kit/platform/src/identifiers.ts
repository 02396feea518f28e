/**
 * Belgian identifiers. Both use a mod-97 check: the check digits are 97 minus the remainder of the
 * base number divided by 97.
 */

const mod97Check = (base: bigint): number => 97 - Number(base % 97n);

/** Strips the usual separators ("0403.170.701", "BE 0403 170 701", "85.07.30-033.61"). */
export const normaliseDigits = (raw: string): string => raw.replace(/^BE/i, '').replace(/[\s.\-/]/g, '');

/**
 * KBO/BCE enterprise number: 10 digits, starting with 0 or 1, whose last two digits are the
 * mod-97 check of the first eight.
 */
export function isValidKbo(raw: string): boolean {
  const digits = normaliseDigits(raw);
  if (!/^[01]\d{9}$/.test(digits)) return false;
  return mod97Check(BigInt(digits.slice(0, 8))) === Number(digits.slice(8));
}

/** Completes an 8-digit KBO base (first digit 0 or 1) with its check digits. */
export function kboFromBase(base: number): string {
  const head = String(base).padStart(8, '0');
  return head + String(mod97Check(BigInt(head))).padStart(2, '0');
}

/**
 * INSZ/NISS national number: YYMMDD + 3-digit sequence + 2 check digits. For people born from
 * 2000 the check is computed over "2" followed by the nine digits, so both readings are tried.
 */
export function isValidInsz(raw: string): boolean {
  const digits = normaliseDigits(raw);
  if (!/^\d{11}$/.test(digits)) return false;
  const base = digits.slice(0, 9);
  const check = Number(digits.slice(9));
  return mod97Check(BigInt(base)) === check || mod97Check(BigInt(`2${base}`)) === check;
}

/** Builds a valid INSZ for a birth date and sequence number (odd for men, even for women). */
export function inszFor(birthDate: string, sequence: number): string {
  const [year, month, day] = birthDate.split('-');
  const base = `${year!.slice(2)}${month}${day}${String(sequence).padStart(3, '0')}`;
  const checkBase = Number(year) >= 2000 ? `2${base}` : base;
  return base + String(mod97Check(BigInt(checkBase))).padStart(2, '0');
}
