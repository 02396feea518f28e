import { generateOrganisations } from '../parties.ts';
import { Prng } from '../prng.ts';
import { addDays } from '@measure-graph/subgraph-platform/calendar';
import type { DataSource } from 'typeorm';
import { bestBid, MONITORING_KINDS, WEP_MODULES } from '@measure-graph/activation/iwl/scoring';

const S = 'activation';
const PROVINCES = ['ANT', 'LIM', 'OVL', 'VBR', 'WVL'];

/** A lot of the seeded IWL tender with its bids and monitoring. */
export interface GeneratedLot {
  id: string;
  provinceCode: string;
  bids: Array<{
    kbo: string;
    selected: boolean;
    selectionNote: string;
    qualityScore: number | null;
    priceCents: number | null;
  }>;
  awardedKbo: string | null;
  awardedOn: string | null;
  monitoring: Array<{ kind: string; heldOn: string; heldBy: string; note: string }>;
}

/** The seeded WEP+ promoters with their places, and the IWL tender with its lots. */
export interface GeneratedIwl {
  promoters: Array<{ kbo: string; type: 'INTERNAL' | 'EXTERNAL'; umbrella: string | null }>;
  places: Array<{ kbo: string; module: string; year: number; places: number }>;
  tender: {
    id: string;
    name: string;
    publishedOn: string;
    closesOn: string;
    selectionCriteria: string[];
    awardCriteria: Array<{ criterion: string; weight: number }>;
    approvedBy: string;
    lots: GeneratedLot[];
  };
}

/**
 * The WEP+ promoters and the Intensive Workplace Learning tender (fictitious figures; seed 001
 * gives the design): one lot per province, three to five bids each, partners that do not meet the
 * quality and experience requirements not selected, the best offer on quality (60) and price (40)
 * awarded, Limburg still open; monitoring by VDAB's project manager and five provincial staff.
 */
export function generateIwl(): GeneratedIwl {
  const prng = new Prng(4202);
  const orgs = prng.shuffle(generateOrganisations().filter((o) => o.provinceCode !== 'BRU')).slice(0, 80);
  const promoters = orgs.slice(0, 40);
  const out: GeneratedIwl = {
    promoters: [],
    places: [],
    tender: {
      id: 'IWL-2021',
      name: 'Intensief Werkplekleren',
      publishedOn: '2021-02-01',
      closesOn: '2021-03-31',
      selectionCriteria: [
        'Kwaliteitseisen op organisatieniveau',
        'Ervaring en deskundigheid met gelijkaardige opdrachten',
      ],
      awardCriteria: [
        { criterion: 'Kwaliteit', weight: 60 },
        { criterion: 'Prijs', weight: 40 },
      ],
      approvedBy: 'Raad van Bestuur VDAB',
      lots: [],
    },
  };
  for (const [i, o] of promoters.entries()) {
    const internal = i < 15;
    out.promoters.push({
      kbo: o.kboNumber,
      type: internal ? 'INTERNAL' : 'EXTERNAL',
      umbrella: internal ? 'SLN' : null,
    });
    for (const year of [2019, 2020]) {
      for (const module of WEP_MODULES[internal ? 'INTERNAL' : 'EXTERNAL']) {
        out.places.push({ kbo: o.kboNumber, module, year, places: prng.int(internal ? 10 : 2, internal ? 60 : 15) });
      }
    }
  }
  // Internal promoters (leerwerkbedrijven) bid as partners, with some other organisations.
  const bidders = [...promoters.slice(0, 15), ...orgs.slice(40)];
  for (const [p, province] of PROVINCES.entries()) {
    const local = bidders.filter((o) => o.provinceCode === province);
    const chosen = (local.length >= 3 ? local : [...local, ...bidders]).slice(0, prng.int(3, 5));
    const lot: GeneratedLot = {
      id: `IWL-2021-${province}`,
      provinceCode: province,
      bids: [],
      awardedKbo: null,
      awardedOn: null,
      monitoring: [],
    };
    out.tender.lots.push(lot);
    for (const [b, o] of chosen.entries()) {
      const selected = b === 0 || prng.next() < 0.7;
      lot.bids.push({
        kbo: o.kboNumber,
        selected,
        selectionNote: selected
          ? 'voldoet aan de kwaliteitseisen en ervaring'
          : 'onvoldoende ervaring met gelijkaardige opdrachten',
        qualityScore: selected ? Math.round((55 + prng.next() * 45) * 100) / 100 : null,
        priceCents: selected ? prng.int(800_000, 1_400_000) * 100 : null,
      });
    }
    // Limburg's lot is still to be awarded; the others went to the best offer (scoring.ts).
    if (province === 'LIM') continue;
    lot.awardedKbo = bestBid(lot.bids);
    lot.awardedOn = '2021-05-03';
    for (let m = 0; m < 6; m++) {
      const kind = MONITORING_KINDS[m % MONITORING_KINDS.length]!;
      lot.monitoring.push({
        kind,
        heldOn: addDays('2021-06-01', m * 60 + prng.int(0, 20)),
        heldBy:
          kind === 'AUDIT' || kind === 'CONTRACT_FOLLOW_UP'
            ? 'centrale projectbeheerder VDAB'
            : `provinciale medewerker ${p + 1}`,
        note: `${kind.toLowerCase().replace(/_/g, ' ')} ${province}`,
      });
    }
  }
  return out;
}

/** Seeds generateIwl's promoters, places and tender, on an empty tender table only. */
export async function seedIwl(ds: DataSource): Promise<void> {
  await ds.transaction(async (em) => {
    const [{ present }] = await em.query(`SELECT EXISTS (SELECT 1 FROM ${S}.iwl_tender) AS present`);
    if (present) return;
    const { promoters, places, tender } = generateIwl();
    for (const p of promoters) {
      await em.query(`INSERT INTO ${S}.wep_promoter (kbo, type, umbrella) VALUES ($1, $2, $3)`, [
        p.kbo,
        p.type,
        p.umbrella,
      ]);
    }
    for (const w of places) {
      await em.query(`INSERT INTO ${S}.wep_place (kbo, module, year, places) VALUES ($1, $2, $3, $4)`, [
        w.kbo,
        w.module,
        w.year,
        w.places,
      ]);
    }
    await em.query(
      `INSERT INTO ${S}.iwl_tender (id, name, published_on, closes_on, selection_criteria, award_criteria, approved_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        tender.id,
        tender.name,
        tender.publishedOn,
        tender.closesOn,
        tender.selectionCriteria,
        JSON.stringify(tender.awardCriteria),
        tender.approvedBy,
      ],
    );
    for (const lot of tender.lots) {
      await em.query(
        `INSERT INTO ${S}.iwl_lot (id, tender_id, province_code, awarded_kbo, awarded_on) VALUES ($1, $2, $3, $4, $5)`,
        [lot.id, tender.id, lot.provinceCode, lot.awardedKbo, lot.awardedOn],
      );
      for (const b of lot.bids) {
        await em.query(
          `INSERT INTO ${S}.iwl_bid (lot_id, kbo, selected, selection_note, quality_score, price_cents)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [lot.id, b.kbo, b.selected, b.selectionNote, b.qualityScore, b.priceCents],
        );
      }
      for (const m of lot.monitoring) {
        await em.query(
          `INSERT INTO ${S}.iwl_monitoring (lot_id, kind, held_on, held_by, note) VALUES ($1, $2, $3, $4, $5)`,
          [lot.id, m.kind, m.heldOn, m.heldBy, m.note],
        );
      }
    }
  });
}
