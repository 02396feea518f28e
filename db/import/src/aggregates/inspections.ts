import { notFound } from '@measure-graph/errors';
import {
  checkFinding,
  checkUnit,
  FOLLOW_UPS,
  KINDS,
  oneOf,
  OUTCOMES,
  parseDay,
  parseRecovery,
} from '@measure-graph/inspection/inspection-store';
import { REGISTRY, type FileContext } from '../context.ts';
import type { Database } from '../databases.ts';
import type { ErrorCollector } from '../report.ts';
import { readJsonLines, rule, schemaValidator } from '../rows.ts';
import { Stager, type StagedValue, type StagingTable } from '../staging.ts';
import { check, inTransaction, UPSERT_COUNTS } from './common.ts';
import { checkKbo } from './organisations.ts';

/** Name of the inspection subgraph, which holds the inspections. */
export const INSPECTION = 'inspection';

export interface InspectionRow {
  sourceRef: string;
  kbo: string;
  domainCode: string;
  inspectedOn: string;
  kind: string;
  unit: string;
  outcome?: string;
  recordedOn?: string;
  proposedRecovery?: string;
  followUp?: string;
  followUpOn?: string;
  findings?: Array<{ ruleCode: string; description: string }>;
}

/** The fields of the outcome (recordOutcome's input): none of them without an outcome. */
const OUTCOME_FIELDS = ['recordedOn', 'proposedRecovery', 'followUp', 'followUpOn', 'findings'] as const;

/**
 * The rules of recordInspection and recordOutcome that need no database, applied to one row field
 * by field with the inspection subgraph's own functions. Returns the staged values after the line,
 * or undefined when any rule refused the row.
 */
export function checkInspectionRow(
  row: InspectionRow,
  line: number,
  errors: ErrorCollector,
): { values: StagedValue[]; findings: Array<{ ruleCode: string; description: string }> } | undefined {
  const before = errors.count;
  const kbo = rule(errors, line, 'kbo', () => checkKbo(row.kbo, 'kbo'));
  const inspectedOn = rule(errors, line, 'inspectedOn', () => parseDay(row.inspectedOn, 'inspectedOn'));
  rule(errors, line, 'kind', () => oneOf(row.kind, KINDS, 'kind'));
  rule(errors, line, 'unit', () => checkUnit(row.unit));
  let outcome: string | null = null;
  let recordedOn: string | null = null;
  let recovery: bigint | null = null;
  let followUp: string | null = null;
  const findings: Array<{ ruleCode: string; description: string }> = [];
  if (row.outcome === undefined) {
    for (const field of OUTCOME_FIELDS) {
      if (row[field] !== undefined) errors.add(line, field, 'belongs to an outcome: give outcome too, or leave it out');
    }
  } else {
    outcome = rule(errors, line, 'outcome', () => oneOf(row.outcome!, OUTCOMES, 'outcome')) ?? null;
    followUp = rule(errors, line, 'followUp', () => oneOf(row.followUp ?? 'NONE', FOLLOW_UPS, 'followUp')) ?? null;
    if (row.proposedRecovery !== undefined) {
      recovery = rule(errors, line, 'proposedRecovery', () => parseRecovery(row.proposedRecovery!)) ?? null;
    }
    if (row.recordedOn === undefined) errors.add(line, 'recordedOn', 'is required with an outcome');
    else recordedOn = rule(errors, line, 'recordedOn', () => parseDay(row.recordedOn!, 'recordedOn')) ?? null;
    if (recordedOn !== null && inspectedOn !== undefined && recordedOn < inspectedOn) {
      errors.add(line, 'recordedOn', 'must not be before the inspection');
    }
    const seen = new Map<string, number>();
    for (const [i, f] of (row.findings ?? []).entries()) {
      const finding = rule(errors, line, `findings[${i}]`, () => checkFinding(f));
      if (!finding) continue;
      // A finding is known by its rule and description: a second identical one could not be told apart.
      const key = JSON.stringify(finding);
      const same = seen.get(key);
      if (same !== undefined) errors.add(line, `findings[${i}]`, `is the same finding as findings[${same}]`);
      else seen.set(key, i);
      findings.push(finding);
    }
  }
  if (errors.count > before) return undefined;
  return {
    values: [
      row.sourceRef,
      kbo!,
      row.domainCode,
      inspectedOn!,
      row.kind,
      row.unit,
      outcome,
      recovery === null ? null : recovery.toString(),
      followUp,
      row.followUpOn ?? null,
      recordedOn,
    ],
    findings,
  };
}

const INSPECTIONS: StagingTable = {
  name: 'import_inspection',
  columns: [
    ['line', 'int'],
    ['source_ref', 'text'],
    ['kbo', 'text'],
    ['domain_code', 'text'],
    ['inspected_on', 'date'],
    ['kind', 'text'],
    ['unit', 'text'],
    ['outcome', 'text'],
    ['proposed_recovery_cents', 'bigint'],
    ['follow_up', 'text'],
    ['follow_up_on', 'date'],
    ['outcome_recorded_on', 'date'],
  ],
};
const FINDINGS: StagingTable = {
  name: 'import_inspection_finding',
  columns: [
    ['line', 'int'],
    ['rule_code', 'text'],
    ['description', 'text'],
  ],
};
/** The inspected organisations, staged where the registry is. */
const ORGANISATIONS: StagingTable = {
  name: 'import_inspected',
  columns: [
    ['line', 'int'],
    ['kbo', 'text'],
  ],
};

let validate: ReturnType<typeof schemaValidator> | undefined;

/**
 * inspections.jsonl into inspection.inspection and inspection_finding, by sourceRef. One
 * transaction per database for the whole file.
 */
export async function loadInspections(ctx: FileContext): Promise<boolean> {
  validate ??= schemaValidator('inspections');
  const registry = await ctx.databases.of(REGISTRY);
  const db = await ctx.databases.of(INSPECTION);
  return inTransaction([registry, db], async () => {
    const stager = new Stager(db.client, db.staging);
    await stager.create(INSPECTIONS);
    await stager.create(FINDINGS);
    const parties = registry === db ? stager : new Stager(registry.client, registry.staging);
    await parties.create(ORGANISATIONS);
    for await (const { line, row } of readJsonLines<InspectionRow>(ctx.path, validate!, ctx.errors, ctx.counter)) {
      const checked = checkInspectionRow(row, line, ctx.errors);
      if (!checked) continue;
      await stager.add(INSPECTIONS, [line, ...checked.values]);
      for (const f of checked.findings) await stager.add(FINDINGS, [line, f.ruleCode, f.description]);
      await parties.add(ORGANISATIONS, [line, checked.values[1]!]);
    }
    await stager.finish();
    if (parties !== stager) await parties.finish();

    await check(
      registry,
      ctx.errors,
      `SELECT p.line, 'kbo', p.kbo, NULL FROM import_inspected p
        WHERE NOT EXISTS (SELECT 1 FROM registry.organisation o WHERE o.kbo_number = p.kbo)`,
      [],
      (r) => notFound('Organisation', 'kbo', r.value!).message,
    );
    await check(
      db,
      ctx.errors,
      `SELECT line, 'sourceRef', first::text, NULL FROM (
         SELECT line, min(line) OVER (PARTITION BY source_ref) AS first FROM import_inspection) d
        WHERE line > first`,
      [],
      (r) => `the same inspection as line ${r.value}`,
    );
    await check(
      db,
      ctx.errors,
      `SELECT i.line, 'domainCode', i.domain_code, NULL FROM import_inspection i
        WHERE NOT EXISTS (SELECT 1 FROM inspection.control_domain c WHERE c.code = i.domain_code)`,
      [],
      (r) => notFound('Control domain', 'domainCode', r.value!).message,
    );
    if (ctx.errors.count > 0) return false;
    Object.assign(ctx.counts, await writeInspections(db));
    ctx.counts.unchanged = ctx.counter.rows - ctx.counts.inserted! - ctx.counts.updated!;
    return true;
  });
}

/** Upsert by source_ref (the measure is the control domain's, as recordInspection writes it), then the findings become the file's. */
async function writeInspections(db: Database): Promise<Record<string, number>> {
  const q = async (sql: string) => (await db.client.query(sql)).rows;
  const columns = [
    'kbo',
    'domain_code',
    'measure_code',
    'inspected_on',
    'kind',
    'unit',
    'outcome',
    'proposed_recovery_cents',
    'follow_up',
    'follow_up_on',
    'outcome_recorded_on',
  ];
  const [inspections] = await q(
    `WITH written AS (
       INSERT INTO inspection.inspection (source_ref, ${columns.join(', ')})
       SELECT i.source_ref, ${columns.map((c) => (c === 'measure_code' ? 'c.measure_code' : `i.${c}`)).join(', ')}
         FROM import_inspection i JOIN inspection.control_domain c ON c.code = i.domain_code
       ON CONFLICT (source_ref) DO UPDATE SET ${columns.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
        WHERE (${columns.map((c) => `inspection.${c}`).join(', ')})
              IS DISTINCT FROM (${columns.map((c) => `EXCLUDED.${c}`).join(', ')})
       RETURNING xmax = 0 AS inserted)
     SELECT ${UPSERT_COUNTS} FROM written`,
  );
  const wanted = `
    SELECT x.id AS inspection_id, f.rule_code, f.description
      FROM import_inspection_finding f JOIN import_inspection i ON i.line = f.line
      JOIN inspection.inspection x ON x.source_ref = i.source_ref`;
  const [findingsRemoved] = await q(
    `WITH removed AS (
       DELETE FROM inspection.inspection_finding y USING import_inspection i, inspection.inspection x
        WHERE x.source_ref = i.source_ref AND y.inspection_id = x.id
          AND NOT EXISTS (SELECT 1 FROM (${wanted}) w
                           WHERE (w.inspection_id, w.rule_code, w.description) = (y.inspection_id, y.rule_code, y.description))
       RETURNING 1)
     SELECT count(*)::int AS n FROM removed`,
  );
  const [findingsWritten] = await q(
    `WITH written AS (
       INSERT INTO inspection.inspection_finding (inspection_id, rule_code, description)
       SELECT w.* FROM (${wanted}) w
        WHERE NOT EXISTS (SELECT 1 FROM inspection.inspection_finding y
                           WHERE (w.inspection_id, w.rule_code, w.description) = (y.inspection_id, y.rule_code, y.description))
       ORDER BY w.inspection_id
       RETURNING 1)
     SELECT count(*)::int AS n FROM written`,
  );
  return {
    inserted: inspections.inserted as number,
    updated: inspections.updated as number,
    findingsWritten: findingsWritten.n as number,
    findingsRemoved: findingsRemoved.n as number,
  };
}
