import { badInput } from '@measure-graph/errors';
import { parseQuarter, quarterEnd, quarterStart } from '@measure-graph/social-economy/quarters';
import type { FileContext } from '../context.ts';
import { readJsonLines, rule, schemaValidator } from '../rows.ts';
import type { StagingTable } from '../staging.ts';
import { check, inTransaction } from './common.ts';
import { checkKbo } from './organisations.ts';
import { centsOf, finishStaging, hundredths, notInFuture, notInSector, SE, sectorDatabases } from './sector-common.ts';

export interface ContingentRow {
  kboNumber: string;
  contingents: Array<{ measureCode: string; fte: string; validFrom: string; validTo?: string; reason: string }>;
  settlements?: Array<{
    quarter: string;
    contingentFte: string;
    filledFte: string;
    advances: string;
    balance: string;
    settledOn?: string;
  }>;
}

const ORGS: StagingTable = {
  name: 'import_contingent_org',
  columns: [
    ['line', 'int'],
    ['kbo', 'text'],
  ],
};
const CONTINGENTS: StagingTable = {
  name: 'import_contingent',
  columns: [
    ['line', 'int'],
    ['item', 'int'],
    ['kbo', 'text'],
    ['measure_code', 'text'],
    ['fte', 'numeric'],
    ['valid_from', 'date'],
    ['valid_to', 'date'],
    ['reason', 'text'],
  ],
};
const SETTLEMENTS: StagingTable = {
  name: 'import_settlement',
  columns: [
    ['line', 'int'],
    ['kbo', 'text'],
    ['quarter', 'date'],
    ['contingent_fte', 'numeric'],
    ['filled_fte', 'numeric'],
    ['advances_cents', 'bigint'],
    ['balance_cents', 'bigint'],
    ['settled_on', 'date'],
  ],
};

let validate: ReturnType<typeof schemaValidator> | undefined;

/** The quarter a day lies in, as its first day. */
const quarterOf = (day: string) =>
  quarterStart(Number(day.slice(0, 4)), Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1);

/**
 * contingents.jsonl into social_economy.contingent (initial and redistribution rows) and
 * social_economy.settlement, by KBO number (settlements by quarter). For a named organisation the
 * row's rows are the truth: identical ones kept, the others removed, the missing ones written.
 */
export async function loadContingents(ctx: FileContext): Promise<boolean> {
  validate ??= schemaValidator('contingents');
  const today = ctx.now.slice(0, 10);
  const currentQuarter = quarterOf(today);
  const dbs = await sectorDatabases(ctx);
  // The organisation must be one of the sector's, which is checked in the sector's own table; the
  // registry is not needed (the sector organisation was checked against it when it was loaded).
  return inTransaction([dbs.sector], async () => {
    const stager = dbs.stagerOf(dbs.sector);
    for (const t of [ORGS, CONTINGENTS, SETTLEMENTS]) await stager.create(t);
    for await (const { line, row } of readJsonLines<ContingentRow>(ctx.path, validate!, ctx.errors, ctx.counter)) {
      const before = ctx.errors.count;
      const kbo = rule(ctx.errors, line, 'kboNumber', () => checkKbo(row.kboNumber, 'kboNumber'));
      const seen = new Map<string, number>();
      for (const [i, c] of row.contingents.entries()) {
        const field = `contingents[${i}]`;
        const fte = hundredths(c.fte);
        if (fte === 0) ctx.errors.add(line, `${field}.fte`, 'must not be zero');
        else if (c.reason === 'INITIAL' && fte < 0)
          ctx.errors.add(line, `${field}.fte`, 'an initial award must be more than zero');
        if (c.validTo !== undefined && c.validTo < c.validFrom) {
          ctx.errors.add(line, `${field}.validTo`, `must not be before validFrom (${c.validFrom})`);
        }
        // A row is known by all its fields: a second identical one could not be told apart on re-import.
        const key = JSON.stringify([c.measureCode, fte, c.validFrom, c.validTo ?? null, c.reason]);
        const same = seen.get(key);
        if (same !== undefined) ctx.errors.add(line, field, `is the same contingent row as contingents[${same}]`);
        else seen.set(key, i);
      }
      const quarters = new Map<string, number>();
      const settlements: Array<[string, NonNullable<ContingentRow['settlements']>[number]]> = [];
      for (const [i, s] of (row.settlements ?? []).entries()) {
        const field = `settlements[${i}]`;
        const quarter = rule(ctx.errors, line, `${field}.quarter`, () => {
          const start = parseQuarter(s.quarter);
          if (!start) throw badInput(`must be a quarter like 2017-Q4, got "${s.quarter}"`);
          if (start < '2000-01-01') throw badInput('must not be before 2000');
          if (start > currentQuarter)
            throw badInput(`must not be after the current quarter (it is ${today} in Belgium)`);
          return start;
        });
        if (quarter === undefined) continue;
        const same = quarters.get(quarter);
        if (same !== undefined) ctx.errors.add(line, `${field}.quarter`, `the same quarter as settlements[${same}]`);
        else quarters.set(quarter, i);
        if (s.settledOn !== undefined) {
          rule(ctx.errors, line, `${field}.settledOn`, () => {
            if (s.settledOn! <= quarterEnd(quarter)) {
              throw badInput(`must be after the quarter ended (${quarterEnd(quarter)})`);
            }
            return notInFuture(s.settledOn!, `${field}.settledOn`, today);
          });
        }
        settlements.push([quarter, s]);
      }
      if (ctx.errors.count > before || kbo === undefined) continue;
      await stager.add(ORGS, [line, kbo]);
      for (const [i, c] of row.contingents.entries()) {
        await stager.add(CONTINGENTS, [line, i, kbo, c.measureCode, c.fte, c.validFrom, c.validTo ?? null, c.reason]);
      }
      for (const [quarter, s] of settlements) {
        await stager.add(SETTLEMENTS, [
          line,
          kbo,
          quarter,
          s.contingentFte,
          s.filledFte,
          centsOf(s.advances),
          centsOf(s.balance),
          s.settledOn ?? null,
        ]);
      }
    }
    await finishStaging(dbs);
    await check(
      dbs.sector,
      ctx.errors,
      `SELECT line, 'kboNumber', first::text, NULL FROM (
         SELECT line, min(line) OVER (PARTITION BY kbo) AS first FROM import_contingent_org) d WHERE line > first`,
      [],
      (r) => `the same organisation as line ${r.value}`,
    );
    await check(
      dbs.sector,
      ctx.errors,
      `SELECT i.line, 'kboNumber', i.kbo, NULL FROM import_contingent_org i
        WHERE NOT EXISTS (SELECT 1 FROM ${SE}.sector_organisation o WHERE o.kbo = i.kbo)`,
      [],
      (r) => `${notInSector(r.value!, 'and has no contingent')} (see sector-organisations.jsonl)`,
    );
    await check(
      dbs.sector,
      ctx.errors,
      `SELECT c.line, 'contingents[' || c.item || '].measureCode', o.sector, c.measure_code
         FROM import_contingent c JOIN ${SE}.sector_organisation o ON o.kbo = c.kbo
        WHERE c.measure_code <> CASE o.sector WHEN 'LDE' THEN 'LDE' ELSE 'MAATWERK' END`,
      [],
      (r) =>
        `must be ${r.value === 'LDE' ? 'LDE' : 'MAATWERK'} for an organisation of sector ${r.value}, got "${r.detail}"`,
    );
    if (ctx.errors.count > 0) return false;

    const q = async (sql: string) => (await dbs.sector.client.query(sql)).rows;
    const sameContingent = `c.kbo = x.kbo AND c.measure_code = x.measure_code AND c.fte = x.fte
      AND c.valid_from = x.valid_from AND c.valid_to IS NOT DISTINCT FROM x.valid_to AND c.reason = x.reason`;
    // Growth-path rows belong to growth-paths.jsonl: left alone here.
    const [contingentsRemoved] = await q(
      `WITH removed AS (
         DELETE FROM ${SE}.contingent x USING import_contingent_org o
          WHERE x.kbo = o.kbo AND x.reason <> 'GROWTH_PATH'
            AND NOT EXISTS (SELECT 1 FROM import_contingent c WHERE ${sameContingent})
         RETURNING 1)
       SELECT count(*)::int AS n FROM removed`,
    );
    const [contingentsWritten] = await q(
      `WITH written AS (
         INSERT INTO ${SE}.contingent (kbo, measure_code, fte, valid_from, valid_to, reason)
         SELECT c.kbo, c.measure_code, c.fte, c.valid_from, c.valid_to, c.reason FROM import_contingent c
          WHERE NOT EXISTS (SELECT 1 FROM ${SE}.contingent x WHERE ${sameContingent})
          ORDER BY c.line, c.item
         RETURNING 1)
       SELECT count(*)::int AS n FROM written`,
    );
    const [settlementsRemoved] = await q(
      `WITH removed AS (
         DELETE FROM ${SE}.settlement x USING import_contingent_org o
          WHERE x.kbo = o.kbo AND NOT EXISTS (SELECT 1 FROM import_settlement s WHERE s.kbo = x.kbo AND s.quarter = x.quarter)
         RETURNING 1)
       SELECT count(*)::int AS n FROM removed`,
    );
    const [settlements] = await q(
      `WITH written AS (
         INSERT INTO ${SE}.settlement (kbo, quarter, contingent_fte, filled_fte, advances_cents, balance_cents, settled_on)
         SELECT kbo, quarter, contingent_fte, filled_fte, advances_cents, balance_cents, settled_on FROM import_settlement
         ON CONFLICT (kbo, quarter) DO UPDATE SET contingent_fte = EXCLUDED.contingent_fte,
           filled_fte = EXCLUDED.filled_fte, advances_cents = EXCLUDED.advances_cents,
           balance_cents = EXCLUDED.balance_cents, settled_on = EXCLUDED.settled_on
          WHERE (settlement.contingent_fte, settlement.filled_fte, settlement.advances_cents, settlement.balance_cents,
                 settlement.settled_on)
                IS DISTINCT FROM (EXCLUDED.contingent_fte, EXCLUDED.filled_fte, EXCLUDED.advances_cents,
                                  EXCLUDED.balance_cents, EXCLUDED.settled_on)
         RETURNING xmax = 0 AS inserted)
       SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated
         FROM written`,
    );
    Object.assign(ctx.counts, {
      organisations: ctx.counter.rows,
      contingentsWritten: contingentsWritten.n,
      contingentsRemoved: contingentsRemoved.n,
      settlementsInserted: settlements.inserted,
      settlementsUpdated: settlements.updated,
      settlementsRemoved: settlementsRemoved.n,
    });
    return true;
  });
}
