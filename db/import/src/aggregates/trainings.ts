import type pg from 'pg';
import { badInput, DomainError, notFound } from '@measure-graph/errors';
import {
  MINIMUM_HOURS,
  REQUEST_WITHIN_MONTHS,
  schoolYearOf,
  VOV_EUROS_PER_HOUR,
} from '@measure-graph/competences/training/rules';
import { addMonths } from '@measure-graph/subgraph-platform/calendar';
import type { FileContext } from '../context.ts';
import { readJsonLines, rule, schemaValidator } from '../rows.ts';
import type { StagingTable } from '../staging.ts';
import { check, UPSERT_COUNTS } from './common.ts';
import { day, KeysSeen, inCompetences } from './competences-common.ts';
import { checkKbo } from './organisations.ts';

interface LeaveRow {
  personId: string;
  employerKbo: string;
  scheme: 'VOV' | 'BEV';
  courseStartedOn: string;
  requestedOn: string;
  hours: number;
  advancePaidOn?: string;
}

interface TrainingRow {
  dossierRef: string;
  providerKbo: string;
  title: string;
  hours: number;
  recognisedOn: string;
  validUntil: string;
  leave?: LeaveRow[];
}

const COURSES: StagingTable = {
  name: 'import_course',
  columns: [
    ['line', 'int'],
    ['dossier_ref', 'text'],
    ['provider_kbo', 'text'],
    ['title', 'text'],
    ['hours', 'int'],
    ['recognised_on', 'date'],
    ['valid_until', 'date'],
  ],
};
const LEAVE: StagingTable = {
  name: 'import_leave',
  columns: [
    ['line', 'int'],
    ['person_id', 'text'],
    ['employer_kbo', 'text'],
    ['scheme', 'text'],
    ['school_year', 'text'],
    ['course_started_on', 'date'],
    ['requested_on', 'date'],
    ['hours', 'int'],
    ['amount_cents', 'bigint'],
    ['advance_paid_on', 'date'],
  ],
};

let validate: ReturnType<typeof schemaValidator> | undefined;

/**
 * trainings.jsonl into competences.course (by its dossier: dossierRef, the sourceRef of a
 * OPLEIDINGSDATABANK dossier) and competences.training_leave (a course's requests become the
 * file's). One transaction: written completely or not at all.
 */
export async function loadTrainings(ctx: FileContext): Promise<boolean> {
  validate ??= schemaValidator('trainings');
  return inCompetences(ctx, [COURSES, LEAVE], async ({ db, stager, party, finish }) => {
    const keys = new KeysSeen(ctx.errors, 'dossierRef', 'course');
    for await (const { line, row } of readJsonLines<TrainingRow>(ctx.path, validate!, ctx.errors, ctx.counter)) {
      const before = ctx.errors.count;
      keys.add(line, row.dossierRef);
      const provider = rule(ctx.errors, line, 'providerKbo', () => checkKbo(row.providerKbo, 'providerKbo'));
      if (row.hours < MINIMUM_HOURS) {
        ctx.errors.add(
          line,
          'hours',
          `must be at least ${MINIMUM_HOURS} (a recognised course counts ${MINIMUM_HOURS} hours or more)`,
        );
      }
      const recognisedOn = day(ctx.errors, line, 'recognisedOn', row.recognisedOn, ctx.now, true);
      const validUntil = day(ctx.errors, line, 'validUntil', row.validUntil, ctx.now);
      if (recognisedOn && validUntil && validUntil <= recognisedOn) {
        ctx.errors.add(line, 'validUntil', 'must be after recognisedOn');
      }
      const leave: Array<Array<string | number | null>> = [];
      const seen = new Map<string, number>();
      for (const [i, l] of (row.leave ?? []).entries()) {
        const f = `leave[${i}]`;
        const employer = rule(ctx.errors, line, `${f}.employerKbo`, () => checkKbo(l.employerKbo, `${f}.employerKbo`));
        const start = day(ctx.errors, line, `${f}.courseStartedOn`, l.courseStartedOn, ctx.now, true);
        const requested = day(ctx.errors, line, `${f}.requestedOn`, l.requestedOn, ctx.now, true);
        const advance =
          l.advancePaidOn === undefined
            ? null
            : day(ctx.errors, line, `${f}.advancePaidOn`, l.advancePaidOn, ctx.now, true);
        // requestTrainingLeave: hours within the course's, VOV requested within three months of the start.
        rule(ctx.errors, line, `${f}.hours`, () => {
          if (l.hours > row.hours) throw badInput(`must not exceed the course's ${row.hours}`);
        });
        rule(ctx.errors, line, `${f}.requestedOn`, () => {
          if (l.scheme === 'VOV' && start && requested && requested > addMonths(start, REQUEST_WITHIN_MONTHS)) {
            throw new DomainError(
              'CONFLICT',
              `Training leave is requested within ${REQUEST_WITHIN_MONTHS} months of the start`,
            );
          }
        });
        if (advance && requested && advance < requested) {
          ctx.errors.add(line, `${f}.advancePaidOn`, 'must not be before requestedOn');
        }
        if (employer === undefined || start === undefined || requested === undefined || advance === undefined) continue;
        const values = [l.personId, employer, l.scheme, schoolYearOf(start), start, requested, l.hours];
        const amount = l.hours * VOV_EUROS_PER_HOUR * 100;
        // A request is known by all its fields: a second identical one could not be told apart on re-import.
        const key = JSON.stringify([...values, advance]);
        const same = seen.get(key);
        if (same !== undefined) ctx.errors.add(line, f, `is the same request as leave[${same}]`);
        else seen.set(key, i);
        leave.push([line, ...values, amount, advance]);
        await party(line, `${f}.personId`, 'person', l.personId);
        await party(line, `${f}.employerKbo`, 'organisation', employer);
      }
      if (ctx.errors.count > before || !provider || !recognisedOn || !validUntil) continue;
      await stager.add(COURSES, [line, row.dossierRef, provider, row.title, row.hours, recognisedOn, validUntil]);
      for (const l of leave) await stager.add(LEAVE, l);
      await party(line, 'providerKbo', 'organisation', provider);
    }
    await finish();
    await check(
      db,
      ctx.errors,
      `SELECT i.line, 'dossierRef', i.dossier_ref, d.measure_code FROM import_course i
         LEFT JOIN competences.dossier d ON d.source_ref = i.dossier_ref
        WHERE d.id IS NULL OR d.measure_code <> 'OPLEIDINGSDATABANK'`,
      [],
      (r) =>
        r.detail === null
          ? notFound('Dossier of the competences domain', 'dossierRef', r.value!).message
          : `must be an OPLEIDINGSDATABANK dossier (the training database's recognition), "${r.value}" is ${r.detail}`,
    );
    if (ctx.errors.count > 0) return false;
    await write(db.client, ctx);
    return true;
  });
}

async function write(client: pg.ClientBase, ctx: FileContext): Promise<void> {
  const q = async (sql: string) => (await client.query(sql)).rows;
  await q(`ALTER TABLE import_course ADD COLUMN dossier_id bigint, ADD COLUMN course_id bigint`);
  await q(`UPDATE import_course i SET dossier_id = d.id FROM competences.dossier d WHERE d.source_ref = i.dossier_ref`);
  const [courses] = await q(
    `WITH written AS (
       INSERT INTO competences.course (provider_kbo, title, hours, recognised_on, valid_until, dossier_id)
       SELECT provider_kbo, title, hours, recognised_on, valid_until, dossier_id FROM import_course ORDER BY line
       ON CONFLICT (dossier_id) DO UPDATE SET provider_kbo = EXCLUDED.provider_kbo, title = EXCLUDED.title,
         hours = EXCLUDED.hours, recognised_on = EXCLUDED.recognised_on, valid_until = EXCLUDED.valid_until
        WHERE (course.provider_kbo, course.title, course.hours, course.recognised_on, course.valid_until)
              IS DISTINCT FROM
              (EXCLUDED.provider_kbo, EXCLUDED.title, EXCLUDED.hours, EXCLUDED.recognised_on, EXCLUDED.valid_until)
       RETURNING xmax = 0 AS inserted)
     SELECT ${UPSERT_COUNTS} FROM written`,
  );
  await q(`UPDATE import_course i SET course_id = c.id FROM competences.course c WHERE c.dossier_id = i.dossier_id`);
  const columns = `person_id, employer_kbo, scheme, course_id, school_year, course_started_on, requested_on, hours,
                   amount_cents, advance_paid_on`;
  const wanted = `SELECT l.person_id, l.employer_kbo, l.scheme, i.course_id, l.school_year, l.course_started_on,
                         l.requested_on, l.hours, l.amount_cents, l.advance_paid_on
                    FROM import_leave l JOIN import_course i ON i.line = l.line`;
  const same = `(w.person_id, w.employer_kbo, w.scheme, w.course_id, w.school_year, w.course_started_on, w.requested_on,
                 w.hours, w.amount_cents, w.advance_paid_on)
                IS NOT DISTINCT FROM
                (x.person_id, x.employer_kbo, x.scheme, x.course_id, x.school_year, x.course_started_on, x.requested_on,
                 x.hours, x.amount_cents, x.advance_paid_on)`;
  const [removed] = await q(
    `WITH removed AS (
       DELETE FROM competences.training_leave x USING import_course i
        WHERE x.course_id = i.course_id AND NOT EXISTS (SELECT 1 FROM (${wanted}) w WHERE ${same})
       RETURNING 1)
     SELECT count(*)::int AS n FROM removed`,
  );
  const [written] = await q(
    `WITH written AS (
       INSERT INTO competences.training_leave (${columns})
       SELECT w.* FROM (${wanted}) w
        WHERE NOT EXISTS (SELECT 1 FROM competences.training_leave x WHERE ${same})
       RETURNING 1)
     SELECT count(*)::int AS n FROM written`,
  );
  Object.assign(ctx.counts, courses, { leaveWritten: written.n, leaveRemoved: removed.n });
  ctx.counts.unchanged = ctx.counter.rows - courses.inserted - courses.updated;
}
