import { badInput } from '@measure-graph/errors';

/**
 * The one order of the cross-domain dossier list (`allDossiers`, answered by the registry from
 * every domain's keyset pages): receivedAt descending, then the id descending, where an id
 * `<PREFIX>-<number>` compares by its number first, then its prefix. Within one domain that is the
 * order of its dossier lists (`received_at DESC, id DESC` on the bigint id), so each domain's SQL
 * page is already in the merged order; the prefix only breaks ties between domains (two dossiers
 * received in the same second with the same number), which makes it a total order. Numbers are per
 * domain, ids with their prefix unique across domains.
 */
export interface DossierKey {
  /** Global id, e.g. ACT-123. */
  id: string;
  /** Belgian local time, ISO 8601 without offset, to the second (as every dossier timestamp). */
  receivedAt: string;
}

/** A key as the order compares it. */
export interface DossierPosition {
  receivedAt: string;
  /** The domain-local number, as digits (up to 18: compared by length, then by digits). */
  number: string;
  prefix: string;
}

const ID = /^([A-Z]{1,10})-(\d{1,18})$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/** Position of a key; null for an id that is no dossier id or a time that is no timestamp. */
export function dossierPosition(key: DossierKey): DossierPosition | null {
  const m = ID.exec(key.id);
  if (!m || !TIMESTAMP.test(key.receivedAt)) return null;
  return { receivedAt: key.receivedAt, number: m[2]!.replace(/^0+(?=\d)/, ''), prefix: m[1]! };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const cmpNumber = (a: string, b: string) => a.length - b.length || cmp(a, b);

/** Negative when `a` comes first in the list (newer, or the same time and a greater id). */
export function compareDossierPositions(a: DossierPosition, b: DossierPosition): number {
  return cmp(b.receivedAt, a.receivedAt) || cmpNumber(b.number, a.number) || cmp(b.prefix, a.prefix);
}

/**
 * The filters of the cross-domain list that every domain applies to its own dossiers (the
 * registry keeps `domains` for itself and hands each domain its measures of `measureCodes`).
 */
export interface DossierKeyFilter {
  measureCodes?: readonly string[] | null;
  year?: number | null;
  receivedFrom?: string | null;
  receivedTo?: string | null;
  decidedFrom?: string | null;
  decidedTo?: string | null;
  statuses?: readonly string[] | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const realDay = (value: string) =>
  // Date.parse would roll 2024-02-30 over to March: a real day survives the round trip.
  DAY.test(value) && new Date(Date.parse(value) || 0).toISOString().slice(0, 10) === value;

/**
 * Checks the filter's days (YYYY-MM-DD, real calendar days, each range from <= to) and year:
 * BAD_USER_INPUT naming the input field (`filter.receivedFrom` ...). The registry checks before it
 * asks any domain; each domain again, as for any input it receives.
 */
export function checkDossierKeyFilter(filter: DossierKeyFilter, prefix = 'filter'): void {
  if (filter.year != null && (filter.year < 2000 || filter.year > 2100)) {
    throw badInput(`${prefix}.year must be between 2000 and 2100`, `${prefix}.year`);
  }
  for (const name of ['receivedFrom', 'receivedTo', 'decidedFrom', 'decidedTo'] as const) {
    const value = filter[name];
    if (value != null && !realDay(value))
      throw badInput(`${prefix}.${name} must be a date YYYY-MM-DD`, `${prefix}.${name}`);
  }
  for (const range of ['received', 'decided'] as const) {
    const from = filter[`${range}From`];
    const to = filter[`${range}To`];
    if (from && to && from > to) {
      throw badInput(`${prefix}.${range}From must not be after ${prefix}.${range}To`, `${prefix}.${range}From`);
    }
  }
}
