import { badInput, DomainError, notFound } from '@measure-graph/errors';
import { normaliseDigits, requireParties, type PartyDirectory } from '@measure-graph/subgraph-platform';
import { belgianNow } from '@measure-graph/measure-module';
import type { DataSource } from 'typeorm';
import { bidScoreSql, checkAward, type ScoredBid } from './rules.ts';

const S = 'activation';

export interface LotRecord {
  id: string;
  tenderId: string;
  provinceCode: string;
  awardedKbo: string | null;
  awardedOn: string | null;
  bids: Array<{
    kbo: string;
    selected: boolean;
    selectionNote: string;
    qualityScore: number | null;
    price: string | null;
    score: number | null;
  }>;
  monitoring: Array<{ kind: string; heldOn: string; heldBy: string; note: string }>;
}

/** The WEP+ promoters and the IWL tender: the only place with their SQL. */
export class IwlStore {
  constructor(private readonly ds: DataSource) {}

  async tender(id: string) {
    const [tender] = await this.ds.query(
      `SELECT id, name, to_char(published_on, 'YYYY-MM-DD') AS "publishedOn", to_char(closes_on, 'YYYY-MM-DD') AS "closesOn",
              selection_criteria AS "selectionCriteria", award_criteria AS "awardCriteria", approved_by AS "approvedBy"
         FROM ${S}.iwl_tender WHERE id = $1`,
      [id],
    );
    return tender ?? null;
  }

  async lots(tenderId: string): Promise<LotRecord[]> {
    return this.ds.query(
      `SELECT l.id, l.tender_id AS "tenderId", l.province_code AS "provinceCode", l.awarded_kbo AS "awardedKbo",
              to_char(l.awarded_on, 'YYYY-MM-DD') AS "awardedOn",
              (SELECT json_agg(json_build_object('kbo', b.kbo, 'selected', b.selected, 'selectionNote', b.selection_note,
                        'qualityScore', b.quality_score, 'price', (b.price_cents / 100.0)::numeric(14, 2)::text,
                        'score', CASE WHEN b.selected THEN round(${bidScoreSql('b')}, 2) END)
                        ORDER BY b.selected DESC, b.kbo)
                 FROM ${S}.iwl_bid b WHERE b.lot_id = l.id) AS bids,
              coalesce((SELECT json_agg(json_build_object('kind', m.kind, 'heldOn', to_char(m.held_on, 'YYYY-MM-DD'),
                        'heldBy', m.held_by, 'note', m.note) ORDER BY m.held_on)
                 FROM ${S}.iwl_monitoring m WHERE m.lot_id = l.id), '[]') AS monitoring
         FROM ${S}.iwl_lot l WHERE l.tender_id = $1 ORDER BY l.province_code`,
      [tenderId],
    );
  }

  async promoters() {
    return this.ds.query(
      `SELECT p.kbo, p.type, p.umbrella,
              (SELECT json_agg(json_build_object('module', w.module, 'year', w.year, 'places', w.places) ORDER BY w.year, w.module)
                 FROM ${S}.wep_place w WHERE w.kbo = p.kbo) AS places
         FROM ${S}.wep_promoter p ORDER BY p.type, p.kbo`,
    );
  }

  /**
   * Awards a lot to a partner: only a selected bidder with the best offer on quality and price,
   * once, not before the tender closed nor in the future; one transaction.
   *
   * The organisation is checked in the registry first (one call, before the transaction), like
   * every command that names a party: one the registry does not hold is NOT_FOUND (field `kbo`),
   * REGISTRY_UNAVAILABLE when it does not answer. Being a bidder of the lot is this domain's own
   * rule and stays: a lot of a public tender can only go to an organisation that bid on it, so an
   * organisation the registry knows that did not bid is a CONFLICT (field `kbo`), as is a bidder
   * that failed the selection or has not the best offer (docs/architecture.md, "Parties").
   */
  async award(input: { lotId: string; kbo: string; awardedOn: string }, parties: PartyDirectory): Promise<void> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.awardedOn) || Number.isNaN(Date.parse(input.awardedOn))) {
      throw badInput('awardedOn must be a date YYYY-MM-DD', 'awardedOn');
    }
    if (input.awardedOn > belgianNow().slice(0, 10)) throw badInput('awardedOn must not be in the future', 'awardedOn');
    const kbo = normaliseDigits(input.kbo);
    await requireParties(parties, [{ kind: 'organisation', id: kbo, field: 'kbo' }]);
    await this.ds.transaction(async (em) => {
      const [lot] = await em.query(
        `SELECT l.awarded_kbo AS "awardedKbo", to_char(t.closes_on, 'YYYY-MM-DD') AS "closesOn"
           FROM ${S}.iwl_lot l JOIN ${S}.iwl_tender t ON t.id = l.tender_id WHERE l.id = $1 FOR UPDATE OF l`,
        [input.lotId],
      );
      if (!lot) throw notFound('Tender lot', 'lotId', input.lotId);
      if (lot.awardedKbo)
        throw new DomainError('CONFLICT', `Lot ${input.lotId} was already awarded`, { field: 'lotId' });
      const bids: ScoredBid[] = await em.query(
        `SELECT kbo, selected, quality_score::float8 AS "qualityScore", price_cents::float8 AS "priceCents"
           FROM ${S}.iwl_bid WHERE lot_id = $1`,
        [input.lotId],
      );
      checkAward(input.lotId, lot.closesOn, bids, kbo, input.awardedOn);
      await em.query(`UPDATE ${S}.iwl_lot SET awarded_kbo = $2, awarded_on = $3 WHERE id = $1`, [
        input.lotId,
        kbo,
        input.awardedOn,
      ]);
    });
  }
}
