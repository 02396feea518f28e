import { EVENT_OF_ACTION, FOLLOW_UP_EVENTS } from '@measure-graph/measure-module/lifecycle';
import { PAYMENT_KINDS } from '@measure-graph/measure-module/dossier-commands';
import { normRuleProblem } from '@measure-graph/measure-module/norm-rules';
import {
  writeDomainCatalogue,
  writeInspectionCatalogue,
  writeRegistryCatalogue,
  type MeasureLine,
  type Query,
} from '../catalogue.ts';
import { REGISTRY, type DomainTarget, type FileContext } from '../context.ts';
import type { Database } from '../databases.ts';
import type { ErrorCollector } from '../report.ts';
import { readJsonLines, schemaValidator } from '../rows.ts';
import { inTransaction } from './common.ts';

/** The subgraph that keeps a catalogue of every domain's measures (code and domain) beside its own. */
export const INSPECTION = 'inspection';

/** Event types of the lifecycle: what ends a norm's clock or what a card row counts. */
const EVENT_TYPES = new Set([
  'RECEIVED',
  'FILE_COMPLETED',
  ...Object.values(EVENT_OF_ACTION),
  ...Object.keys(FOLLOW_UP_EVENTS),
]);

let validate: ReturnType<typeof schemaValidator> | undefined;

/** A row of a measure the file lists (card row or norm), where it is and what it holds. */
interface KeyedRow {
  line: number;
  field: string;
  id: string;
  measureCode: string;
  position: number;
  overviewRowId: string | null;
}

/** A stored row of the same kind. */
interface StoredRow {
  id: string;
  measure_code: string;
  position: number;
  overview_row_id?: string | null;
}

const notAll = (values: readonly string[] | null | undefined, allowed: ReadonlySet<string> | readonly string[]) => {
  const set = new Set(allowed);
  return (values ?? []).filter((v) => !set.has(v));
};

/** The checks of one line that need no database; errors go to `errors`. */
function checkLine(m: MeasureLine, line: number, errors: ErrorCollector, domains: ReadonlySet<string>): void {
  if (!domains.has(m.domain)) {
    errors.add(line, 'domain', `is not a domain of this graph (${[...domains].join(', ')})`);
  }
  const kinds = new Set(m.dossierKinds);
  m.cardRows.forEach((row, i) => {
    const at = `cardRows[${i}]`;
    const badKinds = notAll(row.kinds, kinds);
    if (badKinds.length > 0) errors.add(line, `${at}.kinds`, `${badKinds.join(', ')}: not one of dossierKinds`);
    const badEvents = notAll(row.eventTypes, EVENT_TYPES);
    if (badEvents.length > 0)
      errors.add(line, `${at}.eventTypes`, `${badEvents.join(', ')}: not a lifecycle event type`);
    const badPayments = notAll(row.paymentKinds, PAYMENT_KINDS);
    if (badPayments.length > 0) {
      errors.add(line, `${at}.paymentKinds`, `${badPayments.join(', ')}: not one of ${PAYMENT_KINDS.join(', ')}`);
    }
  });
  m.norms.forEach((norm, i) => {
    const at = `norms[${i}]`;
    const badEnds = notAll(norm.endTypes, EVENT_TYPES);
    if (badEnds.length > 0) errors.add(line, `${at}.endTypes`, `${badEnds.join(', ')}: not a lifecycle event type`);
    const payments = norm.endTypes.includes('PAID');
    if (payments && norm.endTypes.length > 1) {
      errors.add(line, `${at}.endTypes`, 'PAID counts payments: it cannot be combined with other event types');
    }
    const badKinds = notAll(norm.kinds, payments ? PAYMENT_KINDS : kinds);
    if (badKinds.length > 0) {
      const of = payments ? `payment kinds (${PAYMENT_KINDS.join(', ')})` : 'dossierKinds';
      errors.add(line, `${at}.kinds`, `${badKinds.join(', ')}: not one of ${of}`);
    }
    const problem = normRuleProblem(norm.rule);
    if (problem) {
      const field = problem.field ? `${at}.rule.${problem.field}` : `${at}.rule`;
      errors.add(line, field, `${problem.reason}: the norm results cannot evaluate this rule`);
    }
  });
}

/** Within the file: one line per code and per position, one row per id and per overview row. */
function checkUnique(lines: ReadonlyArray<{ line: number; m: MeasureLine }>, errors: ErrorCollector): void {
  const first = (key: string, line: number, field: string, seen: Map<string, number>, what: string) => {
    const at = seen.get(key);
    if (at === undefined) seen.set(key, line);
    else errors.add(line, field, `${what} as line ${at}`);
  };
  const codes = new Map<string, number>();
  const positions = new Map<string, number>();
  const ids = new Map<string, number>();
  const rows = new Map<string, number>();
  for (const { line, m } of lines) {
    first(m.code, line, 'code', codes, 'the same measure');
    first(String(m.position), line, 'position', positions, 'the same position');
    m.cardRows.forEach((r, i) => first(`V ${r.id}`, line, `cardRows[${i}].id`, ids, 'the same card row id'));
    m.norms.forEach((n, i) => {
      first(`N ${n.id}`, line, `norms[${i}].id`, ids, 'the same norm id');
      if (n.overviewRowId) first(n.overviewRowId, line, `norms[${i}].overviewRowId`, rows, 'the same overview row');
    });
  }
}

/**
 * Rows the file lists against the stored ones: an id stays with its measure, and a position or an
 * overview row held by a stored row the file does not list cannot be taken.
 */
function checkStored(file: readonly KeyedRow[], stored: readonly StoredRow[], what: string, errors: ErrorCollector) {
  const listed = new Set(file.map((r) => r.id));
  const byId = new Map(stored.map((s) => [s.id, s]));
  const others = stored.filter((s) => !listed.has(s.id));
  const atPosition = new Map(others.map((s) => [`${s.measure_code} ${s.position}`, s.id]));
  const atRow = new Map(others.filter((s) => s.overview_row_id).map((s) => [s.overview_row_id!, s.id]));
  for (const r of file) {
    const existing = byId.get(r.id);
    if (existing && existing.measure_code !== r.measureCode) {
      errors.add(
        r.line,
        `${r.field}.id`,
        `is a ${what} of ${existing.measure_code} already: an id stays with its measure`,
      );
    }
    const holder = atPosition.get(`${r.measureCode} ${r.position}`);
    if (holder) {
      errors.add(
        r.line,
        `${r.field}.id`,
        `position ${r.position} of ${r.measureCode} is ${what} ${holder}'s, which the file does not list`,
      );
    }
    const rowHolder = r.overviewRowId ? atRow.get(r.overviewRowId) : undefined;
    if (rowHolder) {
      errors.add(r.line, `${r.field}.overviewRowId`, `is ${what} ${rowHolder}'s, which the file does not list`);
    }
  }
}

const queryOf =
  (db: Database): Query =>
  async (sql, params) =>
    (await db.client.query(sql, params)).rows;

/**
 * measures.jsonl into the registry (measure, norm_index), each domain's measure modules
 * (measure_module, volume_definition, norm) and inspection's measure catalogue, by code and id. One
 * transaction per database for the whole file: it is written everywhere or nowhere.
 */
export async function loadMeasures(ctx: FileContext): Promise<boolean> {
  validate ??= schemaValidator('measures');
  const registry = await ctx.databases.of(REGISTRY);
  const byDomain = new Map(ctx.domains.map((d) => [d.domain, d]));
  const databaseOf = new Map<DomainTarget, Database>();
  for (const d of ctx.domains) databaseOf.set(d, await ctx.databases.of(d.subgraph));
  const inspection = ctx.domains.find((d) => d.subgraph === INSPECTION);
  const all = [registry, ...databaseOf.values()];

  return inTransaction(all, async () => {
    const lines: Array<{ line: number; m: MeasureLine }> = [];
    const domains = new Set(byDomain.keys());
    for await (const { line, row } of readJsonLines<MeasureLine>(ctx.path, validate!, ctx.errors, ctx.counter)) {
      checkLine(row, line, ctx.errors, domains);
      lines.push({ line, m: row });
    }
    checkUnique(lines, ctx.errors);
    if (ctx.errors.count > 0) return false;

    // The stored catalogue, to check what the file would change in it (a catalogue is small).
    const q = queryOf(registry);
    const stored = (await q('SELECT code, domain, position FROM registry.measure')) as Array<{
      code: string;
      domain: string;
      position: number;
    }>;
    const storedByCode = new Map(stored.map((s) => [s.code, s]));
    const listed = new Set(lines.map((l) => l.m.code));
    const positionHolder = new Map(stored.filter((s) => !listed.has(s.code)).map((s) => [s.position, s.code]));
    for (const { line, m } of lines) {
      const before = storedByCode.get(m.code);
      if (before && before.domain !== m.domain) {
        ctx.errors.add(
          line,
          'domain',
          `${m.code} is a measure of ${before.domain} already: its module and dossiers are there, it cannot move`,
        );
      }
      const holder = positionHolder.get(m.position);
      if (holder) ctx.errors.add(line, 'position', `is ${holder}'s, which the file does not list`);
    }
    const rowsOf = (pick: (m: MeasureLine) => Array<{ id: string; overviewRowId?: string | null }>, field: string) =>
      lines.flatMap(({ line, m }) =>
        pick(m).map((r, i) => ({
          line,
          field: `${field}[${i}]`,
          id: r.id,
          measureCode: m.code,
          position: i + 1,
          overviewRowId: r.overviewRowId ?? null,
        })),
      );
    const norms = rowsOf((m) => m.norms, 'norms');
    const cardRows = rowsOf((m) => m.cardRows, 'cardRows');
    const inDomain = (rows: KeyedRow[], target: DomainTarget) =>
      rows.filter((r) => byDomain.get(lines.find((l) => l.m.code === r.measureCode)!.m.domain) === target);
    checkStored(
      norms,
      (await q('SELECT id, measure_code, position, overview_row_id FROM registry.norm_index')) as never,
      'norm',
      ctx.errors,
    );
    for (const [target, db] of databaseOf) {
      const dq = queryOf(db);
      const s = `"${target.schema}"`;
      const ownNorms = inDomain(norms, target);
      const ownRows = inDomain(cardRows, target);
      if (ownNorms.length > 0) {
        checkStored(
          ownNorms,
          (await dq(`SELECT id, measure_code, position, overview_row_id FROM ${s}.norm`)) as never,
          'norm',
          ctx.errors,
        );
      }
      if (ownRows.length > 0) {
        checkStored(
          ownRows,
          (await dq(`SELECT id, measure_code, position FROM ${s}.volume_definition`)) as never,
          'card row',
          ctx.errors,
        );
      }
    }
    if (ctx.errors.count > 0) return false;

    const measures = lines.map((l) => l.m);
    const counts = await writeRegistryCatalogue(q, measures);
    let cardRowsWritten = 0;
    let normsWritten = 0;
    for (const [target, db] of databaseOf) {
      const own = measures.filter((m) => m.domain === target.domain);
      if (own.length > 0) {
        const written = await writeDomainCatalogue(queryOf(db), target.schema, own);
        cardRowsWritten += written.cardRows;
        normsWritten += written.norms;
      }
    }
    if (inspection) await writeInspectionCatalogue(queryOf(databaseOf.get(inspection)!), measures);
    Object.assign(ctx.counts, counts, {
      unchanged: ctx.counter.rows - counts.inserted - counts.updated,
      cardRowsWritten,
      normsWritten,
    });
    return true;
  });
}
