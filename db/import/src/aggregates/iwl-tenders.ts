import type pg from 'pg';
import { badInput, DomainError } from '@measure-graph/errors';
import { checkAward, type ScoredBid } from '@measure-graph/activation/iwl/scoring';
import { parseAmountCents } from '@measure-graph/measure-module/validation';
import type { FileContext } from '../context.ts';
import { readJsonLines, rule, schemaValidator } from '../rows.ts';
import type { StagedValue, StagingTable } from '../staging.ts';
import { ACTIVATION, localTime } from './activation-common.ts';
import { check, UPSERT_COUNTS } from './common.ts';
import { inSubgraphWithParties, KeysSeen } from './competences-common.ts';
import { checkKbo } from './organisations.ts';

interface TenderRow {
  id: string;
  name: string;
  publishedOn: string;
  closesOn: string;
  selectionCriteria: string[];
  awardCriteria: Array<{ criterion: string; weight: number }>;
  approvedBy: string;
  lots: Array<{
    id: string;
    provinceCode: string;
    awardedKbo?: string;
    awardedOn?: string;
    bids: Array<{ kbo: string; selected: boolean; selectionNote: string; qualityScore?: number; price?: string }>;
    monitoring?: Array<{ kind: string; heldOn: string; heldBy: string; note: string }>;
  }>;
}

const TENDERS: StagingTable = {
  name: 'import_iwl_tender',
  columns: [
    ['line', 'int'],
    ['id', 'text'],
    ['name', 'text'],
    ['published_on', 'date'],
    ['closes_on', 'date'],
    // JSON as text: staged the same way by COPY and by PGlite's INSERT of JSON (staging.ts).
    ['selection_criteria', 'text'],
    ['award_criteria', 'text'],
    ['approved_by', 'text'],
  ],
};
const LOTS: StagingTable = {
  name: 'import_iwl_lot',
  columns: [
    ['line', 'int'],
    ['idx', 'int'],
    ['tender_id', 'text'],
    ['id', 'text'],
    ['province_code', 'text'],
    ['awarded_kbo', 'text'],
    ['awarded_on', 'date'],
  ],
};
const BIDS: StagingTable = {
  name: 'import_iwl_bid',
  columns: [
    ['lot_id', 'text'],
    ['kbo', 'text'],
    ['selected', 'boolean'],
    ['selection_note', 'text'],
    ['quality_score', 'numeric'],
    ['price_cents', 'bigint'],
  ],
};
const MONITORING: StagingTable = {
  name: 'import_iwl_monitoring',
  columns: [
    ['lot_id', 'text'],
    ['kind', 'text'],
    ['held_on', 'date'],
    ['held_by', 'text'],
    ['note', 'text'],
  ],
};

let validate: ReturnType<typeof schemaValidator> | undefined;

/**
 * iwl-tenders.jsonl into activation.iwl_tender, iwl_lot, iwl_bid and iwl_monitoring: a tender by
 * its id with its lots (by id), their bids (by KBO number) and monitoring. One transaction:
 * written completely or not at all.
 */
export async function loadIwlTenders(ctx: FileContext): Promise<boolean> {
  validate ??= schemaValidator('iwl-tenders');
  return inSubgraphWithParties(ctx, ACTIVATION, [TENDERS, LOTS, BIDS, MONITORING], async (w) => {
    const { db, stager, party, finish } = w;
    const tenders = new KeysSeen(ctx.errors, 'id', 'tender');
    const lotIds = new Map<string, string>();
    for await (const { line, row } of readJsonLines<TenderRow>(ctx.path, validate!, ctx.errors, ctx.counter)) {
      const before = ctx.errors.count;
      tenders.add(line, row.id);
      const publishedOn = localTime(ctx.errors, line, 'publishedOn', row.publishedOn, ctx.now, true);
      const closesOn = rule(ctx.errors, line, 'closesOn', () => {
        if (publishedOn && row.closesOn <= publishedOn) throw badInput('must be after publishedOn');
        return row.closesOn;
      });
      const weights = row.awardCriteria.reduce((sum, c) => sum + c.weight, 0);
      if (weights !== 100) ctx.errors.add(line, 'awardCriteria', `the weights must sum to 100, not ${weights}`);
      const lots: StagedValue[][] = [];
      const bids: StagedValue[][] = [];
      const monitoring: StagedValue[][] = [];
      const provinces = new Map<string, number>();
      for (const [i, lot] of row.lots.entries()) {
        const f = `lots[${i}]`;
        const first = lotIds.get(lot.id);
        if (first !== undefined) ctx.errors.add(line, `${f}.id`, `the same lot as ${first}`);
        else lotIds.set(lot.id, `line ${line} ${f}`);
        const sameProvince = provinces.get(lot.provinceCode);
        if (sameProvince !== undefined) {
          ctx.errors.add(line, `${f}.provinceCode`, `the tender has one lot per province: lots[${sameProvince}] too`);
        } else provinces.set(lot.provinceCode, i);
        const scored: ScoredBid[] = [];
        const kbos = new Map<string, number>();
        for (const [j, b] of lot.bids.entries()) {
          const g = `${f}.bids[${j}]`;
          const kbo = rule(ctx.errors, line, `${g}.kbo`, () => checkKbo(b.kbo, `${g}.kbo`));
          if (kbo !== undefined) {
            const same = kbos.get(kbo);
            if (same !== undefined) ctx.errors.add(line, `${g}.kbo`, `the same bidder as bids[${same}]`);
            else kbos.set(kbo, j);
          }
          let cents: bigint | undefined | null = null;
          if (b.selected) {
            if (b.qualityScore === undefined)
              ctx.errors.add(line, `${g}.qualityScore`, 'is required for a selected bid');
            else if (Number(b.qualityScore.toFixed(2)) !== b.qualityScore) {
              ctx.errors.add(line, `${g}.qualityScore`, 'has at most two decimals');
            }
            if (b.price === undefined) ctx.errors.add(line, `${g}.price`, 'is required for a selected bid');
            else cents = rule(ctx.errors, line, `${g}.price`, () => parseAmountCents(b.price!, `${g}.price`));
          } else {
            for (const field of ['qualityScore', 'price'] as const) {
              if (b[field] !== undefined) ctx.errors.add(line, `${g}.${field}`, 'is given only for a selected bid');
            }
          }
          if (kbo === undefined || cents === undefined) continue;
          scored.push({
            kbo,
            selected: b.selected,
            qualityScore: b.qualityScore ?? null,
            priceCents: cents === null ? null : Number(cents),
          });
          bids.push([lot.id, kbo, b.selected, b.selectionNote, b.qualityScore ?? null, cents?.toString() ?? null]);
          await party(line, `${g}.kbo`, 'organisation', kbo);
        }
        let awardedKbo: string | null | undefined = null;
        let awardedOn: string | null | undefined = null;
        if ((lot.awardedKbo === undefined) !== (lot.awardedOn === undefined)) {
          const missing = lot.awardedKbo === undefined ? 'awardedKbo' : 'awardedOn';
          ctx.errors.add(line, `${f}.${missing}`, 'is required: a lot is awarded to a partner on a day');
        } else if (lot.awardedKbo !== undefined) {
          awardedKbo = rule(ctx.errors, line, `${f}.awardedKbo`, () => checkKbo(lot.awardedKbo!, `${f}.awardedKbo`));
          awardedOn = localTime(ctx.errors, line, `${f}.awardedOn`, lot.awardedOn!, ctx.now, true);
          // The award mutation's rules (a complete list of the lot's bids is needed to judge the best offer).
          if (awardedKbo && awardedOn && closesOn && scored.length === lot.bids.length) {
            try {
              checkAward(lot.id, closesOn, scored, awardedKbo, awardedOn);
            } catch (err) {
              if (!(err instanceof DomainError)) throw err;
              const onDay = err.message.startsWith('awardedOn ');
              ctx.errors.add(
                line,
                onDay ? `${f}.awardedOn` : `${f}.awardedKbo`,
                onDay ? err.message.slice('awardedOn '.length) : err.message,
              );
            }
          }
        }
        const seen = new Map<string, number>();
        for (const [k, m] of (lot.monitoring ?? []).entries()) {
          const g = `${f}.monitoring[${k}]`;
          const heldOn = localTime(ctx.errors, line, `${g}.heldOn`, m.heldOn, ctx.now, true);
          if (lot.awardedKbo === undefined) {
            ctx.errors.add(line, g, 'a lot is monitored once it is awarded (awardedKbo)');
          } else if (heldOn && awardedOn && heldOn < awardedOn) {
            ctx.errors.add(line, `${g}.heldOn`, `must not be before the award (${awardedOn})`);
          }
          const key = JSON.stringify([m.kind, heldOn, m.heldBy, m.note]);
          const same = seen.get(key);
          if (same !== undefined) ctx.errors.add(line, g, `is the same monitoring as monitoring[${same}]`);
          else seen.set(key, k);
          monitoring.push([lot.id, m.kind, heldOn ?? null, m.heldBy, m.note]);
        }
        if (awardedKbo) await party(line, `${f}.awardedKbo`, 'organisation', awardedKbo);
        lots.push([line, i, row.id, lot.id, lot.provinceCode, awardedKbo ?? null, awardedOn ?? null]);
      }
      if (ctx.errors.count > before || !publishedOn || !closesOn) continue;
      await stager.add(TENDERS, [
        line,
        row.id,
        row.name,
        publishedOn,
        closesOn,
        JSON.stringify(row.selectionCriteria),
        JSON.stringify(row.awardCriteria),
        row.approvedBy,
      ]);
      for (const l of lots) await stager.add(LOTS, l);
      for (const b of bids) await stager.add(BIDS, b);
      for (const m of monitoring) await stager.add(MONITORING, m);
    }
    await finish();
    // A lot's id and its tender's province are its own: not another tender's lot, not a second lot for the province.
    await check(
      db,
      ctx.errors,
      `SELECT i.line, 'lots[' || i.idx || '].id', l.tender_id, NULL FROM import_iwl_lot i
         JOIN activation.iwl_lot l ON l.id = i.id AND l.tender_id <> i.tender_id
       UNION ALL
       SELECT i.line, 'lots[' || i.idx || '].provinceCode', l.id, NULL FROM import_iwl_lot i
         JOIN activation.iwl_lot l ON l.tender_id = i.tender_id AND l.province_code = i.province_code AND l.id <> i.id
        WHERE NOT EXISTS (SELECT 1 FROM import_iwl_lot j WHERE j.id = l.id)`,
      [],
      (r) =>
        r.field.endsWith('.id')
          ? `is a lot of tender ${r.value}`
          : `the tender has one lot per province: ${r.value} is stored for it`,
    );
    if (ctx.errors.count > 0) return false;
    await write(db.client, ctx);
    return true;
  });
}

async function write(client: pg.ClientBase, ctx: FileContext): Promise<void> {
  const q = async (sql: string) => (await client.query(sql)).rows;
  const [tenders] = await q(
    `WITH written AS (
       INSERT INTO activation.iwl_tender (id, name, published_on, closes_on, selection_criteria, award_criteria,
                                          approved_by)
       SELECT id, name, published_on, closes_on, ARRAY(SELECT jsonb_array_elements_text(selection_criteria::jsonb)),
              award_criteria::jsonb, approved_by
         FROM import_iwl_tender ORDER BY line
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, published_on = EXCLUDED.published_on,
         closes_on = EXCLUDED.closes_on, selection_criteria = EXCLUDED.selection_criteria,
         award_criteria = EXCLUDED.award_criteria, approved_by = EXCLUDED.approved_by
        WHERE (iwl_tender.name, iwl_tender.published_on, iwl_tender.closes_on, iwl_tender.selection_criteria,
               iwl_tender.award_criteria, iwl_tender.approved_by)
              IS DISTINCT FROM
              (EXCLUDED.name, EXCLUDED.published_on, EXCLUDED.closes_on, EXCLUDED.selection_criteria,
               EXCLUDED.award_criteria, EXCLUDED.approved_by)
       RETURNING xmax = 0 AS inserted)
     SELECT ${UPSERT_COUNTS} FROM written`,
  );
  const [lots] = await q(
    `WITH written AS (
       INSERT INTO activation.iwl_lot (id, tender_id, province_code, awarded_kbo, awarded_on)
       SELECT id, tender_id, province_code, awarded_kbo, awarded_on FROM import_iwl_lot ORDER BY line, idx
       ON CONFLICT (id) DO UPDATE SET province_code = EXCLUDED.province_code, awarded_kbo = EXCLUDED.awarded_kbo,
         awarded_on = EXCLUDED.awarded_on
        WHERE (iwl_lot.province_code, iwl_lot.awarded_kbo, iwl_lot.awarded_on)
              IS DISTINCT FROM (EXCLUDED.province_code, EXCLUDED.awarded_kbo, EXCLUDED.awarded_on)
       RETURNING 1)
     SELECT count(*)::int AS n FROM written`,
  );
  // A lot's bids and monitoring become the file's: identical ones kept, the others removed, the missing written.
  const [bidsRemoved] = await q(
    `WITH removed AS (
       DELETE FROM activation.iwl_bid x USING import_iwl_lot l
        WHERE x.lot_id = l.id AND NOT EXISTS (SELECT 1 FROM import_iwl_bid b WHERE b.lot_id = x.lot_id AND b.kbo = x.kbo)
       RETURNING 1)
     SELECT count(*)::int AS n FROM removed`,
  );
  const [bidsWritten] = await q(
    `WITH written AS (
       INSERT INTO activation.iwl_bid (lot_id, kbo, selected, selection_note, quality_score, price_cents)
       SELECT lot_id, kbo, selected, selection_note, quality_score, price_cents FROM import_iwl_bid
       ON CONFLICT (lot_id, kbo) DO UPDATE SET selected = EXCLUDED.selected, selection_note = EXCLUDED.selection_note,
         quality_score = EXCLUDED.quality_score, price_cents = EXCLUDED.price_cents
        WHERE (iwl_bid.selected, iwl_bid.selection_note, iwl_bid.quality_score, iwl_bid.price_cents)
              IS DISTINCT FROM
              (EXCLUDED.selected, EXCLUDED.selection_note, EXCLUDED.quality_score, EXCLUDED.price_cents)
       RETURNING 1)
     SELECT count(*)::int AS n FROM written`,
  );
  const same = `(w.lot_id, w.kind, w.held_on, w.held_by, w.note) = (x.lot_id, x.kind, x.held_on, x.held_by, x.note)`;
  const [monitoringRemoved] = await q(
    `WITH removed AS (
       DELETE FROM activation.iwl_monitoring x USING import_iwl_lot l
        WHERE x.lot_id = l.id AND NOT EXISTS (SELECT 1 FROM import_iwl_monitoring w WHERE ${same})
       RETURNING 1)
     SELECT count(*)::int AS n FROM removed`,
  );
  const [monitoringWritten] = await q(
    `WITH written AS (
       INSERT INTO activation.iwl_monitoring (lot_id, kind, held_on, held_by, note)
       SELECT w.lot_id, w.kind, w.held_on, w.held_by, w.note FROM import_iwl_monitoring w
        WHERE NOT EXISTS (SELECT 1 FROM activation.iwl_monitoring x WHERE ${same})
       RETURNING 1)
     SELECT count(*)::int AS n FROM written`,
  );
  Object.assign(ctx.counts, tenders, {
    lotsWritten: lots.n,
    bidsWritten: bidsWritten.n,
    bidsRemoved: bidsRemoved.n,
    monitoringWritten: monitoringWritten.n,
    monitoringRemoved: monitoringRemoved.n,
  });
  ctx.counts.unchanged = ctx.counter.rows - tenders.inserted - tenders.updated;
}
