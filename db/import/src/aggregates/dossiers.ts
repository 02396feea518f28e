import { withIndexesBuiltAfter } from '@measure-graph/db';
import { badInput, DomainError, notFound } from '@measure-graph/errors';
import { PAYMENT_KINDS } from '@measure-graph/measure-module/dossier-commands';
import {
  EVENT_OF_ACTION,
  FOLLOW_UP_EVENTS,
  followUp,
  transition,
  type DossierAction,
  type DossierStatus,
} from '@measure-graph/measure-module/lifecycle';
import { parseAmountCents, parseLocalTime, parsePeriod } from '@measure-graph/measure-module/validation';
import { REGISTRY, type DomainTarget, type FileContext } from '../context.ts';
import type { Database } from '../databases.ts';
import type { ErrorCollector } from '../report.ts';
import { readJsonLines, rule, schemaValidator } from '../rows.ts';
import { Stager, type StagedValue, type StagingTable } from '../staging.ts';
import { check, inTransaction, UPSERT_COUNTS } from './common.ts';
import { checkKbo } from './organisations.ts';

export interface DossierRow {
  sourceRef: string;
  measureCode: string;
  kind: string;
  channel: 'ONLINE' | 'PAPER';
  applicantKbo?: string;
  applicantPersonId?: string;
  receivedAt: string;
  events?: Array<{ type: string; at: string }>;
  payments?: Array<{
    kind: string;
    instalment?: number;
    period: string;
    requestedAt: string;
    paidAt: string;
    amount: string;
    fromBudget?: boolean;
  }>;
}

/** A dossier row that passed every rule that needs no database, ready to stage. */
export interface CheckedDossier {
  status: DossierStatus;
  receivedAt: string;
  completedAt: string | null;
  decided: boolean;
  applicantKbo: string | null;
  applicantPersonId: string | null;
  /** Every lifecycle event with the time the file was complete by then (what the event carries). */
  events: Array<{ type: string; at: string; completedAt: string | null }>;
  payments: Array<{
    kind: string;
    instalment: number;
    period: string;
    requestedAt: string;
    paidAt: string;
    cents: string;
    fromBudget: boolean;
  }>;
}

/** The lifecycle action behind each event type the mutations write (RECEIVED comes from submission). */
const ACTION_OF_EVENT = new Map<string, DossierAction>(
  (Object.entries(EVENT_OF_ACTION) as Array<[DossierAction, string]>)
    .filter(([action]) => action !== 'PAY')
    .map(([action, type]) => [type, action]),
);

/** Event types the import writes and so replaces on a re-import; other types on a dossier are left alone. */
export const IMPORTED_EVENT_TYPES = [
  'RECEIVED',
  'FILE_COMPLETED',
  ...ACTION_OF_EVENT.keys(),
  ...Object.keys(FOLLOW_UP_EVENTS),
];

/**
 * The rules of the dossier mutations that need no database, applied to one row in the order the
 * mutations would have run: submitDossier (applicant, receivedAt), then each event as
 * declareAdmissibility / completeFile / decideDossier, then each payment as registerPayment.
 * Errors go to `errors`; the result is undefined when there was any.
 */
export function checkDossier(
  row: DossierRow,
  line: number,
  errors: ErrorCollector,
  now: string,
): CheckedDossier | undefined {
  const before = errors.count;
  const at = (value: string, field: string) => rule(errors, line, field, () => parseLocalTime(value, field, now));
  const receivedAt = at(row.receivedAt, 'receivedAt');
  const applicantKbo =
    row.applicantKbo === undefined
      ? null
      : (rule(errors, line, 'applicantKbo', () => checkKbo(row.applicantKbo!, 'applicantKbo')) ?? null);

  let status: DossierStatus = 'RECEIVED';
  let openAppeals = 0;
  let decided = false;
  let last = receivedAt;
  let completedAt: string | null = null;
  let grantedAt: string | null = null;
  let broken = false;
  const events: CheckedDossier['events'] = receivedAt ? [{ type: 'RECEIVED', at: receivedAt, completedAt: null }] : [];
  for (const [i, event] of (row.events ?? []).entries()) {
    const field = `events[${i}]`;
    const time = at(event.at, `${field}.at`);
    if (time !== undefined && last !== undefined && time < last) {
      errors.add(line, `${field}.at`, `must not be before the dossier's last event (${last})`);
    }
    const step = rule(errors, line, `${field}.type`, () => {
      if (event.type === 'FILE_COMPLETED') {
        // completeFile: once, while the dossier is open to it.
        if (completedAt !== null) throw new DomainError('CONFLICT', `The file was already complete on ${completedAt}`);
        if (!['RECEIVED', 'ADMISSIBLE'].includes(status)) {
          throw new DomainError('CONFLICT', `A dossier that is ${status} is closed to completion`);
        }
        return status;
      }
      const action = ACTION_OF_EVENT.get(event.type);
      if (action) return transition(status, action);
      if (!FOLLOW_UP_EVENTS[event.type]) {
        const types = [...ACTION_OF_EVENT.keys(), 'FILE_COMPLETED', ...Object.keys(FOLLOW_UP_EVENTS)];
        throw badInput(`is not a lifecycle event: one of ${types.join(', ')}`);
      }
      // Appeals, withdrawals, steps without decision: the lifecycle's follow-up events.
      const next = followUp({ status, openAppeals }, event.type);
      openAppeals = next.openAppeals;
      return next.status;
    });
    // Later events (and the payments' status check) would only repeat the consequences of a broken
    // lifecycle.
    if (step === undefined) {
      broken = true;
      break;
    }
    status = step;
    if (time === undefined) continue;
    if (event.type === 'FILE_COMPLETED') completedAt = time;
    if (event.type === 'GRANTED') grantedAt = time;
    if (event.type === 'GRANTED' || event.type === 'REFUSED') decided = true;
    events.push({ type: event.type, at: time, completedAt });
    if (last === undefined || time > last) last = time;
  }

  const payments: CheckedDossier['payments'] = [];
  const seen = new Map<string, number>();
  if ((row.payments ?? []).length > 0 && !broken) rule(errors, line, 'payments', () => transition(status, 'PAY'));
  for (const [i, p] of (row.payments ?? []).entries()) {
    const field = `payments[${i}]`;
    const kind = rule(errors, line, `${field}.kind`, () => {
      if (!PAYMENT_KINDS.includes(p.kind)) throw badInput(`must be one of ${PAYMENT_KINDS.join(', ')}`);
      return p.kind;
    });
    const period = rule(errors, line, `${field}.period`, () => parsePeriod(p.period, `${field}.period`));
    const requestedAt = at(p.requestedAt, `${field}.requestedAt`);
    const paidAt = at(p.paidAt, `${field}.paidAt`);
    if (requestedAt !== undefined && paidAt !== undefined && paidAt < requestedAt) {
      errors.add(line, `${field}.paidAt`, 'must not be before requestedAt');
    }
    if (requestedAt !== undefined && grantedAt !== null && requestedAt < grantedAt) {
      errors.add(line, `${field}.requestedAt`, `must not be before the dossier was granted (${grantedAt})`);
    }
    const cents = rule(errors, line, `${field}.amount`, () => parseAmountCents(p.amount, `${field}.amount`));
    if ([kind, period, requestedAt, paidAt, cents].includes(undefined)) continue;
    const payment = {
      kind: kind!,
      instalment: p.instalment ?? 1,
      period: period!,
      requestedAt: requestedAt!,
      paidAt: paidAt!,
      cents: cents!.toString(),
      fromBudget: p.fromBudget ?? true,
    };
    // A payment is known by all its fields: a second identical one could not be told apart on re-import.
    const key = JSON.stringify(payment);
    const same = seen.get(key);
    if (same !== undefined) errors.add(line, field, `is the same payment as payments[${same}]`);
    else seen.set(key, i);
    payments.push(payment);
  }
  if (errors.count > before || receivedAt === undefined) return undefined;
  return {
    status,
    receivedAt,
    completedAt,
    decided,
    applicantKbo,
    applicantPersonId: row.applicantPersonId ?? null,
    events,
    payments,
  };
}

const DOSSIERS: StagingTable = {
  name: 'import_dossier',
  columns: [
    ['line', 'int'],
    ['schema_name', 'text'],
    ['source_ref', 'text'],
    ['measure_code', 'text'],
    ['dossier_kind', 'text'],
    ['dossier_channel', 'text'],
    ['applicant_kbo', 'text'],
    ['applicant_person_id', 'text'],
    ['status', 'text'],
    ['received', 'timestamp'],
    ['completed', 'timestamp'],
    ['decided', 'boolean'],
  ],
};
const EVENTS: StagingTable = {
  name: 'import_event',
  columns: [
    ['line', 'int'],
    ['schema_name', 'text'],
    ['event_type', 'text'],
    ['occurred_at', 'timestamp'],
    ['completed', 'timestamp'],
  ],
};
const PAYMENTS: StagingTable = {
  name: 'import_payment',
  columns: [
    ['line', 'int'],
    ['schema_name', 'text'],
    ['kind', 'text'],
    ['instalment', 'int'],
    ['period', 'date'],
    ['requested_at', 'timestamp'],
    ['paid_at', 'timestamp'],
    ['amount_cents', 'bigint'],
    ['from_budget', 'boolean'],
  ],
};
/** The applicants, staged where the registry is, to be checked against its tables. */
const PARTIES: StagingTable = {
  name: 'import_party',
  columns: [
    ['line', 'int'],
    ['kbo', 'text'],
    ['person_id', 'text'],
  ],
};

let validate: ReturnType<typeof schemaValidator> | undefined;

/** What the schema's oneOf on the applicant means, in the mutations' words. */
const APPLICANT_ONE_OF = {
  '': { field: 'applicantKbo', reason: 'Give exactly one applicant: applicantKbo or applicantPersonId' },
};

/**
 * dossiers.jsonl into the dossier, dossier_event and payment tables of each measure's domain, by
 * sourceRef. One transaction per database for the whole file: it is written everywhere or nowhere.
 */
export async function loadDossiers(ctx: FileContext): Promise<boolean> {
  validate ??= schemaValidator('dossiers');
  const registry = await ctx.databases.of(REGISTRY);
  // The catalogue decides a measure's domain (as it decides its GraphQL type).
  const catalogue = new Map<string, DomainTarget>();
  const byDomain = new Map(ctx.domains.map((d) => [d.domain, d]));
  const { rows: measures } = await registry.client.query<{ code: string; domain: string }>(
    'SELECT code, domain FROM registry.measure',
  );
  for (const m of measures) {
    const target = byDomain.get(m.domain);
    if (target) catalogue.set(m.code, target);
  }
  const databaseOf = new Map<DomainTarget, Database>();
  for (const d of ctx.domains) databaseOf.set(d, await ctx.databases.of(d.subgraph));
  const all = [registry, ...databaseOf.values()];

  return inTransaction(all, async () => {
    const stagers = new Map<Database, Stager>();
    for (const db of new Set(all)) stagers.set(db, new Stager(db.client, db.staging));
    for (const db of new Set(databaseOf.values())) {
      for (const table of [DOSSIERS, EVENTS, PAYMENTS]) await stagers.get(db)!.create(table);
    }
    const parties = stagers.get(registry)!;
    await parties.create(PARTIES);
    const used = new Set<DomainTarget>();

    for await (const { line, row } of readJsonLines<DossierRow>(
      ctx.path,
      validate!,
      ctx.errors,
      ctx.counter,
      APPLICANT_ONE_OF,
    )) {
      const target = catalogue.get(row.measureCode);
      if (!target) ctx.errors.add(line, 'measureCode', notFound('Measure', 'measureCode', row.measureCode).message);
      const dossier = checkDossier(row, line, ctx.errors, ctx.now);
      if (!dossier || !target) continue;
      used.add(target);
      const stager = stagers.get(databaseOf.get(target)!)!;
      const s = target.schema;
      await stager.add(DOSSIERS, [
        line,
        s,
        row.sourceRef,
        row.measureCode,
        row.kind,
        row.channel,
        dossier.applicantKbo,
        dossier.applicantPersonId,
        dossier.status,
        dossier.receivedAt,
        dossier.completedAt,
        dossier.decided,
      ]);
      for (const e of dossier.events) await stager.add(EVENTS, [line, s, e.type, e.at, e.completedAt]);
      for (const p of dossier.payments) {
        const values: StagedValue[] = [line, s, p.kind, p.instalment, p.period, p.requestedAt, p.paidAt, p.cents];
        await stager.add(PAYMENTS, [...values, p.fromBudget]);
      }
      await parties.add(PARTIES, [line, dossier.applicantKbo, dossier.applicantPersonId]);
    }
    for (const stager of stagers.values()) await stager.finish();

    await check(
      registry,
      ctx.errors,
      `SELECT p.line, 'applicantKbo', p.kbo, NULL FROM import_party p
        WHERE p.kbo IS NOT NULL AND NOT EXISTS (SELECT 1 FROM registry.organisation o WHERE o.kbo_number = p.kbo)
       UNION ALL
       SELECT p.line, 'applicantPersonId', p.person_id, NULL FROM import_party p
        WHERE p.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM registry.person r WHERE r.id = p.person_id)`,
      [],
      (r) => notFound(r.field === 'applicantKbo' ? 'Organisation' : 'Person', r.field, r.value!).message,
    );
    for (const target of used) await checkDomain(ctx, databaseOf.get(target)!, target);
    if (ctx.errors.count > 0) return false;

    for (const key of ['inserted', 'updated', 'eventsWritten', 'eventsRemoved', 'paymentsWritten', 'paymentsRemoved']) {
      ctx.counts[key] = 0;
    }
    for (const target of used) {
      const counts = await upsertDomain(databaseOf.get(target)!, target);
      for (const [key, n] of Object.entries(counts)) ctx.counts[key] = (ctx.counts[key] ?? 0) + n;
    }
    ctx.counts.unchanged = ctx.counter.rows - ctx.counts.inserted! - ctx.counts.updated!;
    return true;
  });
}

/** The checks that need the domain's tables: its measure modules, their kinds, the unique sourceRef. */
async function checkDomain(ctx: FileContext, db: Database, target: DomainTarget): Promise<void> {
  const s = `"${target.schema}"`;
  await check(
    db,
    ctx.errors,
    `SELECT line, 'sourceRef', first::text, NULL FROM (
       SELECT line, min(line) OVER (PARTITION BY source_ref) AS first FROM import_dossier WHERE schema_name = $1) d
      WHERE line > first`,
    [target.schema],
    (r) => `the same dossier as line ${r.value} (a sourceRef is unique within a domain)`,
  );
  await check(
    db,
    ctx.errors,
    `SELECT i.line, 'measureCode', i.measure_code, NULL FROM import_dossier i
      WHERE i.schema_name = $1 AND NOT EXISTS (SELECT 1 FROM ${s}.measure_module m WHERE m.code = i.measure_code)`,
    [target.schema],
    (r) => notFound(`Measure of the ${target.schema} domain`, 'measureCode', r.value!).message,
  );
  await check(
    db,
    ctx.errors,
    `SELECT i.line, 'kind', i.dossier_kind, i.measure_code || ':' || array_to_string(m.dossier_kinds, ', ')
       FROM import_dossier i JOIN ${s}.measure_module m ON m.code = i.measure_code
      WHERE i.schema_name = $1 AND NOT (i.dossier_kind = ANY (m.dossier_kinds))`,
    [target.schema],
    (r) => {
      const [code, kinds] = r.detail!.split(/:(.*)/s) as [string, string];
      return `must be one of ${kinds} for ${code}, got "${r.value}"`;
    },
  );
  await check(
    db,
    ctx.errors,
    `SELECT i.line, 'events', i.measure_code, NULL FROM import_dossier i
       JOIN ${s}.measure_module m ON m.code = i.measure_code
      WHERE i.schema_name = $1 AND m.requires_complete_file AND i.decided AND i.completed IS NULL`,
    [target.schema],
    (r) =>
      `The file is not complete: ${r.value} decides on a complete file only, FILE_COMPLETED must come before the decision`,
  );
}

/**
 * The columns an event copies from its dossier (EVENT_COPIED_COLUMNS of the kit, a test keeps them
 * the same), with the staged value each gets: as the mutations write them, completed_at only from
 * the file's completion on.
 */
export const EVENT_COPIES: Record<string, string> = {
  measure_code: 'i.measure_code',
  received_at: 'i.received',
  completed_at: 'e.completed',
  kind: 'i.dossier_kind',
  channel: 'i.dossier_channel',
  reference_date: 'i.received::date',
};

/**
 * Writes one domain's staged dossiers: upsert by source_ref, then its lifecycle events and payments
 * become the file's: those that differ are removed, the missing ones written, the same ones kept
 * (with their ids).
 */
async function upsertDomain(db: Database, target: DomainTarget): Promise<Record<string, number>> {
  // A first import into an empty domain builds the dossier, event and payment indexes once at the end.
  return withIndexesBuiltAfter(
    async (sql, params) => (await db.client.query(sql, params)).rows,
    target.schema,
    ['dossier', 'dossier_event', 'payment'],
    () => writeDomain(db, target),
  );
}

async function writeDomain(db: Database, target: DomainTarget): Promise<Record<string, number>> {
  const s = `"${target.schema}"`;
  const q = async (sql: string, params: unknown[] = [target.schema]) => (await db.client.query(sql, params)).rows;
  const [dossiers] = await q(
    `WITH written AS (
       INSERT INTO ${s}.dossier (source_ref, measure_code, kind, channel, applicant_kbo, applicant_person_id, status,
                                 received_at, completed_at, reference_date)
       SELECT source_ref, measure_code, dossier_kind, dossier_channel, applicant_kbo, applicant_person_id, status,
              received, completed, received::date
         FROM import_dossier WHERE schema_name = $1
       ON CONFLICT (source_ref) DO UPDATE SET
         measure_code = EXCLUDED.measure_code, kind = EXCLUDED.kind, channel = EXCLUDED.channel,
         applicant_kbo = EXCLUDED.applicant_kbo, applicant_person_id = EXCLUDED.applicant_person_id,
         status = EXCLUDED.status, received_at = EXCLUDED.received_at, completed_at = EXCLUDED.completed_at,
         reference_date = EXCLUDED.reference_date
        WHERE (dossier.measure_code, dossier.kind, dossier.channel, dossier.applicant_kbo, dossier.applicant_person_id,
               dossier.status, dossier.received_at, dossier.completed_at, dossier.reference_date)
              IS DISTINCT FROM
              (EXCLUDED.measure_code, EXCLUDED.kind, EXCLUDED.channel, EXCLUDED.applicant_kbo,
               EXCLUDED.applicant_person_id, EXCLUDED.status, EXCLUDED.received_at, EXCLUDED.completed_at,
               EXCLUDED.reference_date)
       RETURNING xmax = 0 AS inserted)
     SELECT ${UPSERT_COUNTS} FROM written`,
  );
  await q(`ALTER TABLE import_dossier ADD COLUMN IF NOT EXISTS dossier_id bigint`, []);
  await q(
    `UPDATE import_dossier i SET dossier_id = d.id FROM ${s}.dossier d
      WHERE i.schema_name = $1 AND d.source_ref = i.source_ref`,
  );
  // What each staged event will be, with the columns it copies from its dossier.
  const copies = Object.keys(EVENT_COPIES);
  const wanted = `
    SELECT i.dossier_id, e.event_type AS type, e.occurred_at,
           ${Object.entries(EVENT_COPIES)
             .map(([column, value]) => `${value} AS ${column}`)
             .join(', ')}
      FROM import_event e JOIN import_dossier i ON i.line = e.line
     WHERE i.schema_name = $1`;
  const [eventsRemoved] = await q(
    `WITH removed AS (
       DELETE FROM ${s}.dossier_event x USING import_dossier i
        WHERE i.schema_name = $1 AND x.dossier_id = i.dossier_id AND x.type = ANY ($2::text[])
          AND NOT EXISTS (
            SELECT 1 FROM (${wanted}) w
             WHERE w.dossier_id = x.dossier_id AND w.type = x.type AND w.occurred_at = x.occurred_at
               AND (${copies.map((c) => `w.${c}`).join(', ')}) IS NOT DISTINCT FROM (${copies.map((c) => `x.${c}`).join(', ')}))
       RETURNING 1)
     SELECT count(*)::int AS n FROM removed`,
    [target.schema, IMPORTED_EVENT_TYPES],
  );
  const [eventsWritten] = await q(
    `WITH written AS (
       INSERT INTO ${s}.dossier_event (dossier_id, type, occurred_at, ${copies.join(', ')})
       SELECT w.* FROM (${wanted}) w
        WHERE NOT EXISTS (SELECT 1 FROM ${s}.dossier_event x
                           WHERE x.dossier_id = w.dossier_id AND x.type = w.type AND x.occurred_at = w.occurred_at)
       RETURNING 1)
     SELECT count(*)::int AS n FROM written`,
  );
  const paymentWanted = `
    SELECT i.dossier_id, p.kind, p.instalment, p.period, p.requested_at, p.paid_at, p.amount_cents, p.from_budget,
           i.measure_code, i.dossier_channel AS channel
      FROM import_payment p JOIN import_dossier i ON i.line = p.line
     WHERE i.schema_name = $1`;
  const samePayment = `
    (w.dossier_id, w.kind, w.instalment, w.period, w.requested_at, w.paid_at, w.amount_cents, w.from_budget,
     w.measure_code, w.channel)
    = (x.dossier_id, x.kind, x.instalment, x.period, x.requested_at, x.paid_at, x.amount_cents, x.from_budget,
       x.measure_code, x.channel)`;
  const [paymentsRemoved] = await q(
    `WITH removed AS (
       DELETE FROM ${s}.payment x USING import_dossier i
        WHERE i.schema_name = $1 AND x.dossier_id = i.dossier_id
          AND NOT EXISTS (SELECT 1 FROM (${paymentWanted}) w WHERE ${samePayment})
       RETURNING 1)
     SELECT count(*)::int AS n FROM removed`,
  );
  const [paymentsWritten] = await q(
    `WITH written AS (
       INSERT INTO ${s}.payment (dossier_id, kind, instalment, period, requested_at, paid_at, amount_cents, from_budget,
                                 measure_code, channel)
       SELECT w.* FROM (${paymentWanted}) w
        WHERE NOT EXISTS (SELECT 1 FROM ${s}.payment x WHERE ${samePayment})
       RETURNING 1)
     SELECT count(*)::int AS n FROM written`,
  );
  return {
    inserted: dossiers.inserted,
    updated: dossiers.updated,
    eventsWritten: eventsWritten.n,
    eventsRemoved: eventsRemoved.n,
    paymentsWritten: paymentsWritten.n,
    paymentsRemoved: paymentsRemoved.n,
  };
}
