import { badInput, DomainError } from '@measure-graph/errors';

/** Weights of the award criteria: quality (a score of 0-100) and price. */
export const QUALITY_WEIGHT = 60;
export const PRICE_WEIGHT = 40;
/** Kinds of monitoring of an awarded lot. */
export const MONITORING_KINDS = [
  'PERIODIC_MEETING',
  'COMPLAINT',
  'QUALITY_REVIEW',
  'AUDIT',
  'CONTRACT_FOLLOW_UP',
] as const;

/** WEP+ promoters: internal ones (leerwerkbedrijven) and external ones. */
export const WEP_PROMOTER_TYPES = ['INTERNAL', 'EXTERNAL'] as const;
export type WepPromoterType = (typeof WEP_PROMOTER_TYPES)[number];
/**
 * The WEP+ modules a promoter of each type has places for: internal promoters run both the work
 * experience and the integration module, external ones the work experience only.
 */
export const WEP_MODULES: Record<WepPromoterType, readonly string[]> = {
  INTERNAL: ['WORK_EXPERIENCE', 'INTEGRATION'],
  EXTERNAL: ['WORK_EXPERIENCE'],
};

/**
 * Score of a selected bid out of 100, as SQL over the bid row `alias`: quality (0-100) weighs 60,
 * price 40 (the lowest price of the lot gets all 40, the others in proportion).
 */
export const bidScoreSql = (alias: string): string =>
  `(0.6 * ${alias}.quality_score + 40 * (SELECT min(b2.price_cents) FROM activation.iwl_bid b2
     WHERE b2.lot_id = ${alias}.lot_id AND b2.selected)::numeric / ${alias}.price_cents)`;

/** A bid as the award rules read it. */
export interface ScoredBid {
  kbo: string;
  selected: boolean;
  qualityScore: number | null;
  priceCents: number | null;
}

/**
 * The best offer of a lot on quality and price (bidScoreSql in JavaScript; ties to the lowest KBO
 * number): the only bidder a lot can be awarded to. Null when no bid was selected.
 */
export function bestBid(bids: readonly ScoredBid[]): string | null {
  const selected = bids.filter((b) => b.selected);
  if (selected.length === 0) return null;
  const lowest = Math.min(...selected.map((b) => b.priceCents!));
  const score = (b: ScoredBid) => (QUALITY_WEIGHT / 100) * b.qualityScore! + (PRICE_WEIGHT * lowest) / b.priceCents!;
  return selected.reduce((best, b) => {
    const d = score(b) - score(best);
    return d > 0 || (d === 0 && b.kbo < best.kbo) ? b : best;
  }).kbo;
}

/**
 * The rules of awarding lot `lotId` to `kbo` on `awardedOn` (YYYY-MM-DD, already a real day): after
 * the tender closed, to a bidder that passed the selection and has the best offer. Throws the
 * award mutation's errors.
 */
export function checkAward(
  lotId: string,
  closesOn: string,
  bids: readonly ScoredBid[],
  kbo: string,
  awardedOn: string,
): void {
  if (awardedOn <= closesOn) throw badInput(`awardedOn must be after the tender closed (${closesOn})`, 'awardedOn');
  const bid = bids.find((b) => b.kbo === kbo);
  if (!bid) {
    throw new DomainError('CONFLICT', `Organisation ${kbo} did not bid on lot ${lotId} and cannot be awarded it`, {
      field: 'kbo',
    });
  }
  if (!bid.selected) {
    throw new DomainError('CONFLICT', 'This partner failed the selection and cannot be awarded the lot', {
      field: 'kbo',
    });
  }
  if (bestBid(bids) !== kbo) {
    throw new DomainError('CONFLICT', 'The lot goes to the best offer on quality and price, which is another partner', {
      field: 'kbo',
    });
  }
}
