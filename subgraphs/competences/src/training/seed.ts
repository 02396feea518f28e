import {
  generateOrganisations,
  generatePersons,
  Prng,
  showcaseEmployer,
  showcasePerson,
} from '@measure-graph/subgraph-kit';
import { addDays } from '@measure-graph/subgraph-kit/calendar';
import type { DataSource } from 'typeorm';
import { schoolYearOf, VOV_EUROS_PER_HOUR } from './rules.ts';

const S = 'competences';
const TOPICS = [
  'Lassen',
  'Boekhouding',
  'Heftruck',
  'Verpleegkunde',
  'Programmeren',
  'Logistiek',
  'Nederlands',
  'Elektriciteit',
];
const LEVELS = ['basis', 'gevorderd', 'opfrissing'];

/**
 * Courses from the granted decisions of the training database (one per granted OPLEIDINGSDATABANK
 * dossier, its applicant the provider), and a sample of training leave per person for the school
 * years 2018-2019 and 2019-2020, the showcase person among them (fictitious figures).
 */
export async function seedTraining(ds: DataSource): Promise<void> {
  await ds.transaction(async (em) => {
    const [{ present }] = await em.query(`SELECT EXISTS (SELECT 1 FROM ${S}.course) AS present`);
    if (present) return;
    const prng = new Prng(4303);
    const granted: Array<{ id: string; kbo: string; on: string }> = await em.query(
      `SELECT d.id::text, d.applicant_kbo AS kbo, to_char(min(e.occurred_at), 'YYYY-MM-DD') AS on
         FROM ${S}.dossier d JOIN ${S}.dossier_event e ON e.dossier_id = d.id AND e.type = 'GRANTED'
        WHERE d.measure_code = 'OPLEIDINGSDATABANK' AND d.applicant_kbo IS NOT NULL
        GROUP BY d.id ORDER BY d.id`,
    );
    const courses = granted.map((g) => ({
      ...g,
      title: `${prng.pick(TOPICS)} ${prng.pick(LEVELS)}`,
      hours: prng.int(32, 240),
    }));
    if (courses.length === 0) return;
    const ids: Array<{ id: string }> = await em.query(
      `INSERT INTO ${S}.course (provider_kbo, title, hours, recognised_on, valid_until, dossier_id)
       SELECT k, t, h, r, (r + interval '3 years')::date, d FROM unnest($1::text[], $2::text[], $3::int[], $4::date[], $5::bigint[])
         AS src (k, t, h, r, d) RETURNING id::text`,
      [
        courses.map((c) => c.kbo),
        courses.map((c) => c.title),
        courses.map((c) => c.hours),
        courses.map((c) => c.on),
        courses.map((c) => c.id),
      ],
    );
    const persons = generatePersons();
    const employers = generateOrganisations();
    const rows: unknown[][] = [];
    for (let i = 0; i < 2_000; i++) {
      const person = i === 0 ? showcasePerson() : prng.pick(persons);
      const employer = i === 0 ? showcaseEmployer() : prng.pick(employers);
      const c = prng.int(0, ids.length - 1);
      const start = addDays(`${prng.pick([2018, 2019])}-09-01`, prng.int(0, 300));
      const hours = Math.min(courses[c]!.hours, prng.int(32, 125));
      const scheme = prng.next() < 0.8 ? 'VOV' : 'BEV';
      rows.push([
        person.id,
        employer.kboNumber,
        scheme,
        ids[c]!.id,
        schoolYearOf(start),
        start,
        addDays(start, prng.int(0, 80)),
        hours,
        hours * VOV_EUROS_PER_HOUR * 100,
      ]);
    }
    await em.query(
      `INSERT INTO ${S}.training_leave (person_id, employer_kbo, scheme, course_id, school_year, course_started_on, requested_on,
                                        hours, amount_cents)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::date[], $7::date[], $8::int[], $9::bigint[])`,
      Array.from({ length: 9 }, (_, col) => rows.map((r) => r[col])),
    );
  });
}
