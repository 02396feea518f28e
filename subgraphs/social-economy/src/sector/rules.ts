/** Quarters as the first day of their first month (YYYY-MM-01), the way settlements are keyed. */

export const quarterStart = (year: number, quarter: number): string =>
  `${year}-${String(quarter * 3 - 2).padStart(2, '0')}-01`;

/** "2017-Q4" -> "2017-10-01"; null when the text is no quarter. */
export function parseQuarter(text: string): string | null {
  const m = /^(\d{4})-Q([1-4])$/.exec(text);
  return m ? quarterStart(Number(m[1]), Number(m[2])) : null;
}

/** "2017-10-01" -> "2017-Q4". */
export const quarterLabel = (start: string): string =>
  `${start.slice(0, 4)}-Q${Math.floor((Number(start.slice(5, 7)) - 1) / 3) + 1}`;

/** Every quarter from `from` up to and including `to` (both quarter starts). */
export function quartersBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [year, month] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  while (`${year}-${String(month).padStart(2, '0')}-01` <= to) {
    out.push(`${year}-${String(month).padStart(2, '0')}-01`);
    month += 3;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  return out;
}

/** Last day of the quarter that starts on `start`. */
export function quarterEnd(start: string): string {
  const [year, month] = [Number(start.slice(0, 4)), Number(start.slice(5, 7))];
  const end = new Date(Date.UTC(year, month + 2, 0));
  return end.toISOString().slice(0, 10);
}
