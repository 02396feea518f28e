import { generateOrganisations } from '../parties.ts';
import { Prng } from '../prng.ts';
import { addDays } from '@measure-graph/subgraph-platform/calendar';
import type { DataSource } from 'typeorm';
import { bidScoreSql } from '@measure-graph/activation/iwl/scoring';

const S = 'activation';
const PROVINCES = ['ANT', 'LIM', 'OVL', 'VBR', 'WVL'];
const MONITORING = ['PERIODIC_MEETING', 'COMPLAINT', 'QUALITY_REVIEW', 'AUDIT', 'CONTRACT_FOLLOW_UP'] as const;

/**
 * Seeds the WEP+ promoters and the Intensive Workplace Learning tender (fictitious figures; seed
 * 001 gives the design): one lot per province, three to five bids each, partners that do not meet
 * the quality and experience requirements not selected, the best offer on quality (60) and price
 * (40) awarded, Limburg still open; monitoring by VDAB's project manager and five provincial staff.
 */
export async function seedIwl(ds: DataSource): Promise<void> {
  await ds.transaction(async (em) => {
    const [{ present }] = await em.query(`SELECT EXISTS (SELECT 1 FROM ${S}.iwl_tender) AS present`);
    if (present) return;
    const prng = new Prng(4202);
    const orgs = prng.shuffle(generateOrganisations().filter((o) => o.provinceCode !== 'BRU')).slice(0, 80);
    const promoters = orgs.slice(0, 40);
    for (const [i, o] of promoters.entries()) {
      const internal = i < 15;
      await em.query(`INSERT INTO ${S}.wep_promoter (kbo, type, umbrella) VALUES ($1, $2, $3)`, [
        o.kboNumber,
        internal ? 'INTERNAL' : 'EXTERNAL',
        internal ? 'SLN' : null,
      ]);
      for (const year of [2019, 2020]) {
        for (const module of internal ? ['WORK_EXPERIENCE', 'INTEGRATION'] : ['WORK_EXPERIENCE']) {
          await em.query(`INSERT INTO ${S}.wep_place (kbo, module, year, places) VALUES ($1, $2, $3, $4)`, [
            o.kboNumber,
            module,
            year,
            prng.int(internal ? 10 : 2, internal ? 60 : 15),
          ]);
        }
      }
    }
    await em.query(
      `INSERT INTO ${S}.iwl_tender (id, name, published_on, closes_on, selection_criteria, award_criteria, approved_by)
       VALUES ('IWL-2021', 'Intensief Werkplekleren', '2021-02-01', '2021-03-31', $1, $2, 'Raad van Bestuur VDAB')`,
      [
        ['Kwaliteitseisen op organisatieniveau', 'Ervaring en deskundigheid met gelijkaardige opdrachten'],
        JSON.stringify([
          { criterion: 'Kwaliteit', weight: 60 },
          { criterion: 'Prijs', weight: 40 },
        ]),
      ],
    );
    // Internal promoters (leerwerkbedrijven) bid as partners, with some other organisations.
    const bidders = [...promoters.slice(0, 15), ...orgs.slice(40)];
    for (const [p, province] of PROVINCES.entries()) {
      const lot = `IWL-2021-${province}`;
      const local = bidders.filter((o) => o.provinceCode === province);
      const bids = (local.length >= 3 ? local : [...local, ...bidders]).slice(0, prng.int(3, 5));
      await em.query(`INSERT INTO ${S}.iwl_lot (id, tender_id, province_code) VALUES ($1, 'IWL-2021', $2)`, [
        lot,
        province,
      ]);
      for (const [b, o] of bids.entries()) {
        const selected = b === 0 || prng.next() < 0.7;
        const quality = selected ? Math.round((55 + prng.next() * 45) * 100) / 100 : null;
        const price = selected ? prng.int(800_000, 1_400_000) * 100 : null;
        await em.query(
          `INSERT INTO ${S}.iwl_bid (lot_id, kbo, selected, selection_note, quality_score, price_cents) VALUES ($1, $2, $3, $4, $5, $6)`,
          [
            lot,
            o.kboNumber,
            selected,
            selected
              ? 'voldoet aan de kwaliteitseisen en ervaring'
              : 'onvoldoende ervaring met gelijkaardige opdrachten',
            quality,
            price,
          ],
        );
      }
      // Limburg's lot is still to be awarded; the others went to the best offer (scoring.ts).
      if (province === 'LIM') continue;
      const [best] = await em.query(
        `SELECT b.kbo FROM ${S}.iwl_bid b WHERE b.lot_id = $1 AND b.selected ORDER BY ${bidScoreSql('b')} DESC, b.kbo LIMIT 1`,
        [lot],
      );
      await em.query(`UPDATE ${S}.iwl_lot SET awarded_kbo = $2, awarded_on = '2021-05-03' WHERE id = $1`, [
        lot,
        best.kbo,
      ]);
      for (let m = 0; m < 6; m++) {
        const kind = MONITORING[m % MONITORING.length]!;
        await em.query(
          `INSERT INTO ${S}.iwl_monitoring (lot_id, kind, held_on, held_by, note) VALUES ($1, $2, $3, $4, $5)`,
          [
            lot,
            kind,
            addDays('2021-06-01', m * 60 + prng.int(0, 20)),
            kind === 'AUDIT' || kind === 'CONTRACT_FOLLOW_UP'
              ? 'centrale projectbeheerder VDAB'
              : `provinciale medewerker ${p + 1}`,
            `${kind.toLowerCase().replace(/_/g, ' ')} ${province}`,
          ],
        );
      }
    }
  });
}
