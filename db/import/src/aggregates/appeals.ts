import type pg from 'pg';
import { badInput } from '@measure-graph/errors';
import {
  APPEALABLE_STATUSES,
  checkDecisionOutcome,
  checkGrounds,
  type AppealOutcome,
} from '@measure-graph/activation/appeals/rules';
import type { FileContext } from '../context.ts';
import { readJsonLines, rule, schemaValidator } from '../rows.ts';
import type { StagingTable } from '../staging.ts';
import { checkDossierRefs, inActivation, localTime } from './activation-common.ts';
import { check, UPSERT_COUNTS } from './common.ts';
import { KeysSeen } from './competences-common.ts';

interface AppealRow {
  dossierRef: string;
  lodgedOn: string;
  grounds: string;
  outcome: AppealOutcome;
  decidedOn?: string;
}

const APPEALS: StagingTable = {
  name: 'import_appeal',
  columns: [
    ['line', 'int'],
    ['dossier_ref', 'text'],
    ['lodged_at', 'timestamp'],
    ['grounds', 'text'],
    ['outcome', 'text'],
    ['decided_at', 'timestamp'],
  ],
};

let validate: ReturnType<typeof schemaValidator> | undefined;

/**
 * appeals.jsonl into activation.appeal, by the dossier's APPEALED event the appeal was lodged with
 * (dossierRef and lodgedOn: appeal.lodged_event_id is unique); a decided appeal is tied to the
 * dossier's APPEAL_DECIDED event at decidedOn. dossiers.jsonl gives both events (the import writes
 * none). One transaction: written completely or not at all.
 */
export async function loadAppeals(ctx: FileContext): Promise<boolean> {
  validate ??= schemaValidator('appeals');
  return inActivation(ctx, [APPEALS], async (db, stager) => {
    const keys = new KeysSeen(ctx.errors, 'lodgedOn', 'appeal');
    const pendingOf = new Map<string, number>();
    const decisions = new Map<string, number>();
    for await (const { line, row } of readJsonLines<AppealRow>(ctx.path, validate!, ctx.errors, ctx.counter)) {
      const before = ctx.errors.count;
      const lodgedAt = localTime(ctx.errors, line, 'lodgedOn', row.lodgedOn, ctx.now);
      // A line that repeats another's appeal is not checked against it again.
      const beforeKey = ctx.errors.count;
      if (lodgedAt !== undefined) keys.add(line, JSON.stringify([row.dossierRef, lodgedAt]));
      const repeated = ctx.errors.count > beforeKey;
      const grounds = rule(ctx.errors, line, 'grounds', () => checkGrounds(row.grounds));
      let decidedAt: string | null | undefined = null;
      if (row.outcome === 'PENDING') {
        if (row.decidedOn !== undefined) {
          ctx.errors.add(line, 'decidedOn', 'is given only when the appeal is decided (outcome is not PENDING)');
        }
        // lodgeAppeal: not two appeals pending at once on one dossier.
        const other = pendingOf.get(row.dossierRef);
        if (other !== undefined) {
          ctx.errors.add(line, 'outcome', `An appeal against this dossier is still pending (line ${other})`);
        } else pendingOf.set(row.dossierRef, line);
      } else {
        rule(ctx.errors, line, 'outcome', () => checkDecisionOutcome(row.outcome));
        if (row.decidedOn === undefined)
          ctx.errors.add(line, 'decidedOn', `is required when outcome is ${row.outcome}`);
        else decidedAt = localTime(ctx.errors, line, 'decidedOn', row.decidedOn, ctx.now);
        // decideAppeal: not before the appeal was lodged.
        rule(ctx.errors, line, 'decidedOn', () => {
          if (decidedAt && lodgedAt && decidedAt < lodgedAt) {
            throw badInput(`decidedOn must not be before the appeal was lodged (${lodgedAt})`, 'decidedOn');
          }
        });
        if (decidedAt && !repeated) {
          // Each decision is an APPEAL_DECIDED event of its own.
          const key = JSON.stringify([row.dossierRef, decidedAt]);
          const other = decisions.get(key);
          if (other !== undefined) {
            ctx.errors.add(line, 'decidedOn', `is the decision of the appeal on line ${other} (one event per appeal)`);
          } else decisions.set(key, line);
        }
      }
      if (ctx.errors.count > before || !lodgedAt || grounds === undefined || decidedAt === undefined) continue;
      await stager.add(APPEALS, [line, row.dossierRef, lodgedAt, grounds, row.outcome, decidedAt]);
    }
    await stager.finish();
    await checkDossierRefs(db, ctx.errors, 'import_appeal');
    // lodgeAppeal: a decided dossier (granted or refused) only.
    await check(
      db,
      ctx.errors,
      `SELECT i.line, 'dossierRef', d.status, NULL FROM import_appeal i
         JOIN activation.dossier d ON d.source_ref = i.dossier_ref
        WHERE NOT (d.status = ANY ($1::text[]))`,
      [APPEALABLE_STATUSES],
      (r) => `Only a decided dossier (granted or refused) can be appealed; this one is ${r.value}`,
    );
    const event = (type: string, column: string) => `EXISTS (
      SELECT 1 FROM activation.dossier_event e
       WHERE e.dossier_id = d.id AND e.type = '${type}' AND e.occurred_at = i.${column})`;
    await check(
      db,
      ctx.errors,
      `SELECT i.line, 'lodgedOn', to_char(i.lodged_at, 'YYYY-MM-DD"T"HH24:MI:SS'), 'APPEALED' FROM import_appeal i
         JOIN activation.dossier d ON d.source_ref = i.dossier_ref
        WHERE d.status = ANY ($1::text[]) AND NOT ${event('APPEALED', 'lodged_at')}
       UNION ALL
       SELECT i.line, 'decidedOn', to_char(i.decided_at, 'YYYY-MM-DD"T"HH24:MI:SS'), 'APPEAL_DECIDED' FROM import_appeal i
         JOIN activation.dossier d ON d.source_ref = i.dossier_ref
        WHERE d.status = ANY ($1::text[]) AND i.decided_at IS NOT NULL AND NOT ${event('APPEAL_DECIDED', 'decided_at')}`,
      [APPEALABLE_STATUSES],
      (r) => `the dossier has no ${r.detail} event at ${r.value} (dossiers.jsonl gives an appeal's events)`,
    );
    // Not two appeals pending at once: another pending appeal of the dossier that the file leaves as it is.
    await check(
      db,
      ctx.errors,
      `SELECT i.line, 'outcome', NULL, NULL FROM import_appeal i
         JOIN activation.dossier d ON d.source_ref = i.dossier_ref
         JOIN activation.appeal a ON a.dossier_id = d.id AND a.outcome = 'PENDING' AND a.lodged_at <> i.lodged_at
        WHERE i.outcome = 'PENDING'
          AND NOT EXISTS (SELECT 1 FROM import_appeal j WHERE j.dossier_ref = i.dossier_ref AND j.lodged_at = a.lodged_at)`,
      [],
      () => 'An appeal against this dossier is still pending',
    );
    if (ctx.errors.count > 0) return false;
    await write(db.client, ctx);
    return true;
  });
}

async function write(client: pg.ClientBase, ctx: FileContext): Promise<void> {
  const q = async (sql: string) => (await client.query(sql)).rows;
  await q(`ALTER TABLE import_appeal ADD COLUMN dossier_id bigint, ADD COLUMN measure_code text,
             ADD COLUMN lodged_event_id bigint, ADD COLUMN decided_event_id bigint`);
  await q(`UPDATE import_appeal i SET dossier_id = d.id, measure_code = d.measure_code
             FROM activation.dossier d WHERE d.source_ref = i.dossier_ref`);
  const eventId = (type: string, column: string) => `(SELECT min(e.id) FROM activation.dossier_event e
     WHERE e.dossier_id = i.dossier_id AND e.type = '${type}' AND e.occurred_at = i.${column})`;
  await q(`UPDATE import_appeal i SET lodged_event_id = ${eventId('APPEALED', 'lodged_at')},
                                      decided_event_id = ${eventId('APPEAL_DECIDED', 'decided_at')}`);
  const [appeals] = await q(
    `WITH written AS (
       INSERT INTO activation.appeal (dossier_id, measure_code, lodged_event_id, lodged_at, grounds, outcome, decided_at,
                                      decided_event_id)
       SELECT dossier_id, measure_code, lodged_event_id, lodged_at, grounds, outcome, decided_at, decided_event_id
         FROM import_appeal ORDER BY line
       ON CONFLICT (lodged_event_id) DO UPDATE SET grounds = EXCLUDED.grounds, outcome = EXCLUDED.outcome,
         decided_at = EXCLUDED.decided_at, decided_event_id = EXCLUDED.decided_event_id
        WHERE (appeal.grounds, appeal.outcome, appeal.decided_at, appeal.decided_event_id)
              IS DISTINCT FROM
              (EXCLUDED.grounds, EXCLUDED.outcome, EXCLUDED.decided_at, EXCLUDED.decided_event_id)
       RETURNING xmax = 0 AS inserted)
     SELECT ${UPSERT_COUNTS} FROM written`,
  );
  Object.assign(ctx.counts, appeals);
  ctx.counts.unchanged = ctx.counter.rows - appeals.inserted - appeals.updated;
}
