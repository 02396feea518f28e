/**
 * Score of a selected bid out of 100, as SQL over the bid row `alias`: quality (0-100) weighs 60,
 * price 40 (the lowest price of the lot gets all 40, the others in proportion).
 */
export const bidScoreSql = (alias: string): string =>
  `(0.6 * ${alias}.quality_score + 40 * (SELECT min(b2.price_cents) FROM activation.iwl_bid b2
     WHERE b2.lot_id = ${alias}.lot_id AND b2.selected)::numeric / ${alias}.price_cents)`;
