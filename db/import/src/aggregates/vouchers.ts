import { badInput, DomainError, notFound } from '@measure-graph/errors';
import { reimbursementConflict } from '@measure-graph/competences/vouchers/rules';
import { parseAmountCents } from '@measure-graph/measure-module/validation';
import type { FileContext } from '../context.ts';
import { readJsonLines, rule, schemaValidator } from '../rows.ts';
import type { StagingTable } from '../staging.ts';
import { check, UPSERT_COUNTS } from './common.ts';
import { day, KeysSeen, inCompetences } from './competences-common.ts';
import { checkKbo } from './organisations.ts';

interface VoucherRow {
  sourceRef: string;
  dossierRef: string;
  personId: string;
  issuedOn: string;
  value: string;
  usedOn?: string;
  courseDossierRef?: string;
  providerKbo?: string;
  reimbursedOn?: string;
}

const VOUCHERS: StagingTable = {
  name: 'import_voucher',
  columns: [
    ['line', 'int'],
    ['source_ref', 'text'],
    ['dossier_ref', 'text'],
    ['person_id', 'text'],
    ['issued_on', 'date'],
    ['value_cents', 'bigint'],
    ['used_on', 'date'],
    ['course_ref', 'text'],
    ['provider_kbo', 'text'],
    ['reimbursed_on', 'date'],
  ],
};

let validate: ReturnType<typeof schemaValidator> | undefined;

/**
 * vouchers.jsonl into competences.training_voucher, by sourceRef: issued on an OPLEIDINGSCHEQUES
 * dossier (dossierRef), used at a course (courseDossierRef, see trainings.jsonl) or a provider,
 * reimbursed. One transaction: written completely or not at all.
 */
export async function loadVouchers(ctx: FileContext): Promise<boolean> {
  validate ??= schemaValidator('vouchers');
  return inCompetences(ctx, [VOUCHERS], async ({ db, stager, party, finish }) => {
    const keys = new KeysSeen(ctx.errors, 'sourceRef', 'voucher');
    for await (const { line, row } of readJsonLines<VoucherRow>(ctx.path, validate!, ctx.errors, ctx.counter)) {
      const before = ctx.errors.count;
      keys.add(line, row.sourceRef);
      const issuedOn = day(ctx.errors, line, 'issuedOn', row.issuedOn, ctx.now, true);
      const cents = rule(ctx.errors, line, 'value', () => {
        const c = parseAmountCents(row.value, 'value');
        if (c <= 0n) throw badInput('value must be more than 0', 'value');
        return c;
      });
      const usedOn = row.usedOn === undefined ? null : day(ctx.errors, line, 'usedOn', row.usedOn, ctx.now, true);
      const reimbursedOn =
        row.reimbursedOn === undefined ? null : day(ctx.errors, line, 'reimbursedOn', row.reimbursedOn, ctx.now, true);
      // useTrainingVoucher: not before it was issued, exactly one of a course and a provider.
      if (usedOn && issuedOn && usedOn < issuedOn) {
        ctx.errors.add(line, 'usedOn', `must not be before the voucher was issued (${issuedOn})`);
      }
      const course = row.courseDossierRef ?? null;
      let provider: string | null | undefined = null;
      if (row.usedOn !== undefined && (course === null) === (row.providerKbo === undefined)) {
        ctx.errors.add(
          line,
          'courseDossierRef',
          'Give exactly one of courseDossierRef and providerKbo for a used voucher',
        );
      } else if (row.usedOn === undefined && (course !== null || row.providerKbo !== undefined)) {
        ctx.errors.add(
          line,
          course !== null ? 'courseDossierRef' : 'providerKbo',
          'is given for a voucher that was not used (no usedOn)',
        );
      } else if (row.providerKbo !== undefined) {
        provider = rule(ctx.errors, line, 'providerKbo', () => checkKbo(row.providerKbo!, 'providerKbo'));
      }
      // reimburseTrainingVoucher: only a used voucher, not before its use.
      if (row.reimbursedOn !== undefined) {
        rule(ctx.errors, line, 'reimbursedOn', () => {
          const conflict = reimbursementConflict({ usedOn: row.usedOn ?? null, reimbursedOn: null });
          if (conflict) throw new DomainError('CONFLICT', conflict);
        });
        if (usedOn && reimbursedOn && reimbursedOn < usedOn) {
          ctx.errors.add(line, 'reimbursedOn', `must not be before the voucher was used (${usedOn})`);
        }
      }
      if (ctx.errors.count > before || !issuedOn || cents === undefined || usedOn === undefined) continue;
      if (reimbursedOn === undefined || provider === undefined) continue;
      await stager.add(VOUCHERS, [
        line,
        row.sourceRef,
        row.dossierRef,
        row.personId,
        issuedOn,
        cents.toString(),
        usedOn,
        course,
        provider,
        reimbursedOn,
      ]);
      await party(line, 'personId', 'person', row.personId);
      if (provider) await party(line, 'providerKbo', 'organisation', provider);
    }
    await finish();
    await check(
      db,
      ctx.errors,
      `SELECT i.line, 'dossierRef', i.dossier_ref,
              CASE WHEN d.id IS NULL THEN NULL WHEN d.measure_code <> 'OPLEIDINGSCHEQUES' THEN 'measure:' || d.measure_code
                   ELSE 'applicant:' || coalesce(d.applicant_person_id, d.applicant_kbo) END
         FROM import_voucher i LEFT JOIN competences.dossier d ON d.source_ref = i.dossier_ref
        WHERE d.id IS NULL OR d.measure_code <> 'OPLEIDINGSCHEQUES' OR d.applicant_person_id IS DISTINCT FROM i.person_id`,
      [],
      (r) => {
        if (r.detail === null) return notFound('Dossier of the competences domain', 'dossierRef', r.value!).message;
        const [what, value] = r.detail.split(/:(.*)/s) as [string, string];
        return what === 'measure'
          ? `must be an OPLEIDINGSCHEQUES dossier, "${r.value}" is ${value}`
          : `is a dossier of ${value}: a voucher is issued to the dossier's applicant (personId)`;
      },
    );
    await check(
      db,
      ctx.errors,
      `SELECT i.line, 'courseDossierRef', i.course_ref,
              to_char(c.recognised_on, 'YYYY-MM-DD') || ' to ' || to_char(c.valid_until, 'YYYY-MM-DD')
         FROM import_voucher i
         LEFT JOIN competences.dossier d ON d.source_ref = i.course_ref
         LEFT JOIN competences.course c ON c.dossier_id = d.id
        WHERE i.course_ref IS NOT NULL AND (c.id IS NULL OR i.used_on NOT BETWEEN c.recognised_on AND c.valid_until)`,
      [],
      (r) =>
        r.detail === null
          ? notFound('Course', 'courseDossierRef', r.value!).message
          : `The course is recognised from ${r.detail}, not on usedOn`,
    );
    if (ctx.errors.count > 0) return false;
    const { rows } = await db.client.query(
      `WITH source AS (
         SELECT i.source_ref, i.person_id, d.id AS dossier_id, i.issued_on, i.value_cents, i.used_on, c.id AS course_id,
                coalesce(c.provider_kbo, i.provider_kbo) AS provider_kbo, i.reimbursed_on, i.line
           FROM import_voucher i
           JOIN competences.dossier d ON d.source_ref = i.dossier_ref
           LEFT JOIN competences.dossier cd ON cd.source_ref = i.course_ref
           LEFT JOIN competences.course c ON c.dossier_id = cd.id),
       written AS (
         INSERT INTO competences.training_voucher (source_ref, person_id, dossier_id, issued_on, value_cents, used_on,
                                                   course_id, provider_kbo, reimbursed_on)
         SELECT source_ref, person_id, dossier_id, issued_on, value_cents, used_on, course_id, provider_kbo, reimbursed_on
           FROM source ORDER BY line
         ON CONFLICT (source_ref) DO UPDATE SET person_id = EXCLUDED.person_id, dossier_id = EXCLUDED.dossier_id,
           issued_on = EXCLUDED.issued_on, value_cents = EXCLUDED.value_cents, used_on = EXCLUDED.used_on,
           course_id = EXCLUDED.course_id, provider_kbo = EXCLUDED.provider_kbo, reimbursed_on = EXCLUDED.reimbursed_on
          WHERE (training_voucher.person_id, training_voucher.dossier_id, training_voucher.issued_on,
                 training_voucher.value_cents, training_voucher.used_on, training_voucher.course_id,
                 training_voucher.provider_kbo, training_voucher.reimbursed_on)
                IS DISTINCT FROM
                (EXCLUDED.person_id, EXCLUDED.dossier_id, EXCLUDED.issued_on, EXCLUDED.value_cents, EXCLUDED.used_on,
                 EXCLUDED.course_id, EXCLUDED.provider_kbo, EXCLUDED.reimbursed_on)
         RETURNING xmax = 0 AS inserted)
       SELECT ${UPSERT_COUNTS} FROM written`,
    );
    Object.assign(ctx.counts, rows[0]);
    ctx.counts.unchanged = ctx.counter.rows - rows[0].inserted - rows[0].updated;
    return true;
  });
}
