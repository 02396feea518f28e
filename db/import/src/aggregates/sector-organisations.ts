import { badInput, DomainError } from '@measure-graph/errors';
import type { FileContext } from '../context.ts';
import { readJsonLines, rule, schemaValidator } from '../rows.ts';
import type { StagingTable } from '../staging.ts';
import { check, inTransaction, UPSERT_COUNTS } from './common.ts';
import { checkKbo } from './organisations.ts';
import { checkRegistryRefs, finishStaging, notInFuture, REGISTRY_REFS, SE, sectorDatabases } from './sector-common.ts';

export interface SectorOrganisationRow {
  kboNumber: string;
  sector: 'BW' | 'SW' | 'LDE';
  provinceCode: string;
  mergedOn?: string;
  labels: Array<{ label: string; validFrom: string; validTo?: string }>;
  actionPlans?: Array<{ year: number; submittedOn: string }>;
}

const ORGS: StagingTable = {
  name: 'import_sector_org',
  columns: [
    ['line', 'int'],
    ['kbo', 'text'],
    ['sector', 'text'],
    ['province_code', 'text'],
    ['merged_on', 'date'],
  ],
};
const LABELS: StagingTable = {
  name: 'import_sector_label',
  columns: [
    ['line', 'int'],
    ['kbo', 'text'],
    ['label', 'text'],
    ['valid_from', 'date'],
    ['valid_to', 'date'],
  ],
};
const PLANS: StagingTable = {
  name: 'import_action_plan',
  columns: [
    ['line', 'int'],
    ['kbo', 'text'],
    ['year', 'int'],
    ['submitted_on', 'date'],
  ],
};

let validate: ReturnType<typeof schemaValidator> | undefined;

/**
 * sector-organisations.jsonl into social_economy.sector_organisation, sector_label and
 * lde_action_plan, by KBO number. Labels and action plans of a named organisation become the row's.
 */
export async function loadSectorOrganisations(ctx: FileContext): Promise<boolean> {
  validate ??= schemaValidator('sector-organisations');
  const today = ctx.now.slice(0, 10);
  const dbs = await sectorDatabases(ctx);
  return inTransaction(dbs.all, async () => {
    const sector = dbs.stagerOf(dbs.sector);
    const refs = dbs.stagerOf(dbs.registry);
    for (const t of [ORGS, LABELS, PLANS]) await sector.create(t);
    await refs.create(REGISTRY_REFS);
    for await (const { line, row } of readJsonLines<SectorOrganisationRow>(
      ctx.path,
      validate!,
      ctx.errors,
      ctx.counter,
    )) {
      const before = ctx.errors.count;
      const kbo = rule(ctx.errors, line, 'kboNumber', () => checkKbo(row.kboNumber, 'kboNumber'));
      const mergedOn =
        row.mergedOn === undefined
          ? null
          : rule(ctx.errors, line, 'mergedOn', () => {
              if (row.sector !== 'LDE') throw badInput(`only an LDE initiative merges (this is ${row.sector})`);
              return notInFuture(row.mergedOn!, 'mergedOn', today);
            });
      const labels = [...row.labels.entries()].sort((a, b) => a[1].validFrom.localeCompare(b[1].validFrom));
      for (const [k, [i, l]] of labels.entries()) {
        if (l.validTo !== undefined && l.validTo < l.validFrom) {
          ctx.errors.add(line, `labels[${i}].validTo`, `must not be before validFrom (${l.validFrom})`);
        }
        const previous = labels[k - 1];
        if (previous && (previous[1].validTo === undefined || previous[1].validTo >= l.validFrom)) {
          ctx.errors.add(
            line,
            `labels[${i}].validFrom`,
            `overlaps labels[${previous[0]}] (valid from ${previous[1].validFrom}${previous[1].validTo ? ` to ${previous[1].validTo}` : ''})`,
          );
        }
      }
      const years = new Map<number, number>();
      for (const [i, p] of (row.actionPlans ?? []).entries()) {
        rule(ctx.errors, line, `actionPlans[${i}]`, () => {
          if (row.sector !== 'LDE') {
            throw new DomainError('CONFLICT', `Only an LDE initiative submits action plans (this is ${row.sector})`);
          }
        });
        rule(ctx.errors, line, `actionPlans[${i}].submittedOn`, () =>
          notInFuture(p.submittedOn, `actionPlans[${i}].submittedOn`, today),
        );
        const same = years.get(p.year);
        if (same !== undefined) ctx.errors.add(line, `actionPlans[${i}].year`, `the same year as actionPlans[${same}]`);
        else years.set(p.year, i);
      }
      if (ctx.errors.count > before || kbo === undefined || mergedOn === undefined) continue;
      await sector.add(ORGS, [line, kbo, row.sector, row.provinceCode, mergedOn]);
      for (const l of row.labels) await sector.add(LABELS, [line, kbo, l.label, l.validFrom, l.validTo ?? null]);
      for (const p of row.actionPlans ?? []) await sector.add(PLANS, [line, kbo, p.year, p.submittedOn]);
      await refs.add(REGISTRY_REFS, [line, 'kboNumber', kbo, null]);
      await refs.add(REGISTRY_REFS, [line, 'provinceCode', null, row.provinceCode]);
    }
    await finishStaging(dbs);
    await check(
      dbs.sector,
      ctx.errors,
      `SELECT line, 'kboNumber', first::text, NULL FROM (
         SELECT line, min(line) OVER (PARTITION BY kbo) AS first FROM import_sector_org) d WHERE line > first`,
      [],
      (r) => `the same organisation as line ${r.value}`,
    );
    await checkRegistryRefs(ctx, dbs.registry);
    if (ctx.errors.count > 0) return false;

    const q = async (sql: string) => (await dbs.sector.client.query(sql)).rows;
    const [orgs] = await q(
      `WITH written AS (
         INSERT INTO ${SE}.sector_organisation (kbo, sector, province_code, merged_on)
         SELECT kbo, sector, province_code, merged_on FROM import_sector_org
         ON CONFLICT (kbo) DO UPDATE SET sector = EXCLUDED.sector, province_code = EXCLUDED.province_code,
                                         merged_on = EXCLUDED.merged_on
          WHERE (sector_organisation.sector, sector_organisation.province_code, sector_organisation.merged_on)
                IS DISTINCT FROM (EXCLUDED.sector, EXCLUDED.province_code, EXCLUDED.merged_on)
         RETURNING xmax = 0 AS inserted)
       SELECT ${UPSERT_COUNTS} FROM written`,
    );
    // Labels and action plans of the named organisations become the file's.
    const [labelsRemoved] = await q(
      `WITH removed AS (
         DELETE FROM ${SE}.sector_label x USING import_sector_org o
          WHERE x.kbo = o.kbo AND NOT EXISTS (
            SELECT 1 FROM import_sector_label l
             WHERE l.kbo = x.kbo AND l.valid_from = x.valid_from AND l.label = x.label
               AND l.valid_to IS NOT DISTINCT FROM x.valid_to)
         RETURNING 1)
       SELECT count(*)::int AS n FROM removed`,
    );
    const [labelsWritten] = await q(
      `WITH written AS (
         INSERT INTO ${SE}.sector_label (kbo, label, valid_from, valid_to)
         SELECT kbo, label, valid_from, valid_to FROM import_sector_label
         ON CONFLICT (kbo, valid_from) DO NOTHING
         RETURNING 1)
       SELECT count(*)::int AS n FROM written`,
    );
    const [plansRemoved] = await q(
      `WITH removed AS (
         DELETE FROM ${SE}.lde_action_plan x USING import_sector_org o
          WHERE x.kbo = o.kbo AND NOT EXISTS (
            SELECT 1 FROM import_action_plan p WHERE p.kbo = x.kbo AND p.year = x.year AND p.submitted_on = x.submitted_on)
         RETURNING 1)
       SELECT count(*)::int AS n FROM removed`,
    );
    const [plansWritten] = await q(
      `WITH written AS (
         INSERT INTO ${SE}.lde_action_plan (kbo, year, submitted_on)
         SELECT kbo, year, submitted_on FROM import_action_plan ON CONFLICT (kbo, year) DO NOTHING
         RETURNING 1)
       SELECT count(*)::int AS n FROM written`,
    );
    Object.assign(ctx.counts, orgs, {
      unchanged: ctx.counter.rows - orgs.inserted - orgs.updated,
      labelsWritten: labelsWritten.n,
      labelsRemoved: labelsRemoved.n,
      actionPlansWritten: plansWritten.n,
      actionPlansRemoved: plansRemoved.n,
    });
    return true;
  });
}
