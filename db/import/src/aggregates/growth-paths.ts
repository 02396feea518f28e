import { badInput, DomainError } from '@measure-graph/errors';
import { parseLocalTime } from '@measure-graph/measure-module/validation';
import { parseFte, SECTORS_OF_CALL } from '@measure-graph/social-economy/growth-path/rules';
import { parseQuarter } from '@measure-graph/social-economy/quarters';
import type { FileContext } from '../context.ts';
import { readJsonLines, rule, schemaValidator } from '../rows.ts';
import type { StagingTable } from '../staging.ts';
import { check, inTransaction, UPSERT_COUNTS } from './common.ts';
import { checkKbo } from './organisations.ts';
import {
  checkRegistryRefs,
  finishStaging,
  hundredths,
  notInSector,
  REGISTRY_REFS,
  SE,
  sectorDatabases,
} from './sector-common.ts';

export interface GrowthPathRow {
  id: string;
  name: string;
  measureCode: 'MAATWERK' | 'LDE';
  sector: 'BW' | 'SW' | 'LDE' | 'MAATWERK';
  budgetFte: string;
  unitFte: '1' | '0.01';
  ruleSet: string;
  minFillRate?: number;
  referenceFrom?: string;
  referenceTo?: string;
  deadline: string;
  effectiveFrom: string;
  distributedAt?: string;
  provinceWeights: Record<string, number>;
  applications: Array<{
    kboNumber: string;
    requestedFte: string;
    submittedOn: string;
    allocation?: { fte: string; rule: string; explanation: string };
  }>;
}

const CALLS: StagingTable = {
  name: 'import_gp_call',
  columns: [
    ['line', 'int'],
    ['id', 'text'],
    ['name', 'text'],
    ['measure_code', 'text'],
    ['sector', 'text'],
    ['budget_fte', 'numeric'],
    ['unit_fte', 'numeric'],
    ['rule_set', 'text'],
    ['min_fill_rate', 'numeric'],
    ['reference_from', 'date'],
    ['reference_to', 'date'],
    ['deadline', 'date'],
    ['effective_from', 'date'],
    ['status', 'text'],
    ['distributed_at', 'timestamp'],
  ],
};
const WEIGHTS: StagingTable = {
  name: 'import_gp_weight',
  columns: [
    ['line', 'int'],
    ['call_id', 'text'],
    ['province_code', 'text'],
    ['weight', 'numeric'],
  ],
};
const APPLICATIONS: StagingTable = {
  name: 'import_gp_application',
  columns: [
    ['line', 'int'],
    ['item', 'int'],
    ['call_id', 'text'],
    ['call_sector', 'text'],
    ['measure_code', 'text'],
    ['effective_from', 'date'],
    ['kbo', 'text'],
    ['requested_fte', 'numeric'],
    ['submitted_on', 'date'],
    ['allocated_fte', 'numeric'],
    ['rule', 'text'],
    ['explanation', 'text'],
  ],
};

/** Allocation rules that give nothing, and only they. */
const ZERO_RULES = ['INELIGIBLE', 'ROUNDED_TO_ZERO', 'BUDGET_EXHAUSTED'];

let validate: ReturnType<typeof schemaValidator> | undefined;

/** A call's rules that need no database; errors go to ctx.errors. */
function checkCall(ctx: FileContext, line: number, row: GrowthPathRow) {
  const e = (field: string, reason: string) => ctx.errors.add(line, field, reason);
  if ((row.measureCode === 'LDE') !== (row.sector === 'LDE')) {
    e(
      'sector',
      `a call of measure ${row.measureCode} is for ${row.measureCode === 'LDE' ? 'LDE' : 'BW, SW or MAATWERK'}`,
    );
  }
  const unit = row.unitFte === '1' ? 100 : 1;
  const budget = hundredths(row.budgetFte);
  if (budget <= 0) e('budgetFte', 'must be more than zero');
  else if (budget % unit !== 0) e('budgetFte', 'must be whole FTE: this call allocates whole FTE');
  if (row.effectiveFrom <= row.deadline) e('effectiveFrom', `must be after the deadline (${row.deadline})`);
  const quarter = (field: 'referenceFrom' | 'referenceTo') =>
    row[field] === undefined
      ? null
      : (rule(ctx.errors, line, field, () => {
          const start = parseQuarter(row[field]!);
          if (!start) throw badInput(`must be a quarter like 2017-Q4, got "${row[field]}"`);
          return start;
        }) ?? null);
  const referenceFrom = quarter('referenceFrom');
  const referenceTo = quarter('referenceTo');
  if ((row.referenceFrom === undefined) !== (row.referenceTo === undefined)) {
    e(
      row.referenceFrom === undefined ? 'referenceFrom' : 'referenceTo',
      'give both ends of the reference period or neither',
    );
  } else if (referenceFrom && referenceTo && referenceTo < referenceFrom) {
    e('referenceTo', `must not be before referenceFrom (${row.referenceFrom})`);
  }
  if (referenceTo && referenceTo > row.deadline) e('referenceTo', `must not be after the deadline (${row.deadline})`);
  const distributedAt =
    row.distributedAt === undefined
      ? null
      : (rule(ctx.errors, line, 'distributedAt', () => {
          const at = parseLocalTime(row.distributedAt!, 'distributedAt', ctx.now);
          if (at.slice(0, 10) < row.deadline) throw badInput(`must not be before the deadline (${row.deadline})`);
          return at;
        }) ?? null);
  if (Object.keys(row.provinceWeights).length === 0) e('provinceWeights', 'must give at least one province');

  // Applications, as applyForGrowthPath checks them, and allocations as distributeGrowthPath gives them.
  const kbos = new Map<string, number>();
  const applications: Array<{ item: number; kbo: string; requested: number } & GrowthPathRow['applications'][number]> =
    [];
  let allocated = 0;
  for (const [i, a] of row.applications.entries()) {
    const field = `applications[${i}]`;
    const kbo = rule(ctx.errors, line, `${field}.kboNumber`, () => checkKbo(a.kboNumber, `${field}.kboNumber`));
    if (kbo !== undefined) {
      const same = kbos.get(kbo);
      if (same !== undefined) {
        e(`${field}.kboNumber`, `Organisation ${kbo} already applied for call ${row.id} (applications[${same}])`);
      } else kbos.set(kbo, i);
    }
    const requested = rule(ctx.errors, line, `${field}.requestedFte`, () => {
      try {
        return parseFte(a.requestedFte, unit === 100);
      } catch (err) {
        // The mutation names its argument requestedFte; here it is the application's field.
        if (err instanceof DomainError) throw badInput(err.message.replace(/^requestedFte /, ''));
        throw err;
      }
    });
    if (a.submittedOn > row.deadline) {
      e(`${field}.submittedOn`, `Call ${row.id} closed on ${row.deadline}; submittedOn is ${a.submittedOn}`);
    }
    if (distributedAt === null && a.allocation) {
      e(`${field}.allocation`, `Call ${row.id} is open (no distributedAt): it has no allocations yet`);
    }
    if (distributedAt !== null && !a.allocation) {
      e(`${field}.allocation`, `Call ${row.id} was distributed: every application has its allocation`);
    }
    if (a.allocation && requested !== undefined) {
      const fte = hundredths(a.allocation.fte);
      const af = `${field}.allocation.fte`;
      if (fte % unit !== 0) e(af, 'must be whole FTE: this call allocates whole FTE');
      else if (fte > Math.round(requested * 100)) e(af, `must not be more than requested (${a.requestedFte})`);
      else if ((fte === 0) !== ZERO_RULES.includes(a.allocation.rule)) {
        e(
          af,
          fte === 0
            ? `is zero, which only ${ZERO_RULES.join(', ')} give`
            : `must be zero for an allocation by ${a.allocation.rule}`,
        );
      }
      allocated += fte;
    }
    if (kbo !== undefined && requested !== undefined) applications.push({ ...a, item: i, kbo, requested });
  }
  if (budget > 0 && allocated > budget) {
    e('applications', `the allocations give ${allocated / 100} FTE of a budget of ${budget / 100}`);
  }
  return { referenceFrom, referenceTo, distributedAt, applications };
}

/**
 * growth-paths.jsonl into social_economy.growth_path_call, growth_path_province_weight,
 * growth_path_application, growth_path_allocation and the GROWTH_PATH rows of contingent, by call
 * id (applications by call and organisation). For a named call the row is the truth.
 */
export async function loadGrowthPaths(ctx: FileContext): Promise<boolean> {
  validate ??= schemaValidator('growth-paths');
  const dbs = await sectorDatabases(ctx);
  return inTransaction(dbs.all, async () => {
    const stager = dbs.stagerOf(dbs.sector);
    const refs = dbs.stagerOf(dbs.registry);
    for (const t of [CALLS, WEIGHTS, APPLICATIONS]) await stager.create(t);
    await refs.create(REGISTRY_REFS);
    for await (const { line, row } of readJsonLines<GrowthPathRow>(ctx.path, validate!, ctx.errors, ctx.counter)) {
      const before = ctx.errors.count;
      const call = checkCall(ctx, line, row);
      if (ctx.errors.count > before) continue;
      await stager.add(CALLS, [
        line,
        row.id,
        row.name,
        row.measureCode,
        row.sector,
        row.budgetFte,
        row.unitFte,
        row.ruleSet,
        row.minFillRate ?? null,
        call.referenceFrom,
        call.referenceTo,
        row.deadline,
        row.effectiveFrom,
        call.distributedAt ? 'DISTRIBUTED' : 'OPEN',
        call.distributedAt,
      ]);
      for (const [province, weight] of Object.entries(row.provinceWeights)) {
        await stager.add(WEIGHTS, [line, row.id, province, weight]);
        await refs.add(REGISTRY_REFS, [line, `provinceWeights.${province}`, null, province]);
      }
      for (const a of call.applications) {
        await stager.add(APPLICATIONS, [
          line,
          a.item,
          row.id,
          row.sector,
          row.measureCode,
          row.effectiveFrom,
          a.kbo,
          a.requested,
          a.submittedOn,
          a.allocation?.fte ?? null,
          a.allocation?.rule ?? null,
          a.allocation?.explanation ?? null,
        ]);
        await refs.add(REGISTRY_REFS, [line, `applications[${a.item}].kboNumber`, a.kbo, null]);
      }
    }
    await finishStaging(dbs);
    await check(
      dbs.sector,
      ctx.errors,
      `SELECT line, 'id', first::text, NULL FROM (
         SELECT line, min(line) OVER (PARTITION BY id) AS first FROM import_gp_call) d WHERE line > first`,
      [],
      (r) => `the same call as line ${r.value}`,
    );
    await checkRegistryRefs(ctx, dbs.registry);
    // applyForGrowthPath's own rule: an organisation of the social economy, of the call's sector.
    await check(
      dbs.sector,
      ctx.errors,
      `SELECT a.line, 'applications[' || a.item || '].kboNumber', a.kbo, a.call_id || ':' || a.call_sector || ':' || coalesce(o.sector, '')
         FROM import_gp_application a LEFT JOIN ${SE}.sector_organisation o ON o.kbo = a.kbo
        WHERE o.kbo IS NULL OR NOT o.sector = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb -> a.call_sector)))`,
      [JSON.stringify(SECTORS_OF_CALL)],
      (r) => {
        const [id, callSector, sector] = r.detail!.split(':') as [string, string, string];
        return sector === ''
          ? `${notInSector(r.value!, 'and cannot apply for a growth path')}`
          : `Call ${id} is for ${callSector}; organisation ${r.value} is ${sector}`;
      },
    );
    if (ctx.errors.count > 0) return false;
    Object.assign(ctx.counts, await writeGrowthPaths(async (sql) => (await dbs.sector.client.query(sql)).rows));
    ctx.counts.unchanged = ctx.counter.rows - ctx.counts.inserted! - ctx.counts.updated!;
    return true;
  });
}

async function writeGrowthPaths(
  q: (sql: string) => Promise<Array<Record<string, number>>>,
): Promise<Record<string, number>> {
  const one = async (sql: string) => (await q(sql))[0]!;
  const n = async (sql: string) => (await one(sql)).n!;
  const columns = `name, measure_code, sector, budget_fte, unit_fte, rule_set, min_fill_rate, reference_from, reference_to,
                   deadline, effective_from, status, distributed_at`;
  const calls = await one(
    `WITH written AS (
       INSERT INTO ${SE}.growth_path_call (id, ${columns})
       SELECT id, ${columns} FROM import_gp_call
       ON CONFLICT (id) DO UPDATE SET ${columns
         .split(',')
         .map((c) => `${c.trim()} = EXCLUDED.${c.trim()}`)
         .join(', ')}
        WHERE (${columns
          .split(',')
          .map((c) => `growth_path_call.${c.trim()}`)
          .join(', ')}) IS DISTINCT FROM (${columns
          .split(',')
          .map((c) => `EXCLUDED.${c.trim()}`)
          .join(', ')})
       RETURNING xmax = 0 AS inserted)
     SELECT ${UPSERT_COUNTS} FROM written`,
  );
  await q(
    `DELETE FROM ${SE}.growth_path_province_weight x USING import_gp_call c
      WHERE x.call_id = c.id AND NOT EXISTS (
        SELECT 1 FROM import_gp_weight w WHERE w.call_id = x.call_id AND w.province_code = x.province_code)`,
  );
  await q(
    `INSERT INTO ${SE}.growth_path_province_weight (call_id, province_code, weight)
     SELECT call_id, province_code, weight FROM import_gp_weight
     ON CONFLICT (call_id, province_code) DO UPDATE SET weight = EXCLUDED.weight
      WHERE growth_path_province_weight.weight <> EXCLUDED.weight`,
  );
  // Applications no longer in a named call go, with their allocation and growth-path contingent.
  const gone = `SELECT x.id FROM ${SE}.growth_path_application x JOIN import_gp_call c ON c.id = x.call_id
                 WHERE NOT EXISTS (SELECT 1 FROM import_gp_application a WHERE a.call_id = x.call_id AND a.kbo = x.kbo)`;
  await q(`DELETE FROM ${SE}.contingent WHERE reason = 'GROWTH_PATH' AND allocation_id IN (${gone})`);
  await q(`DELETE FROM ${SE}.growth_path_allocation WHERE application_id IN (${gone})`);
  const applicationsRemoved = await n(
    `WITH removed AS (DELETE FROM ${SE}.growth_path_application WHERE id IN (${gone}) RETURNING 1)
     SELECT count(*)::int AS n FROM removed`,
  );
  const applications = await one(
    `WITH written AS (
       INSERT INTO ${SE}.growth_path_application (call_id, kbo, requested_fte, submitted_on)
       SELECT call_id, kbo, requested_fte, submitted_on FROM import_gp_application ORDER BY line, item
       ON CONFLICT (call_id, kbo) DO UPDATE SET requested_fte = EXCLUDED.requested_fte, submitted_on = EXCLUDED.submitted_on
        WHERE (growth_path_application.requested_fte, growth_path_application.submitted_on)
              IS DISTINCT FROM (EXCLUDED.requested_fte, EXCLUDED.submitted_on)
       RETURNING xmax = 0 AS inserted)
     SELECT ${UPSERT_COUNTS} FROM written`,
  );
  await q(`ALTER TABLE import_gp_application ADD COLUMN application_id bigint`);
  await q(
    `UPDATE import_gp_application a SET application_id = x.id FROM ${SE}.growth_path_application x
      WHERE x.call_id = a.call_id AND x.kbo = a.kbo`,
  );
  // Allocations and their contingent rows, as distributeGrowthPath writes them.
  const allocationsRemoved = await n(
    `WITH removed AS (
       DELETE FROM ${SE}.growth_path_allocation x USING import_gp_application a
        WHERE x.application_id = a.application_id AND (a.allocated_fte IS NULL OR
              (x.fte, x.rule, x.explanation) IS DISTINCT FROM (a.allocated_fte, a.rule, a.explanation))
       RETURNING 1)
     SELECT count(*)::int AS n FROM removed`,
  );
  const allocationsWritten = await n(
    `WITH written AS (
       INSERT INTO ${SE}.growth_path_allocation (application_id, call_id, fte, rule, explanation)
       SELECT application_id, call_id, allocated_fte, rule, explanation FROM import_gp_application
        WHERE allocated_fte IS NOT NULL ORDER BY line, item
       ON CONFLICT (application_id) DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS n FROM written`,
  );
  const wanted = `SELECT application_id, kbo, measure_code, allocated_fte AS fte, effective_from FROM import_gp_application
                   WHERE allocated_fte > 0`;
  const contingentsRemoved = await n(
    `WITH removed AS (
       DELETE FROM ${SE}.contingent x USING import_gp_application a
        WHERE x.reason = 'GROWTH_PATH' AND x.allocation_id = a.application_id
          AND NOT EXISTS (SELECT 1 FROM (${wanted}) w
                           WHERE (w.application_id, w.kbo, w.measure_code, w.fte, w.effective_from)
                                 = (x.allocation_id, x.kbo, x.measure_code, x.fte, x.valid_from) AND x.valid_to IS NULL)
       RETURNING 1)
     SELECT count(*)::int AS n FROM removed`,
  );
  const contingentsWritten = await n(
    `WITH written AS (
       INSERT INTO ${SE}.contingent (kbo, measure_code, fte, valid_from, reason, allocation_id)
       SELECT w.kbo, w.measure_code, w.fte, w.effective_from, 'GROWTH_PATH', w.application_id FROM (${wanted}) w
        WHERE NOT EXISTS (SELECT 1 FROM ${SE}.contingent x WHERE x.reason = 'GROWTH_PATH' AND x.allocation_id = w.application_id)
        ORDER BY w.application_id
       RETURNING 1)
     SELECT count(*)::int AS n FROM written`,
  );
  return {
    inserted: calls.inserted!,
    updated: calls.updated!,
    applicationsInserted: applications.inserted!,
    applicationsUpdated: applications.updated!,
    applicationsRemoved,
    allocationsWritten,
    allocationsRemoved,
    contingentsWritten,
    contingentsRemoved,
  };
}
