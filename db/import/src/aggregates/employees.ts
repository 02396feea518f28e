import { evaluationYear, notBefore } from '@measure-graph/social-economy/sector/rules';
import type { FileContext } from '../context.ts';
import { readJsonLines, rule, schemaValidator } from '../rows.ts';
import type { StagingTable } from '../staging.ts';
import { check, inTransaction, UPSERT_COUNTS } from './common.ts';
import { checkKbo } from './organisations.ts';
import {
  checkPersonRefs,
  finishStaging,
  notInFuture,
  notInSector,
  PERSON_REFS,
  SE,
  sectorDatabases,
} from './sector-common.ts';

export interface EmployeeRow {
  ref: string;
  personId: string;
  kboNumber: string;
  startedOn: string;
  endedOn?: string;
  supportPackage: string;
  nextEvaluationOn?: string;
  popFormalisedOn?: string;
  sampledForEvaluation?: number[];
}

const EMPLOYEES: StagingTable = {
  name: 'import_employee',
  columns: [
    ['line', 'int'],
    ['ref', 'text'],
    ['person_id', 'text'],
    ['kbo', 'text'],
    ['started_on', 'date'],
    ['ended_on', 'date'],
    ['support_package', 'text'],
    ['next_evaluation_on', 'date'],
    ['pop_formalised_on', 'date'],
  ],
};
const SAMPLES: StagingTable = {
  name: 'import_evaluation_sample',
  columns: [
    ['ref', 'text'],
    ['year', 'int'],
  ],
};

let validate: ReturnType<typeof schemaValidator> | undefined;

/**
 * employees.jsonl into social_economy.target_group_employee, by `ref` (source_ref), with the years
 * the employee was in VDAB's evaluation sample (social_economy.evaluation_sample): a line's years
 * are the truth, the others of its employee removed.
 */
export async function loadEmployees(ctx: FileContext): Promise<boolean> {
  validate ??= schemaValidator('employees');
  const today = ctx.now.slice(0, 10);
  const currentYear = Number(today.slice(0, 4));
  const dbs = await sectorDatabases(ctx);
  return inTransaction(dbs.all, async () => {
    const sector = dbs.stagerOf(dbs.sector);
    const refs = dbs.stagerOf(dbs.registry);
    for (const t of [EMPLOYEES, SAMPLES]) await sector.create(t);
    await refs.create(PERSON_REFS);
    for await (const { line, row } of readJsonLines<EmployeeRow>(ctx.path, validate!, ctx.errors, ctx.counter)) {
      const before = ctx.errors.count;
      const kbo = rule(ctx.errors, line, 'kboNumber', () => checkKbo(row.kboNumber, 'kboNumber'));
      rule(ctx.errors, line, 'startedOn', () => notInFuture(row.startedOn, 'startedOn', today));
      if (row.endedOn !== undefined) {
        rule(ctx.errors, line, 'endedOn', () => notBefore(row.endedOn!, 'endedOn', row.startedOn, 'startedOn'));
      }
      if (row.popFormalisedOn !== undefined) {
        rule(ctx.errors, line, 'popFormalisedOn', () => {
          notBefore(row.popFormalisedOn!, 'popFormalisedOn', row.startedOn, 'startedOn');
          return notInFuture(row.popFormalisedOn!, 'popFormalisedOn', today);
        });
      }
      if (row.nextEvaluationOn !== undefined) {
        rule(ctx.errors, line, 'nextEvaluationOn', () =>
          notBefore(row.nextEvaluationOn!, 'nextEvaluationOn', row.startedOn, 'startedOn'),
        );
      }
      const years = new Map<number, number>();
      for (const [i, year] of (row.sampledForEvaluation ?? []).entries()) {
        const field = `sampledForEvaluation[${i}]`;
        rule(ctx.errors, line, field, () => evaluationYear(year, row.startedOn, currentYear));
        const same = years.get(year);
        if (same !== undefined) ctx.errors.add(line, field, `the same year as sampledForEvaluation[${same}]`);
        else years.set(year, i);
      }
      if (ctx.errors.count > before || kbo === undefined) continue;
      await sector.add(EMPLOYEES, [
        line,
        row.ref,
        row.personId,
        kbo,
        row.startedOn,
        row.endedOn ?? null,
        row.supportPackage,
        row.nextEvaluationOn ?? null,
        row.popFormalisedOn ?? null,
      ]);
      for (const year of years.keys()) await sector.add(SAMPLES, [row.ref, year]);
      await refs.add(PERSON_REFS, [line, 'personId', row.personId]);
    }
    await finishStaging(dbs);
    await check(
      dbs.sector,
      ctx.errors,
      `SELECT line, 'ref', first::text, NULL FROM (
         SELECT line, min(line) OVER (PARTITION BY ref) AS first FROM import_employee) d WHERE line > first`,
      [],
      (r) => `the same ref as line ${r.value}`,
    );
    await checkPersonRefs(ctx, dbs.registry);
    await check(
      dbs.sector,
      ctx.errors,
      `SELECT e.line, 'kboNumber', e.kbo, NULL FROM import_employee e
        WHERE NOT EXISTS (SELECT 1 FROM ${SE}.sector_organisation o WHERE o.kbo = e.kbo)`,
      [],
      (r) => `${notInSector(r.value!, 'and employs no target-group employees')} (see sector-organisations.jsonl)`,
    );
    // The personal development plan (POP) is the LDE's.
    await check(
      dbs.sector,
      ctx.errors,
      `SELECT e.line, 'popFormalisedOn', o.sector, NULL FROM import_employee e
         JOIN ${SE}.sector_organisation o ON o.kbo = e.kbo
        WHERE e.pop_formalised_on IS NOT NULL AND o.sector <> 'LDE'`,
      [],
      (r) => `only for an employee of an LDE initiative (this organisation is of sector ${r.value})`,
    );
    if (ctx.errors.count > 0) return false;

    const q = async (sql: string) => (await dbs.sector.client.query(sql)).rows;
    const [employees] = await q(
      `WITH written AS (
         INSERT INTO ${SE}.target_group_employee
           (source_ref, person_id, kbo, started_on, ended_on, support_package, next_evaluation_on, pop_formalised_on)
         SELECT ref, person_id, kbo, started_on, ended_on, support_package, next_evaluation_on, pop_formalised_on
           FROM import_employee ORDER BY line
         ON CONFLICT (source_ref) DO UPDATE SET person_id = EXCLUDED.person_id, kbo = EXCLUDED.kbo,
           started_on = EXCLUDED.started_on, ended_on = EXCLUDED.ended_on, support_package = EXCLUDED.support_package,
           next_evaluation_on = EXCLUDED.next_evaluation_on, pop_formalised_on = EXCLUDED.pop_formalised_on
          WHERE (target_group_employee.person_id, target_group_employee.kbo, target_group_employee.started_on,
                 target_group_employee.ended_on, target_group_employee.support_package,
                 target_group_employee.next_evaluation_on, target_group_employee.pop_formalised_on)
                IS DISTINCT FROM (EXCLUDED.person_id, EXCLUDED.kbo, EXCLUDED.started_on, EXCLUDED.ended_on,
                                  EXCLUDED.support_package, EXCLUDED.next_evaluation_on, EXCLUDED.pop_formalised_on)
         RETURNING xmax = 0 AS inserted)
       SELECT ${UPSERT_COUNTS} FROM written`,
    );
    const [samplesRemoved] = await q(
      `WITH removed AS (
         DELETE FROM ${SE}.evaluation_sample s USING ${SE}.target_group_employee e, import_employee i
          WHERE s.employee_id = e.id AND e.source_ref = i.ref
            AND NOT EXISTS (SELECT 1 FROM import_evaluation_sample x WHERE x.ref = i.ref AND x.year = s.year)
         RETURNING 1)
       SELECT count(*)::int AS n FROM removed`,
    );
    const [samplesInserted] = await q(
      `WITH written AS (
         INSERT INTO ${SE}.evaluation_sample (employee_id, year)
         SELECT e.id, x.year FROM import_evaluation_sample x JOIN ${SE}.target_group_employee e ON e.source_ref = x.ref
         ON CONFLICT DO NOTHING
         RETURNING 1)
       SELECT count(*)::int AS n FROM written`,
    );
    Object.assign(ctx.counts, {
      employeesInserted: employees.inserted,
      employeesUpdated: employees.updated,
      samplesInserted: samplesInserted.n,
      samplesRemoved: samplesRemoved.n,
    });
    return true;
  });
}
