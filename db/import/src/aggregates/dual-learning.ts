import { DomainError } from '@measure-graph/errors';
import { isRecognisedOn, recognitionValidUntil } from '@measure-graph/competences/dual-learning/rules';
import type { FileContext } from '../context.ts';
import { readJsonLines, rule, schemaValidator } from '../rows.ts';
import type { StagingTable } from '../staging.ts';
import { UPSERT_COUNTS } from './common.ts';
import { day, KeysSeen, inCompetences } from './competences-common.ts';
import { checkKbo } from './organisations.ts';

interface WorkplaceRow {
  sourceRef: string;
  enterpriseKbo: string;
  establishmentNumber: string;
  appliedOn: string;
  status: 'APPLIED' | 'RECOGNISED' | 'REFUSED';
  recognisedOn?: string;
  mentorPersonIds: string[];
  agreements?: Array<{ personId: string; startsOn: string; endsOn: string; registeredOn: string }>;
}

const WORKPLACES: StagingTable = {
  name: 'import_workplace',
  columns: [
    ['line', 'int'],
    ['source_ref', 'text'],
    ['enterprise_kbo', 'text'],
    ['establishment_number', 'text'],
    ['applied_on', 'date'],
    ['status', 'text'],
    ['recognised_on', 'date'],
    ['valid_until', 'date'],
    // Comma-separated: registry ids hold no comma.
    ['mentors', 'text'],
  ],
};
const AGREEMENTS: StagingTable = {
  name: 'import_agreement',
  columns: [
    ['line', 'int'],
    ['person_id', 'text'],
    ['starts_on', 'date'],
    ['ends_on', 'date'],
    ['registered_on', 'date'],
  ],
};

let validate: ReturnType<typeof schemaValidator> | undefined;

/**
 * dual-learning.jsonl into competences.dual_workplace (by sourceRef) and competences.dual_agreement
 * (a workplace's agreements become the file's). One transaction: written completely or not at all.
 */
export async function loadDualLearning(ctx: FileContext): Promise<boolean> {
  validate ??= schemaValidator('dual-learning');
  return inCompetences(ctx, [WORKPLACES, AGREEMENTS], async ({ db, stager, party, finish }) => {
    const keys = new KeysSeen(ctx.errors, 'sourceRef', 'workplace');
    for await (const { line, row } of readJsonLines<WorkplaceRow>(ctx.path, validate!, ctx.errors, ctx.counter)) {
      const before = ctx.errors.count;
      keys.add(line, row.sourceRef);
      const kbo = rule(ctx.errors, line, 'enterpriseKbo', () => checkKbo(row.enterpriseKbo, 'enterpriseKbo'));
      const appliedOn = day(ctx.errors, line, 'appliedOn', row.appliedOn, ctx.now, true);
      let recognisedOn: string | null | undefined = null;
      if (row.status === 'RECOGNISED' && row.recognisedOn === undefined) {
        ctx.errors.add(line, 'recognisedOn', 'is required when status is RECOGNISED');
      } else if (row.status !== 'RECOGNISED' && row.recognisedOn !== undefined) {
        ctx.errors.add(line, 'recognisedOn', `is given only when status is RECOGNISED, not ${row.status}`);
      } else if (row.recognisedOn !== undefined) {
        recognisedOn = day(ctx.errors, line, 'recognisedOn', row.recognisedOn, ctx.now, true);
        if (recognisedOn && appliedOn && recognisedOn < appliedOn) {
          ctx.errors.add(line, 'recognisedOn', `must not be before appliedOn (${appliedOn})`);
        }
      }
      const validUntil = recognisedOn ? recognitionValidUntil(recognisedOn) : null;
      const mentors = new Map<string, number>();
      for (const [i, id] of row.mentorPersonIds.entries()) {
        const same = mentors.get(id);
        if (same !== undefined)
          ctx.errors.add(line, `mentorPersonIds[${i}]`, `is the same mentor as mentorPersonIds[${same}]`);
        else mentors.set(id, i);
      }
      const workplace = { status: row.status, recognisedOn: recognisedOn ?? null, validUntil };
      const agreements: Array<[number, string, string, string, string]> = [];
      const seen = new Map<string, number>();
      for (const [i, a] of (row.agreements ?? []).entries()) {
        const f = `agreements[${i}]`;
        const startsOn = day(ctx.errors, line, `${f}.startsOn`, a.startsOn, ctx.now);
        const endsOn = day(ctx.errors, line, `${f}.endsOn`, a.endsOn, ctx.now);
        const registeredOn = day(ctx.errors, line, `${f}.registeredOn`, a.registeredOn, ctx.now, true);
        if (startsOn && endsOn && endsOn <= startsOn) ctx.errors.add(line, `${f}.endsOn`, 'must be after startsOn');
        // registerDualAgreement: the workplace is recognised on the agreement's first day.
        if (startsOn && recognisedOn !== undefined) {
          rule(ctx.errors, line, `${f}.startsOn`, () => {
            if (isRecognisedOn(workplace, startsOn)) return;
            throw new DomainError(
              'CONFLICT',
              row.status === 'RECOGNISED'
                ? `The workplace is recognised from ${recognisedOn} to ${validUntil}`
                : `The workplace is not recognised (${row.status})`,
            );
          });
        }
        if (!startsOn || !endsOn || !registeredOn) continue;
        const key = JSON.stringify([a.personId, startsOn, endsOn, registeredOn]);
        const same = seen.get(key);
        if (same !== undefined) ctx.errors.add(line, f, `is the same agreement as agreements[${same}]`);
        else seen.set(key, i);
        agreements.push([line, a.personId, startsOn, endsOn, registeredOn]);
        await party(line, `${f}.personId`, 'person', a.personId);
      }
      for (const [id, i] of mentors) await party(line, `mentorPersonIds[${i}]`, 'person', id);
      if (ctx.errors.count > before || !kbo || !appliedOn || recognisedOn === undefined) continue;
      await party(line, 'enterpriseKbo', 'organisation', kbo);
      await stager.add(WORKPLACES, [
        line,
        row.sourceRef,
        kbo,
        row.establishmentNumber,
        appliedOn,
        row.status,
        recognisedOn,
        validUntil,
        row.mentorPersonIds.join(','),
      ]);
      for (const a of agreements) await stager.add(AGREEMENTS, a);
    }
    await finish();
    if (ctx.errors.count > 0) return false;

    const q = async (sql: string) => (await db.client.query(sql)).rows;
    const [workplaces] = await q(
      `WITH written AS (
         INSERT INTO competences.dual_workplace (source_ref, enterprise_kbo, establishment_number, applied_on, status,
                                                 recognised_on, valid_until, mentor_person_ids)
         SELECT source_ref, enterprise_kbo, establishment_number, applied_on, status, recognised_on, valid_until,
                string_to_array(mentors, ',')
           FROM import_workplace ORDER BY line
         ON CONFLICT (source_ref) DO UPDATE SET enterprise_kbo = EXCLUDED.enterprise_kbo,
           establishment_number = EXCLUDED.establishment_number, applied_on = EXCLUDED.applied_on,
           status = EXCLUDED.status, recognised_on = EXCLUDED.recognised_on, valid_until = EXCLUDED.valid_until,
           mentor_person_ids = EXCLUDED.mentor_person_ids
          WHERE (dual_workplace.enterprise_kbo, dual_workplace.establishment_number, dual_workplace.applied_on,
                 dual_workplace.status, dual_workplace.recognised_on, dual_workplace.valid_until,
                 dual_workplace.mentor_person_ids)
                IS DISTINCT FROM
                (EXCLUDED.enterprise_kbo, EXCLUDED.establishment_number, EXCLUDED.applied_on, EXCLUDED.status,
                 EXCLUDED.recognised_on, EXCLUDED.valid_until, EXCLUDED.mentor_person_ids)
         RETURNING xmax = 0 AS inserted)
       SELECT ${UPSERT_COUNTS} FROM written`,
    );
    await q(`ALTER TABLE import_workplace ADD COLUMN workplace_id bigint`);
    await q(
      `UPDATE import_workplace i SET workplace_id = w.id FROM competences.dual_workplace w WHERE w.source_ref = i.source_ref`,
    );
    const wanted = `SELECT a.person_id, i.workplace_id, a.starts_on, a.ends_on, a.registered_on
                      FROM import_agreement a JOIN import_workplace i ON i.line = a.line`;
    const same = `(w.person_id, w.workplace_id, w.starts_on, w.ends_on, w.registered_on)
                  = (x.person_id, x.workplace_id, x.starts_on, x.ends_on, x.registered_on)`;
    const [removed] = await q(
      `WITH removed AS (
         DELETE FROM competences.dual_agreement x USING import_workplace i
          WHERE x.workplace_id = i.workplace_id AND NOT EXISTS (SELECT 1 FROM (${wanted}) w WHERE ${same})
         RETURNING 1)
       SELECT count(*)::int AS n FROM removed`,
    );
    const [written] = await q(
      `WITH written AS (
         INSERT INTO competences.dual_agreement (person_id, workplace_id, starts_on, ends_on, registered_on)
         SELECT w.* FROM (${wanted}) w WHERE NOT EXISTS (SELECT 1 FROM competences.dual_agreement x WHERE ${same})
         RETURNING 1)
       SELECT count(*)::int AS n FROM written`,
    );
    Object.assign(ctx.counts, workplaces, { agreementsWritten: written.n, agreementsRemoved: removed.n });
    ctx.counts.unchanged = ctx.counter.rows - workplaces.inserted - workplaces.updated;
    return true;
  });
}
