import { badInput, notFound } from '@measure-graph/errors';
import { parseAmountCents, parseLocalTime, parsePeriod } from '@measure-graph/measure-module/validation';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { REGISTRY, type DomainTarget, type FileContext } from '../context.ts';
import type { Database } from '../databases.ts';
import { readJsonLines, rule, schemaValidator } from '../rows.ts';
import { Stager, type StagedValue, type StagingTable } from '../staging.ts';
import { check, inTransaction, UPSERT_COUNTS } from './common.ts';

/**
 * The measure modules' money and registered figures: commitments.jsonl, budgets.jsonl and
 * registered-figures.jsonl into the commitment, budget_plan and registered_figure tables of each
 * measure's domain (the catalogue decides it, as for dossiers).
 */

interface CommitmentRow {
  sourceRef: string;
  measureCode: string;
  committedOn: string;
  amount: string;
}

interface BudgetRow {
  measureCode: string;
  year: number;
  vak?: string;
  vek?: string;
}

interface RegisteredFigureRow {
  measureCode: string;
  volumeId: string;
  period: string;
  value: string;
}

/** Budget amounts: euros as parseAmountCents reads them, and also zero (a budget of nothing). */
export function parseBudgetCents(value: string, field: string): bigint {
  if (/^0{1,12}(?:\.0{1,2})?$/.test(value.trim())) return 0n;
  return parseAmountCents(value, field);
}

/** A calendar date from 2000, not in the future: parseLocalTime's rule for a date alone. */
export function parseDate(value: string, field: string, now: string): string {
  return parseLocalTime(value, field, now).slice(0, 10);
}

/** What one file of this module needs to say about its rows. */
interface PerDomainFile<Row> {
  schema: string;
  table: StagingTable;
  /** The staged values after line and schema_name, or undefined when a row rule refused the row. */
  values: (row: Row, line: number, ctx: FileContext) => StagedValue[] | undefined;
  /** Set-based checks on one domain's staged rows ($1 is the domain's schema name). */
  checks: (ctx: FileContext, db: Database, target: DomainTarget) => Promise<void>;
  /** Writes one domain's staged rows; returns counts to add up over the domains. */
  upsert: (db: Database, target: DomainTarget) => Promise<Record<string, number>>;
}

const validators = new Map<string, ValidateFunction>();

/** The catalogue's domain of every measure whose domain is one of the import's targets. */
export async function measureDomains(ctx: FileContext): Promise<Map<string, DomainTarget>> {
  const registry = await ctx.databases.of(REGISTRY);
  const byDomain = new Map(ctx.domains.map((d) => [d.domain, d]));
  const { rows } = await registry.client.query<{ code: string; domain: string }>(
    'SELECT code, domain FROM registry.measure',
  );
  const catalogue = new Map<string, DomainTarget>();
  for (const m of rows) {
    const target = byDomain.get(m.domain);
    if (target) catalogue.set(m.code, target);
  }
  return catalogue;
}

/**
 * Loads a file whose rows each name a measure: staged in the measure's domain, checked there, then
 * upserted; one transaction per database for the whole file, written everywhere or nowhere.
 */
async function loadPerDomain<Row extends { measureCode: string }>(
  ctx: FileContext,
  file: PerDomainFile<Row>,
): Promise<boolean> {
  let validate = validators.get(file.schema);
  if (!validate) validators.set(file.schema, (validate = schemaValidator(file.schema)));
  const catalogue = await measureDomains(ctx);
  const databaseOf = new Map<DomainTarget, Database>();
  for (const d of ctx.domains) databaseOf.set(d, await ctx.databases.of(d.subgraph));
  const all = [...databaseOf.values()];

  return inTransaction(all, async () => {
    const stagers = new Map<Database, Stager>();
    for (const db of new Set(all)) {
      const stager = new Stager(db.client, db.staging);
      await stager.create(file.table);
      stagers.set(db, stager);
    }
    const used = new Set<DomainTarget>();
    for await (const { line, row } of readJsonLines<Row>(ctx.path, validate, ctx.errors, ctx.counter)) {
      const target = catalogue.get(row.measureCode);
      if (!target) ctx.errors.add(line, 'measureCode', notFound('Measure', 'measureCode', row.measureCode).message);
      const values = file.values(row, line, ctx);
      if (!values || !target) continue;
      used.add(target);
      await stagers.get(databaseOf.get(target)!)!.add(file.table, [line, target.schema, ...values]);
    }
    for (const stager of stagers.values()) await stager.finish();
    for (const target of used) {
      const db = databaseOf.get(target)!;
      await check(
        db,
        ctx.errors,
        `SELECT i.line, 'measureCode', i.measure_code, NULL FROM ${file.table.name} i
          WHERE i.schema_name = $1
            AND NOT EXISTS (SELECT 1 FROM "${target.schema}".measure_module m WHERE m.code = i.measure_code)`,
        [target.schema],
        (r) => notFound(`Measure of the ${target.schema} domain`, 'measureCode', r.value!).message,
      );
      await file.checks(ctx, db, target);
    }
    if (ctx.errors.count > 0) return false;
    ctx.counts.inserted = 0;
    ctx.counts.updated = 0;
    for (const target of used) {
      const counts = await file.upsert(databaseOf.get(target)!, target);
      for (const [key, n] of Object.entries(counts)) ctx.counts[key] = (ctx.counts[key] ?? 0) + n;
    }
    ctx.counts.unchanged = ctx.counter.rows - ctx.counts.inserted - ctx.counts.updated;
    return true;
  });
}

/** A check refusing the later lines of a natural key that occurs more than once in one domain. */
function duplicates(
  ctx: FileContext,
  db: Database,
  target: DomainTarget,
  table: string,
  key: string,
  field: string,
  what: string,
) {
  return check(
    db,
    ctx.errors,
    `SELECT line, '${field}', first::text, NULL FROM (
       SELECT line, min(line) OVER (PARTITION BY ${key}) AS first FROM ${table} WHERE schema_name = $1) d
      WHERE line > first`,
    [target.schema],
    (r) => `the same ${what} as line ${r.value}`,
  );
}

async function upsert(db: Database, sql: string, schema: string): Promise<Record<string, number>> {
  const { rows } = await db.client.query(
    `WITH written AS (${sql} RETURNING xmax = 0 AS inserted)
     SELECT ${UPSERT_COUNTS} FROM written`,
    [schema],
  );
  return rows[0];
}

const COMMITMENTS: StagingTable = {
  name: 'import_commitment',
  columns: [
    ['line', 'int'],
    ['schema_name', 'text'],
    ['source_ref', 'text'],
    ['measure_code', 'text'],
    ['committed_on', 'date'],
    ['amount_cents', 'bigint'],
  ],
};

/** commitments.jsonl into each domain's commitment table, by sourceRef (commitment.source_ref). */
export function loadCommitments(ctx: FileContext): Promise<boolean> {
  return loadPerDomain<CommitmentRow>(ctx, {
    schema: 'commitments',
    table: COMMITMENTS,
    values: (row, line) => {
      const on = rule(ctx.errors, line, 'committedOn', () => parseDate(row.committedOn, 'committedOn', ctx.now));
      const cents = rule(ctx.errors, line, 'amount', () => parseAmountCents(row.amount, 'amount'));
      if (on === undefined || cents === undefined) return undefined;
      return [row.sourceRef, row.measureCode, on, cents.toString()];
    },
    checks: (c, db, target) =>
      duplicates(
        c,
        db,
        target,
        'import_commitment',
        'source_ref',
        'sourceRef',
        'commitment (a sourceRef is unique within a domain)',
      ),
    upsert: (db, target) => {
      const s = `"${target.schema}"`;
      return upsert(
        db,
        `INSERT INTO ${s}.commitment (source_ref, measure_code, committed_on, amount_cents)
         SELECT source_ref, measure_code, committed_on, amount_cents FROM import_commitment WHERE schema_name = $1
         ON CONFLICT (source_ref) DO UPDATE SET measure_code = EXCLUDED.measure_code,
           committed_on = EXCLUDED.committed_on, amount_cents = EXCLUDED.amount_cents
          WHERE (commitment.measure_code, commitment.committed_on, commitment.amount_cents)
                IS DISTINCT FROM (EXCLUDED.measure_code, EXCLUDED.committed_on, EXCLUDED.amount_cents)`,
        target.schema,
      );
    },
  });
}

const BUDGETS: StagingTable = {
  name: 'import_budget',
  columns: [
    ['line', 'int'],
    ['schema_name', 'text'],
    ['measure_code', 'text'],
    ['year', 'int'],
    ['vak_cents', 'bigint'],
    ['vek_cents', 'bigint'],
  ],
};

/** budgets.jsonl into each domain's budget_plan, by measure and year. */
export function loadBudgets(ctx: FileContext): Promise<boolean> {
  return loadPerDomain<BudgetRow>(ctx, {
    schema: 'budgets',
    table: BUDGETS,
    values: (row, line) => {
      const amount = (field: 'vak' | 'vek') =>
        row[field] === undefined ? null : rule(ctx.errors, line, field, () => parseBudgetCents(row[field]!, field));
      const vak = amount('vak');
      const vek = amount('vek');
      if (vak === undefined || vek === undefined) return undefined;
      return [row.measureCode, row.year, vak === null ? null : vak.toString(), vek === null ? null : vek.toString()];
    },
    checks: (c, db, target) =>
      duplicates(c, db, target, 'import_budget', 'measure_code, year', 'year', 'budget (measureCode and year)'),
    upsert: (db, target) => {
      const s = `"${target.schema}"`;
      return upsert(
        db,
        `INSERT INTO ${s}.budget_plan (measure_code, year, vak_cents, vek_cents)
         SELECT measure_code, year, vak_cents, vek_cents FROM import_budget WHERE schema_name = $1
         ON CONFLICT (measure_code, year) DO UPDATE SET vak_cents = EXCLUDED.vak_cents, vek_cents = EXCLUDED.vek_cents
          WHERE (budget_plan.vak_cents, budget_plan.vek_cents) IS DISTINCT FROM (EXCLUDED.vak_cents, EXCLUDED.vek_cents)`,
        target.schema,
      );
    },
  });
}

const FIGURES: StagingTable = {
  name: 'import_registered_figure',
  columns: [
    ['line', 'int'],
    ['schema_name', 'text'],
    ['measure_code', 'text'],
    ['volume_id', 'text'],
    ['period', 'date'],
    ['value', 'numeric(14, 4)'],
  ],
};

/** registered-figures.jsonl into each domain's registered_figure, by volume row and period. */
export function loadRegisteredFigures(ctx: FileContext): Promise<boolean> {
  return loadPerDomain<RegisteredFigureRow>(ctx, {
    schema: 'registered-figures',
    table: FIGURES,
    values: (row, line) => {
      const period = rule(ctx.errors, line, 'period', () => {
        const month = parsePeriod(row.period, 'period');
        if (month < '2000-01-01') throw badInput('period must not be before 2000', 'period');
        if (month > ctx.now.slice(0, 10)) throw badInput('period must not be in the future', 'period');
        return month;
      });
      if (period === undefined) return undefined;
      return [row.measureCode, row.volumeId, period, row.value];
    },
    checks: async (c, db, target) => {
      await duplicates(
        c,
        db,
        target,
        'import_registered_figure',
        'volume_id, period',
        'period',
        'figure (volumeId and period)',
      );
      await check(
        db,
        c.errors,
        `SELECT i.line, 'volumeId', i.volume_id, i.measure_code || ':' || coalesce(v.measure_code, '') || ':' || coalesce(v.metric, '')
           FROM import_registered_figure i LEFT JOIN "${target.schema}".volume_definition v ON v.id = i.volume_id
          WHERE i.schema_name = $1 AND (v.id IS NULL OR v.measure_code <> i.measure_code OR v.metric <> 'REGISTERED')`,
        [target.schema],
        (r) => {
          const [measure, owner, metric] = r.detail!.split(':') as [string, string, string];
          if (!owner) return notFound(`Volume row of ${measure}`, 'volumeId', r.value!).message;
          if (owner !== measure) return `"${r.value}" is a volume row of ${owner}, not of ${measure}`;
          return `"${r.value}" is computed from the dossiers (${metric}), not a registered figure`;
        },
      );
    },
    upsert: (db, target) => {
      const s = `"${target.schema}"`;
      return upsert(
        db,
        `INSERT INTO ${s}.registered_figure (volume_id, period, value)
         SELECT volume_id, period, value FROM import_registered_figure WHERE schema_name = $1
         ON CONFLICT (volume_id, period) DO UPDATE SET value = EXCLUDED.value
          WHERE registered_figure.value IS DISTINCT FROM EXCLUDED.value`,
        target.schema,
      );
    },
  });
}
