import type pg from 'pg';
import { WEP_MODULES } from '@measure-graph/activation/iwl/scoring';
import type { FileContext } from '../context.ts';
import { readJsonLines, rule, schemaValidator } from '../rows.ts';
import type { StagedValue, StagingTable } from '../staging.ts';
import { ACTIVATION } from './activation-common.ts';
import { UPSERT_COUNTS } from './common.ts';
import { inSubgraphWithParties, KeysSeen } from './competences-common.ts';
import { checkKbo } from './organisations.ts';

interface PromoterRow {
  kbo: string;
  type: 'INTERNAL' | 'EXTERNAL';
  umbrella?: string;
  places: Array<{ module: string; year: number; places: number }>;
}

const PROMOTERS: StagingTable = {
  name: 'import_wep_promoter',
  columns: [
    ['line', 'int'],
    ['kbo', 'text'],
    ['type', 'text'],
    ['umbrella', 'text'],
  ],
};
const PLACES: StagingTable = {
  name: 'import_wep_place',
  columns: [
    ['kbo', 'text'],
    ['module', 'text'],
    ['year', 'int'],
    ['places', 'int'],
  ],
};

let validate: ReturnType<typeof schemaValidator> | undefined;

/**
 * wep-promoters.jsonl into activation.wep_promoter and wep_place: a WEP+ promoter by its KBO
 * number with its places per module and year. One transaction: written completely or not at all.
 */
export async function loadWepPromoters(ctx: FileContext): Promise<boolean> {
  validate ??= schemaValidator('wep-promoters');
  const thisYear = Number(ctx.now.slice(0, 4));
  return inSubgraphWithParties(ctx, ACTIVATION, [PROMOTERS, PLACES], async (w) => {
    const { db, stager, party, finish } = w;
    const promoters = new KeysSeen(ctx.errors, 'kbo', 'promoter');
    for await (const { line, row } of readJsonLines<PromoterRow>(ctx.path, validate!, ctx.errors, ctx.counter)) {
      const before = ctx.errors.count;
      const kbo = rule(ctx.errors, line, 'kbo', () => checkKbo(row.kbo, 'kbo'));
      if (kbo !== undefined) promoters.add(line, kbo);
      const places: StagedValue[][] = [];
      const seen = new Map<string, number>();
      for (const [i, p] of row.places.entries()) {
        const f = `places[${i}]`;
        // The subgraph's rule: internal promoters run both modules, external ones the work experience only.
        if (!WEP_MODULES[row.type].includes(p.module)) {
          ctx.errors.add(line, `${f}.module`, `an ${row.type.toLowerCase()} promoter has no places for ${p.module}`);
        }
        if (p.year > thisYear) ctx.errors.add(line, `${f}.year`, `must not be after the current year (${thisYear})`);
        const key = `${p.module} ${p.year}`;
        const same = seen.get(key);
        if (same !== undefined) ctx.errors.add(line, f, `the same module and year as places[${same}]`);
        else seen.set(key, i);
        places.push([kbo ?? null, p.module, p.year, p.places]);
      }
      if (kbo !== undefined) await party(line, 'kbo', 'organisation', kbo);
      if (ctx.errors.count > before || kbo === undefined) continue;
      await stager.add(PROMOTERS, [line, kbo, row.type, row.umbrella ?? null]);
      for (const p of places) await stager.add(PLACES, p);
    }
    await finish();
    if (ctx.errors.count > 0) return false;
    await write(db.client, ctx);
    return true;
  });
}

async function write(client: pg.ClientBase, ctx: FileContext): Promise<void> {
  const q = async (sql: string) => (await client.query(sql)).rows;
  const [promoters] = await q(
    `WITH written AS (
       INSERT INTO activation.wep_promoter (kbo, type, umbrella)
       SELECT kbo, type, umbrella FROM import_wep_promoter ORDER BY line
       ON CONFLICT (kbo) DO UPDATE SET type = EXCLUDED.type, umbrella = EXCLUDED.umbrella
        WHERE (wep_promoter.type, wep_promoter.umbrella) IS DISTINCT FROM (EXCLUDED.type, EXCLUDED.umbrella)
       RETURNING xmax = 0 AS inserted)
     SELECT ${UPSERT_COUNTS} FROM written`,
  );
  // A promoter's places become the file's: by module and year, the others removed.
  const [placesRemoved] = await q(
    `WITH removed AS (
       DELETE FROM activation.wep_place x USING import_wep_promoter p
        WHERE x.kbo = p.kbo
          AND NOT EXISTS (SELECT 1 FROM import_wep_place w WHERE (w.kbo, w.module, w.year) = (x.kbo, x.module, x.year))
       RETURNING 1)
     SELECT count(*)::int AS n FROM removed`,
  );
  const [placesWritten] = await q(
    `WITH written AS (
       INSERT INTO activation.wep_place (kbo, module, year, places)
       SELECT kbo, module, year, places FROM import_wep_place
       ON CONFLICT (kbo, module, year) DO UPDATE SET places = EXCLUDED.places
        WHERE wep_place.places IS DISTINCT FROM EXCLUDED.places
       RETURNING 1)
     SELECT count(*)::int AS n FROM written`,
  );
  Object.assign(ctx.counts, promoters, { placesWritten: placesWritten.n, placesRemoved: placesRemoved.n });
  ctx.counts.unchanged = ctx.counter.rows - promoters.inserted - promoters.updated;
}
