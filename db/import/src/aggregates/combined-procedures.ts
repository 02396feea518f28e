import type pg from 'pg';
import type { FEDERAL_DECISIONS } from '@measure-graph/activation/permits/rules';
import { checkFederalReference, PERMIT_MEASURE, SINGLE_PERMIT_KINDS } from '@measure-graph/activation/permits/rules';
import { badInput } from '@measure-graph/errors';
import type { FileContext } from '../context.ts';
import { readJsonLines, rule, schemaValidator } from '../rows.ts';
import type { StagingTable } from '../staging.ts';
import { checkDossierRefs, inActivation, localTime } from './activation-common.ts';
import { check, UPSERT_COUNTS } from './common.ts';
import { KeysSeen } from './competences-common.ts';

interface CombinedProcedureRow {
  dossierRef: string;
  sentOn: string;
  federalReference?: string;
  federalDecision: (typeof FEDERAL_DECISIONS)[number];
  federalDecidedOn?: string;
}

const PROCEDURES: StagingTable = {
  name: 'import_combined_procedure',
  columns: [
    ['line', 'int'],
    ['dossier_ref', 'text'],
    ['sent_on', 'date'],
    ['federal_reference', 'text'],
    ['federal_decision', 'text'],
    ['federal_decided_on', 'date'],
  ],
};

let validate: ReturnType<typeof schemaValidator> | undefined;

/**
 * combined-procedures.jsonl into activation.combined_procedure, by dossier (dossierRef, the
 * sourceRef of a single permit Flanders granted: combined_procedure.dossier_id is its key). One
 * transaction: written completely or not at all.
 */
export async function loadCombinedProcedures(ctx: FileContext): Promise<boolean> {
  validate ??= schemaValidator('combined-procedures');
  return inActivation(ctx, [PROCEDURES], async (db, stager) => {
    const keys = new KeysSeen(ctx.errors, 'dossierRef', 'combined procedure');
    const references = new KeysSeen(ctx.errors, 'federalReference', 'federal reference');
    for await (const { line, row } of readJsonLines<CombinedProcedureRow>(
      ctx.path,
      validate!,
      ctx.errors,
      ctx.counter,
    )) {
      const before = ctx.errors.count;
      keys.add(line, row.dossierRef);
      const sentOn = localTime(ctx.errors, line, 'sentOn', row.sentOn, ctx.now, true);
      const reference = rule(ctx.errors, line, 'federalReference', () => checkFederalReference(row.federalReference));
      if (reference) references.add(line, reference);
      let decidedOn: string | null | undefined = null;
      if (row.federalDecision === 'PENDING') {
        if (row.federalDecidedOn !== undefined) {
          ctx.errors.add(line, 'federalDecidedOn', 'is given only when the federal level decided (not PENDING)');
        }
      } else {
        if (row.federalDecidedOn === undefined) {
          ctx.errors.add(line, 'federalDecidedOn', `is required when federalDecision is ${row.federalDecision}`);
        } else decidedOn = localTime(ctx.errors, line, 'federalDecidedOn', row.federalDecidedOn, ctx.now, true);
        // recordFederalDecision: with a reference, not before the sending.
        if (reference === null) {
          ctx.errors.add(line, 'federalReference', 'is required: the federal level decided on the procedure');
        }
        rule(ctx.errors, line, 'federalDecidedOn', () => {
          if (decidedOn && sentOn && decidedOn < sentOn) {
            throw badInput(`federalDecidedOn must not be before the sending (${sentOn})`, 'federalDecidedOn');
          }
        });
      }
      if (ctx.errors.count > before || !sentOn || reference === undefined || decidedOn === undefined) continue;
      await stager.add(PROCEDURES, [line, row.dossierRef, sentOn, reference, row.federalDecision, decidedOn]);
    }
    await stager.finish();
    await checkDossierRefs(db, ctx.errors, 'import_combined_procedure');
    // recordFederalDecision: a single permit that Flanders granted, sent no earlier than its grant.
    await check(
      db,
      ctx.errors,
      `SELECT i.line, f.field, f.value, f.detail FROM import_combined_procedure i
         JOIN activation.dossier d ON d.source_ref = i.dossier_ref
         CROSS JOIN LATERAL (SELECT to_char(max(e.occurred_at), 'YYYY-MM-DD') AS granted_on
                               FROM activation.dossier_event e WHERE e.dossier_id = d.id AND e.type = 'GRANTED') g
         CROSS JOIN LATERAL (VALUES
           (CASE WHEN NOT (d.measure_code = $1 AND d.kind = ANY ($2::text[])) THEN 'dossierRef' END,
            d.measure_code || ' ' || d.kind, 'measure'),
           (CASE WHEN d.measure_code = $1 AND d.kind = ANY ($2::text[]) AND d.status <> 'GRANTED' THEN 'dossierRef' END,
            d.status, 'status'),
           (CASE WHEN d.status = 'GRANTED' AND i.sent_on < g.granted_on::date THEN 'sentOn' END, g.granted_on, 'sent'))
           AS f (field, value, detail)
        WHERE f.field IS NOT NULL`,
      [PERMIT_MEASURE, SINGLE_PERMIT_KINDS],
      (r) =>
        r.detail === 'measure'
          ? `Only single permits (${PERMIT_MEASURE} ${SINGLE_PERMIT_KINDS.join(' or ')}) go to the federal level; this dossier is ${r.value}`
          : r.detail === 'status'
            ? `The federal level decides only after Flanders granted the permit; this dossier is ${r.value}`
            : `must not be before the Flemish decision (${r.value})`,
    );
    // A reference is the procedure of one dossier: not one another dossier keeps (the file leaves it as it is).
    await check(
      db,
      ctx.errors,
      `SELECT i.line, 'federalReference', NULL, NULL FROM import_combined_procedure i
         JOIN activation.dossier d ON d.source_ref = i.dossier_ref
         JOIN activation.combined_procedure c ON c.federal_reference = i.federal_reference AND c.dossier_id <> d.id
         JOIN activation.dossier cd ON cd.id = c.dossier_id
        WHERE cd.source_ref IS NULL
           OR NOT EXISTS (SELECT 1 FROM import_combined_procedure j WHERE j.dossier_ref = cd.source_ref)`,
      [],
      () => 'belongs to the procedure of another dossier',
    );
    if (ctx.errors.count > 0) return false;
    await write(db.client, ctx);
    return true;
  });
}

async function write(client: pg.ClientBase, ctx: FileContext): Promise<void> {
  const [procedures] = (
    await client.query(
      `WITH written AS (
         INSERT INTO activation.combined_procedure (dossier_id, sent_on, federal_reference, federal_decision,
                                                    federal_decided_on)
         SELECT d.id, i.sent_on, i.federal_reference, i.federal_decision, i.federal_decided_on
           FROM import_combined_procedure i JOIN activation.dossier d ON d.source_ref = i.dossier_ref ORDER BY i.line
         ON CONFLICT (dossier_id) DO UPDATE SET sent_on = EXCLUDED.sent_on,
           federal_reference = EXCLUDED.federal_reference, federal_decision = EXCLUDED.federal_decision,
           federal_decided_on = EXCLUDED.federal_decided_on
          WHERE (combined_procedure.sent_on, combined_procedure.federal_reference, combined_procedure.federal_decision,
                 combined_procedure.federal_decided_on)
                IS DISTINCT FROM
                (EXCLUDED.sent_on, EXCLUDED.federal_reference, EXCLUDED.federal_decision, EXCLUDED.federal_decided_on)
         RETURNING xmax = 0 AS inserted)
       SELECT ${UPSERT_COUNTS} FROM written`,
    )
  ).rows;
  Object.assign(ctx.counts, procedures);
  ctx.counts.unchanged = ctx.counter.rows - procedures.inserted - procedures.updated;
}
